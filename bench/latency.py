"""Latency and footprint of the core, side by side with the naive baseline, in one run.

    python bench/latency.py [--sizes 1000 10000] [--queries 300]

Prints: p50/p99 `ask` latency at each size (the real KB scaled up with synthetic variants) next to
rapidfuzz `extractOne` over entry questions at the same size, and their ratio; KB load and index
build time; cold-start time of `python -m bot ask` (first run without the answerer cache, then with
it); peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bench.datasets import load  # noqa: E402
from bot.engine import Answerer  # noqa: E402
from bot.kb.loader import KnowledgeBase, load_knowledge  # noqa: E402
from bot.kb.seeds import SeedLibrary  # noqa: E402


def scaled(kb: KnowledgeBase, size: int, rng: random.Random) -> KnowledgeBase:
    """The real entries plus variants: each copy's phrasings get a different leading place and topic,
    so the index grows in vocabulary as a real, larger FAQ would."""
    places = ["郑州", "洛阳", "开封", "新乡", "南阳", "许昌", "周口", "信阳", "安阳", "焦作", "濮阳", "漯河"]
    topics = ["园区", "县区", "企业", "项目", "专班", "平台", "基金", "清单", "试点", "标准"]
    entries = list(kb.entries)
    copy = 0
    while len(entries) < size:
        for entry in kb.entries:
            if len(entries) >= size:
                break
            prefix = f"{rng.choice(places)}{rng.choice(topics)}{copy}"
            entries.append(
                entry.model_copy(
                    update={
                        "id": f"{entry.id}-v{copy}",
                        "question": prefix + entry.question,
                        "alternatives": [prefix + alt for alt in entry.alternatives],
                    }
                )
            )
        copy += 1
    return KnowledgeBase(tuple(entries), kb.synonym_groups, kb.documents, {}, kb.question_types)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, questions: list[str]) -> list[float]:
    times = []
    for question in questions:
        started = time.perf_counter()
        fn(question)
        times.append((time.perf_counter() - started) * 1000)
    return times


def cold_start(runs: int) -> tuple[float, float]:
    """Wall time of `python -m bot ask`: first with an empty answerer cache, then warm (median)."""
    command = [sys.executable, "-m", "bot", "ask", "--json", "天津技术改造再贷款利率是多少"]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "BOT_CACHE_DIR": cache}
        walls = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
            walls.append(time.perf_counter() - started)
    return walls[0], statistics.median(walls[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=300, help="questions timed per size")
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    # First, before this process grows: children forked from a big process would report its size.
    first, warm = cold_start(args.cold_runs)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    started = time.perf_counter()
    kb, issues = load_knowledge(ROOT / "knowledge", SeedLibrary.load(ROOT / "seeds"))
    load_ms = (time.perf_counter() - started) * 1000
    assert kb is not None, issues
    pool = [item.question for item in load(ROOT / "bench" / "devset.yaml")]
    questions = [rng.choice(pool) for _ in range(args.queries)]

    print(f"KB load (parse + validate + quote checks, {len(kb.entries)} entries): {load_ms:.0f} ms")
    print(
        f"{'entries':>8} {'build s':>8} {'ours p50':>9} {'ours p99':>9} {'naive p50':>10} {'naive p99':>10} "
        f"{'p50 ratio':>10} {'p99 ratio':>10}"
    )
    for size in [len(kb.entries), *args.sizes]:
        big = scaled(kb, size, rng)
        started = time.perf_counter()
        answerer = Answerer(big)
        build_s = time.perf_counter() - started
        choices = [entry.question for entry in big.entries]
        for question in pool[:20]:  # warm lazy tables (pinyin, proper nouns) before timing
            answerer.ask(question)
        ours = timed(answerer.ask, questions)
        naive = timed(lambda q, c=choices: process.extractOne(q, c, scorer=fuzz.WRatio), questions)
        o50, o99 = percentile(ours, 0.5), percentile(ours, 0.99)
        n50, n99 = percentile(naive, 0.5), percentile(naive, 0.99)
        print(
            f"{size:>8} {build_s:>8.1f} {o50:>7.2f}ms {o99:>7.2f}ms {n50:>8.2f}ms {n99:>8.2f}ms "
            f"{n50 / o50:>9.1f}x {n99 / o99:>9.1f}x"
        )

    print(f"cold `python -m bot ask`: {first:.2f} s without the answerer cache, {warm:.2f} s with it (median)")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: `python -m bot ask` {child_mb:.0f} MB; this benchmark (10k-entry index) {self_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

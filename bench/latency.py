"""Latency and footprint of the core at several knowledge-base sizes, beside the naive baseline.

    python bench/latency.py [--sizes 1000 10000 100000] [--queries 300] [--cold-runs 5]

Each size runs in its own process, as a serving bot would: the real KB scaled up with synthetic
variants is written to a temporary knowledge folder and loaded from there. Per size it prints: KB
load (parse + validate + quote checks), index build from nothing, a one-entry edit reloaded by the
running store (`KnowledgeStore.refresh`, what the file watcher calls; once the start's background cache
writes are done, as a curator's edit comes later than that), then an edit that gives another entry a
keyword no entry used (a new word for the tokenizer's dictionary), then a synonym group added, a restart
(a new process that finds the index cache, up to ready: KB load included, as the parsed files are cached
too) and that
process's RSS after answering, ask p50/p99 beside rapidfuzz `extractOne` over the entry questions,
and the RSS of the process that built the index from nothing (after answering; and its peak, or its build
child's if higher). Then the cold start of
`python -m bot ask` (first run without the index cache, then with it; wall and CPU time), for a question of
words the knowledge base knows and for one that is read by sound (typo repair).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from bench.datasets import bench_set, load  # noqa: E402
from bot.kb.loader import FAQ_DIR, SPECIAL_FILES, KnowledgeBase, load_knowledge  # noqa: E402
from bot.kb.memory import collection_paused  # noqa: E402
from bot.kb.seeds import SeedLibrary  # noqa: E402

# A province's library is split by document as the shipped one is (41-69 entries a file); a reload
# parses the edited file again, so its size sets part of the reload time.
ENTRIES_PER_FILE = 250
NEW_KEYWORD = "氢能重卡换电站"  # a term no entry uses: the edit that adds it changes the tokenizer's dictionary
NEW_SYNONYM = ("示范企业", "样板企业")  # a group whose head some entries write; its other term none does


def scaled(kb: KnowledgeBase, size: int, rng: random.Random) -> KnowledgeBase:
    """The real entries plus variants: each copy's phrasings get a different leading place and topic,
    so the index grows in vocabulary as a real, larger FAQ would (or the first `size` real entries)."""
    places = ["郑州", "洛阳", "开封", "新乡", "南阳", "许昌", "周口", "信阳", "安阳", "焦作", "濮阳", "漯河"]
    topics = ["园区", "县区", "企业", "项目", "专班", "平台", "基金", "清单", "试点", "标准"]
    entries = list(kb.entries[:size])  # a size below the shipped KB's: its first entries
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


def write_knowledge(kb: KnowledgeBase, folder: Path) -> Path:
    """A knowledge folder holding `kb`'s entries (ENTRIES_PER_FILE to a file) and the shipped
    special files, with the shipped seeds beside it."""
    kb_dir = folder / "knowledge"
    (kb_dir / FAQ_DIR).mkdir(parents=True)
    for name in SPECIAL_FILES:
        if (ROOT / "knowledge" / name).exists():
            shutil.copy(ROOT / "knowledge" / name, kb_dir / name)
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    for start in range(0, len(kb.entries), ENTRIES_PER_FILE):
        chunk = kb.entries[start : start + ENTRIES_PER_FILE]
        data = {"entries": [entry.model_dump(exclude_defaults=True) for entry in chunk]}
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (kb_dir / FAQ_DIR / f"part{start // ENTRIES_PER_FILE:04d}.yaml").write_text(text, encoding="utf-8")
    return kb_dir


def _edit_entry(path: Path, pick: Callable[[list[dict]], dict], change: Callable[[dict], None]) -> str:
    """Change one entry of a FAQ file as a curator would, and give the file a later mtime (a coarse clock
    must see it too); returns the entry's id."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = pick(data["entries"])
    change(entry)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    _bump_mtime(path)
    return entry["id"]


def _bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def edit_one_entry(kb_dir: Path) -> str:
    """Reword the question of the middle entry of the first file; returns its id."""
    return _edit_entry(
        kb_dir / FAQ_DIR / "part0000.yaml",
        lambda entries: entries[len(entries) // 2],
        lambda entry: entry.update(question="修订：" + entry["question"]),
    )


def add_a_keyword(kb_dir: Path) -> str:
    """Give the first entry of the second file a keyword the knowledge base has never used, as a curator who
    adds a term does; returns its id. A new word changes the tokenizer's dictionary."""
    return _edit_entry(
        kb_dir / FAQ_DIR / "part0001.yaml",
        lambda entries: entries[0],
        lambda entry: entry.update(keywords=[*entry.get("keywords", []), NEW_KEYWORD]),
    )


def add_a_synonym(kb_dir: Path) -> None:
    """Append a synonym group to synonyms.yaml, as a curator who teaches the bot a user's word does: its head
    is a term some entries write (NEW_SYNONYM)."""
    path = kb_dir / "synonyms.yaml"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"  - [{', '.join(NEW_SYNONYM)}]\n")
    _bump_mtime(path)


def _wait_for_cache_writes() -> None:
    """Join the threads and the build child a start leaves writing the index and parsed-file caches
    (bot/kb/store.py); the child's peak memory counts once it is collected."""
    from bot.kb import child_build
    from bot.kb.store import FAQ_CACHE_THREAD, INDEX_CACHE_THREAD

    child_build.reap()

    for thread in threading.enumerate():
        if thread.name in (INDEX_CACHE_THREAD, FAQ_CACHE_THREAD):
            thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, questions: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per question (CPU time is what a busy shared machine does not inflate)."""
    walls, cpus = [], []
    for question in questions:
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn(question)
        cpus.append((time.thread_time() - started_cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
    return walls, cpus


class Clock:
    """Wall and CPU seconds of a block (CPU of the child processes it waited for included: a large build
    from nothing is done by one)."""

    def __enter__(self) -> Clock:
        self.started, self.started_cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = _cpu() - self.started_cpu


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(size: int, queries: int) -> dict:
    """One size, in this (fresh) process: what a serving bot with that KB costs."""
    from bot.kb.store import KnowledgeStore

    rng = random.Random(7)
    kb, issues = load_knowledge(ROOT / "knowledge", SeedLibrary.load(ROOT / "seeds"))
    assert kb is not None, issues
    pool = [item.question for item in load(bench_set("devset"))]
    questions = [rng.choice(pool) for _ in range(queries)]
    big = scaled(kb, size, rng)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BOT_CACHE_DIR"] = str(Path(tmp) / "cache")
        kb_dir = write_knowledge(big, Path(tmp))
        del kb, big
        gc.collect()
        # The load subtracted from the build is timed as the store loads: warm (a second load in this
        # process) and with the garbage collector held off (build_answerer pauses it). A first load with
        # the collector running took twice as long at 10,000 entries, and so the build was reported a
        # second shorter than it is until the eleventh session.
        for _ in range(2):
            with Clock() as load_clock, collection_paused():
                loaded, issues = load_knowledge(kb_dir, SeedLibrary.load(kb_dir.parent / "seeds"))
            assert loaded is not None and len(loaded.entries) == size, issues
            del loaded
            gc.collect()
        with Clock() as build:
            store = KnowledgeStore(kb_dir, kb_dir.parent / "seeds", check_interval=3600)
        # A curator's edit comes after the start's background cache writes, not within their seconds.
        _wait_for_cache_writes()
        build.cpu = _cpu() - build.started_cpu  # with the build child's, collected only now
        edited = edit_one_entry(kb_dir)
        with Clock() as reload:
            store.refresh()
        answerer = store.answerer()
        entry = answerer.kb.by_id(edited)
        assert entry is not None and entry.question.startswith("修订："), "the edit is not visible"
        _wait_for_cache_writes()
        gave_keyword = add_a_keyword(kb_dir)
        with Clock() as keyword_reload:
            store.refresh()
        answerer = store.answerer()
        entry = answerer.kb.by_id(gave_keyword)
        assert entry is not None and NEW_KEYWORD in entry.keywords, "the new keyword is not visible"
        assert answerer.index.tokenizer.is_knowledge_word(NEW_KEYWORD)
        _wait_for_cache_writes()
        add_a_synonym(kb_dir)
        with Clock() as synonym_reload:
            store.refresh()
        answerer = store.answerer()
        assert answerer.index.canonical(NEW_SYNONYM[1]) == NEW_SYNONYM[0], "the new synonym is not in use"
        answerer.warm()  # as a serving process does (KnowledgeStore.watch)
        for question in pool[:20]:
            answerer.ask(question)
        ours, ours_cpu = timed(answerer.ask, questions)
        gc.collect()
        serving_mb = rss_mb()
        choices = [entry.question for entry in answerer.kb.entries]
        naive, naive_cpu = timed(lambda q: process.extractOne(q, choices, scorer=fuzz.WRatio), questions)
        # A large build from nothing is done by a forked child (bot/kb/child_build.py): its peak counts too.
        peaks = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        peak_mb = max(peaks) / 1024
        del store, answerer
        gc.collect()
        restart = restarted(kb_dir, questions)  # a new process: the index cache is there, nothing in memory
    return {
        "size": size,
        # load is part of every build, reload and restart below; build etc. exclude it
        "load": [load_clock.wall, load_clock.cpu],
        "build": [build.wall - load_clock.wall, build.cpu - load_clock.cpu],
        "reload": [reload.wall, reload.cpu],
        "keyword_reload": [keyword_reload.wall, keyword_reload.cpu],
        "synonym_reload": [synonym_reload.wall, synonym_reload.cpu],
        "restart": [restart[0], restart[1]],
        "restart_mb": restart[2],
        "ours_p50": [percentile(ours, 0.5), percentile(ours_cpu, 0.5)],
        "ours_p99": [percentile(ours, 0.99), percentile(ours_cpu, 0.99)],
        "naive_p50": [percentile(naive, 0.5), percentile(naive_cpu, 0.5)],
        "naive_p99": [percentile(naive, 0.99), percentile(naive_cpu, 0.99)],
        "serving_mb": serving_mb,
        "peak_mb": peak_mb,
    }


RESTART = """
import json, sys, time
from pathlib import Path
from bot.kb.store import KnowledgeStore
started, started_cpu = time.perf_counter(), time.process_time()
store = KnowledgeStore(Path(sys.argv[1]), Path(sys.argv[2]), check_interval=3600)
wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
store.answerer().warm()  # as a serving process does (KnowledgeStore.watch)
for question in json.loads(sys.argv[3]):
    store.answerer().ask(question)
rss = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status") if line.startswith("VmRSS:"))
print(json.dumps([wall, cpu, rss]))
"""


def restarted(kb_dir: Path, questions: list[str]) -> tuple[float, float, float]:
    """Wall and CPU seconds for a new process to load and index `kb_dir` (imports excluded), and its RSS
    in MB after answering `questions`."""
    command = [sys.executable, "-c", RESTART, str(kb_dir), str(kb_dir.parent / "seeds"), json.dumps(questions)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu, rss = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu, rss


# What a cold `ask` is timed on: a question all of whose words the knowledge base knows, and one that leaves a
# character standing alone (three in four of the held-out questions do), which reads the question's pinyin
# and the sounds of the terms it may mean (typo repair).
COLD_QUESTIONS = {"whole words": "天津技术改造再贷款利率是多少", "read by sound": "住房贷款利率多少"}


def cold_start(runs: int) -> tuple[dict[str, dict[str, float]], float]:
    """`python -m bot ask` in a new process, median of `runs`, for each of COLD_QUESTIONS: with an empty index
    cache each time (a new machine), then with the cache the first run left. Bytecode is written as an
    installed package has it (PYTHONDONTWRITEBYTECODE is dropped; one priming run compiles). Also the
    peak RSS (MB) of those processes."""
    base_env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

    def run(question: str, cache: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", question],
            cwd=ROOT,
            env={**base_env, "BOT_CACHE_DIR": cache},
            capture_output=True,
            check=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    found = {}
    with tempfile.TemporaryDirectory() as folder:
        run(COLD_QUESTIONS["whole words"], str(Path(folder) / "prime"))
        for label, question in COLD_QUESTIONS.items():
            empty = [run(question, str(Path(folder) / f"{label}{i}")) for i in range(runs)]
            warm = [run(question, str(Path(folder) / f"{label}0")) for _ in range(runs)]
            found[label] = {
                "first_wall": statistics.median(w for w, _ in empty),
                "first_cpu": statistics.median(c for _, c in empty),
                "warm_wall": statistics.median(w for w, _ in warm),
                "warm_cpu": statistics.median(c for _, c in warm),
            }
    return found, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[264, 1000, 10000])
    parser.add_argument("--queries", type=int, default=300, help="questions timed per size")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold `ask` runs to take the median of; 0 skips them")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # one size, JSON out
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.queries)))
        return 0

    cold = cold_start(args.cold_runs) if args.cold_runs > 0 else None  # first, before anything else runs
    print("wall / CPU seconds or ms; build excludes the KB load; reload (one entry's question edited, the running")
    print("store refreshed), new word (then another entry given a keyword no entry used), synonym (then a synonym")
    print("group added) and restart (a new process finding the index cache, up to ready) include it")
    columns = ["load s", "build s", "reload s", "new word s", "synonym s", "restart s", "ours p50 ms", "ours p99 ms"]
    columns += ["naive p50", "naive p99"]
    print(
        f"{'entries':>8} "
        + " ".join(f"{c:>13}" for c in columns)
        + f" {'p50 x':>6} {'p99 x':>6} {'RSS MB':>7} {'peak':>6} {'restarted RSS':>13}"
    )
    for size in args.sizes:
        child = [sys.executable, __file__, "--child", str(size), "--queries", str(args.queries)]
        result = subprocess.run(child, capture_output=True, text=True, check=True)
        r = json.loads(result.stdout.strip().splitlines()[-1])
        keys = ["load", "build", "reload", "keyword_reload", "synonym_reload", "restart", "ours_p50", "ours_p99"]
        keys += ["naive_p50", "naive_p99"]
        cells = [f"{r[key][0]:>6.2f}/{r[key][1]:<6.2f}" for key in keys]
        print(
            f"{r['size']:>8} " + " ".join(cells) + f" {r['naive_p50'][1] / r['ours_p50'][1]:>5.0f}x "
            f"{r['naive_p99'][1] / r['ours_p99'][1]:>5.0f}x {r['serving_mb']:>7.0f} {r['peak_mb']:>6.0f}"
            f" {r['restart_mb']:>13.0f}",
            flush=True,
        )
    if cold is None:
        return 0
    by_question, rss_mb = cold
    for label, times in by_question.items():
        print(
            f"cold `python -m bot ask` (median), {label} ({COLD_QUESTIONS[label]}): {times['first_wall']:.2f} s wall / "
            f"{times['first_cpu']:.2f} s CPU without the index cache, {times['warm_wall']:.2f} s / "
            f"{times['warm_cpu']:.2f} s with it"
        )
    print(f"peak RSS of a cold `ask` {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The Slack layer end to end: events/s and the latency it adds over the core.

    python bench/slack_bench.py [--events 1000] [--concurrency 20] [--sequential 300] [--database URL]

Runs the real app (the runtime `python -m bot serve` builds, on the same threaded WSGI server) on
127.0.0.1 against a local fake of Slack's Web API (tests/support/fake_slack.py), with a temporary
SQLite database unless --database is given. Each event is a signed `app_mention` over HTTP; it counts
as done when the fake Web API receives the answer's `chat.postMessage`.

Prints:
- throughput: N mentions at concurrency C, events/s from the first request to the last answer;
- latency, one mention at a time: end to end (request sent -> chat.postMessage received), the core
  alone (`Answerer.ask` on the same questions), and the difference, i.e. what the Slack layer adds
  (signature check, bolt dispatch, database claim and log, Block Kit, the Web API call), p50/p99.
Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import slack_requests as sr  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.slack_app import running_app, shipped_store  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000, help="mentions for the throughput run (1000)")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent senders (20)")
    parser.add_argument("--sequential", type=int, default=300, help="mentions for the latency run (300)")
    parser.add_argument("--database", help="DATABASE_URL to use (default: a temporary SQLite file)")
    args = parser.parse_args()

    store = shipped_store()
    answerer = store.answerer()
    questions = [entry.question for entry in answerer.kb.entries]
    for question in questions[:20]:
        answerer.ask(question)  # warm up jieba and the index

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        overrides = {"database_url": args.database} if args.database else {}
        with running_app(fake, Path(tmp) / "bench.db", store=store, **overrides) as app:
            for i in range(20):  # warm up the app's threads and connections
                app.sender.event(sr.app_mention(questions[i % len(questions)]))
            fake.wait_for("chat.postMessage", count=20, timeout=60)

            # -- latency, one at a time
            end_to_end: list[float] = []
            core: list[float] = []
            added: list[float] = []
            for i in range(args.sequential):
                question = questions[i % len(questions)]
                started = time.perf_counter()
                answerer.ask(question)
                core_time = time.perf_counter() - started
                before = len(fake.calls_to("chat.postMessage"))
                sent = time.monotonic()
                app.sender.event(sr.app_mention(question))
                call = fake.wait_for("chat.postMessage", count=before + 1, timeout=30)[before]
                total = call.at - sent
                end_to_end.append(total)
                core.append(core_time)
                added.append(total - core_time)

            # -- throughput
            fake.reset()
            payloads = [sr.app_mention(questions[i % len(questions)]) for i in range(args.events)]
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                statuses = list(pool.map(lambda payload: app.sender.event(payload).status, payloads))
            answers = fake.wait_for("chat.postMessage", count=args.events, timeout=600)
            elapsed = max(call.at for call in answers) - started
            errors = sum(status != 200 for status in statuses)
            duplicates = len(answers) - len({(c.body["channel"], c.body["thread_ts"]) for c in answers})

    print(f"knowledge base: {len(questions)} entries; database: {args.database or 'temporary SQLite file'}")
    print()
    print(f"throughput: {args.events} mentions at concurrency {args.concurrency}")
    print(f"  {args.events / elapsed:8.1f} events/s   ({elapsed:.2f} s; {errors} errors, {duplicates} duplicates)")
    print()
    print(f"latency, one mention at a time ({args.sequential} mentions)")
    print(f"  {'':<34} {'p50':>10} {'p99':>10} {'mean':>10}")
    for label, values in [
        ("end to end (request -> postMessage)", end_to_end),
        ("core alone (Answerer.ask)", core),
        ("added by the Slack layer", added),
    ]:
        print(
            f"  {label:<34} {ms(percentile(values, 50)):>10} {ms(percentile(values, 99)):>10} "
            f"{ms(statistics.fmean(values)):>10}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

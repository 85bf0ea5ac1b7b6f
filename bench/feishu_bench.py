"""The Feishu path end to end: events/s and the latency the Feishu layer adds. Prints numbers; not a test.

    python bench/feishu_bench.py [--events 1000] [--concurrency 20] [--sequential 200]

Runs `python -m bot serve` with only Feishu's settings as its own process on 127.0.0.1 (waitress, the
production outbox timing) against the local fake Open API (tests/support/fake_feishu.py) in this
process, with a temporary SQLite database. Every callback is encrypted and signed as Feishu does it.

1. throughput: N group @mentions at concurrency C; events/s from the first callback to the last reply
   the fake received; non-200 acks; duplicate replies (two replies to one message).
2. latency, one mention at a time: end to end, the core alone (`Answerer.ask`), what the Feishu layer
   adds (decrypt, verify, SDK dispatch, receive, card, Open API call), p50/p99.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.slack_bench import ms, percentile  # noqa: E402
from tests.support import feishu_requests as fr  # noqa: E402
from tests.support.fake_feishu import FakeFeishu  # noqa: E402
from tests.support.slack_app import shipped_store  # noqa: E402


@contextmanager
def served(fake: FakeFeishu, database: str) -> Iterator[SimpleNamespace]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FEISHU_"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "FEISHU_APP_ID": fr.APP_ID,
        "FEISHU_APP_SECRET": "secret",
        "FEISHU_VERIFICATION_TOKEN": fr.VERIFICATION_TOKEN,
        "FEISHU_ENCRYPT_KEY": fr.ENCRYPT_KEY,
        "FEISHU_API_URL": fake.url,
        "DATABASE_URL": database,
        "PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-digests"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve did not start") from None
            time.sleep(0.2)
    try:
        yield SimpleNamespace(url=url, sender=fr.FeishuSender(url))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--sequential", type=int, default=200)
    args = parser.parse_args()

    answerer = shipped_store().answerer()
    questions = [entry.question for entry in answerer.kb.entries]
    for question in questions[:20]:
        answerer.ask(question)
    report: list[str] = []
    fake = FakeFeishu().start()
    try:
        with tempfile.TemporaryDirectory() as tmp, served(fake, f"sqlite:///{tmp}/bench.db") as app:
            for i in range(20):  # warm up
                app.sender.post(fr.message_event(questions[i % len(questions)]))
            fake.wait_for_posts(20, kind="reply", timeout=60)

            end_to_end: list[float] = []
            core: list[float] = []
            for i in range(args.sequential):
                question = questions[i % len(questions)]
                started = time.perf_counter()
                answerer.ask(question)
                core.append(time.perf_counter() - started)
                before = len(fake.posted("reply"))
                sent = time.monotonic()
                app.sender.post(fr.message_event(question))
                call = fake.wait_for_posts(before + 1, kind="reply", timeout=30)[before]
                end_to_end.append(call.at - sent)
            added = [total - c for total, c in zip(end_to_end, core, strict=True)]

            before = len(fake.posted("reply"))
            events = [fr.message_event(questions[i % len(questions)]) for i in range(args.events)]
            bodies = [app.sender.body(event) for event in events]  # encrypted up front: not timed
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                statuses = list(pool.map(lambda body: app.sender.post(body=body).status, bodies))
            replies = fake.wait_for_posts(before + args.events, kind="reply", timeout=600)[before:]
            elapsed = max(call.at for call in replies) - started
            duplicates = len(replies) - len({call.path for call in replies})
            errors = sum(status != 200 for status in statuses)
            report.append(
                f"throughput: {args.events} group mentions at concurrency {args.concurrency}: "
                f"{args.events / elapsed:.1f} events/s ({elapsed:.2f} s; {errors} non-200, {duplicates} duplicates)"
            )
            report.append(f"latency, one mention at a time ({args.sequential}):  p50 / p99")
            for label, values in [("end to end", end_to_end), ("core alone", core), ("added by Feishu layer", added)]:
                report.append(f"  {label:<22} {ms(percentile(values, 50))} / {ms(percentile(values, 99))}")
    finally:
        fake.stop()
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

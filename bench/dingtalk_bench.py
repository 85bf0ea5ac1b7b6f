"""The DingTalk path end to end, against the local fake of DingTalk. Prints numbers; not a test.

    python bench/dingtalk_bench.py [--events 1000] [--conversations 200] [--sequential 200] [--database URL]

Runs `python -m bot serve --no-digests` with only DingTalk settings as its own process (the SDK's
Stream client connects to the fake gateway and WebSocket in this process: tests/support/fake_dingtalk.py),
with a temporary SQLite database unless --database is given. RSS is the server process's.

1. throughput: N ChatbotMessage frames pushed as fast as the WebSocket takes them, spread over
   --conversations 1:1 chats (DingTalk allows 20 replies a minute per conversation, and the bot keeps
   to that); events/s from the first frame to the last reply received at a sessionWebhook.
2. redelivery: the same N messages again under new msgIds, each frame sent twice (DingTalk's
   redelivery): replies must be N, not 2N.
3. latency, one message at a time: frame -> reply, the core alone (`Answerer.ask`), and what the
   DingTalk layer adds, p50/p99.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.slack_bench import ms, percentile  # noqa: E402
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk, chatbot_payload  # noqa: E402
from tests.support.slack_app import shipped_store  # noqa: E402


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) RSS of a process in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(fake: FakeDingTalk, database: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DINGTALK_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DINGTALK_CLIENT_ID=CLIENT_ID,
        DINGTALK_CLIENT_SECRET=CLIENT_SECRET,
        DINGTALK_OPENAPI_ENDPOINT=fake.url,
        DATABASE_URL=database,
        PORT=str(free_port()),  # serve's /healthz; nothing else listens
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-digests"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        fake.wait_connected(timeout=90)
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000, help="messages for the throughput run (1000)")
    parser.add_argument("--conversations", type=int, default=200, help="1:1 chats they are spread over (200)")
    parser.add_argument("--sequential", type=int, default=200, help="messages for the latency run (200)")
    parser.add_argument("--database", help="DATABASE_URL to use (default: a temporary SQLite file)")
    args = parser.parse_args()

    answerer = shipped_store().answerer()
    questions = [entry.question for entry in answerer.kb.entries]
    for question in questions[:20]:
        answerer.ask(question)
    report: list[str] = []

    def payload(i: int, run: str) -> dict:
        sender = f"bench{i % args.conversations:04d}"
        return chatbot_payload(
            questions[i % len(questions)],
            webhook=fake.webhook_url(f"{run}-{sender}"),
            group=False,
            sender=sender,
            msg_id=f"{run}-{i:06d}",
        )

    fake = FakeDingTalk().start()
    try:
        with tempfile.TemporaryDirectory() as tmp, served(fake, args.database or f"sqlite:///{tmp}/bench.db") as proc:
            for i in range(20):  # warm up the bot's threads and connections
                fake.push(payload(i, "warm"))
            fake.wait_for("webhook", 20, timeout=60)
            rss_start, _ = rss_mb(proc.pid)

            # -- 1. throughput
            before = len(fake.of("webhook"))
            frames = [payload(i, "throughput") for i in range(args.events)]
            started = time.monotonic()
            for frame in frames:
                fake.push(frame)
            replies = fake.wait_for("webhook", before + args.events, timeout=600)[before:]
            elapsed = max(call.at for call in replies) - started
            refused = len(fake.of("webhook", ok=False))
            report.append(
                f"throughput: {args.events} messages over {args.conversations} chats: "
                f"{args.events / elapsed:.1f} events/s ({elapsed:.2f} s; {refused} refused by the fake as too fast)"
            )

            # -- 2. every frame delivered twice
            before = len(fake.of("webhook"))
            frames = [payload(i, "twice") for i in range(args.events)]
            started = time.monotonic()
            for frame in frames:
                fake.push(frame)
                fake.push(frame)
            replies = fake.wait_for("webhook", before + args.events, timeout=600)[before:]
            elapsed = max(call.at for call in replies) - started
            time.sleep(2.0)  # room for a duplicate to show up
            extra = len(fake.of("webhook")) - before - args.events
            report.append(
                f"redelivered: {args.events} messages, each frame twice: {args.events / elapsed:.1f} messages/s "
                f"({2 * args.events / elapsed:.1f} frames/s; {extra} duplicate replies)"
            )

            # -- 3. latency, one at a time
            end_to_end: list[float] = []
            core: list[float] = []
            for i in range(args.sequential):
                frame = payload(i, "latency")
                started_core = time.perf_counter()
                answerer.ask(frame["text"]["content"])
                core.append(time.perf_counter() - started_core)
                before = len(fake.of("webhook"))
                sent = time.monotonic()
                fake.push(frame)
                call = fake.wait_for("webhook", before + 1, timeout=30)[before]
                end_to_end.append(call.at - sent)
            added = [total - c for total, c in zip(end_to_end, core, strict=True)]
            report.append(f"latency, one message at a time ({args.sequential}):  p50 / p99")
            for label, values in [("end to end", end_to_end), ("core alone", core), ("added by DingTalk", added)]:
                report.append(f"  {label:<22} {ms(percentile(values, 50))} / {ms(percentile(values, 99))}")
            rss_now, rss_peak = rss_mb(proc.pid)
            report.append(
                f"server RSS: {rss_start:.0f} MB after warm-up, {rss_now:.0f} MB at the end, peak {rss_peak:.0f}"
            )
    finally:
        fake.stop()
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

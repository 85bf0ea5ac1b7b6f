"""The Slack layer end to end, as a hostile or busy workspace would load it. Prints numbers; not a test.

    python bench/slack_bench.py [--events 1000] [--concurrency 20] [--load 2000] [--load-concurrency 50]
                                [--api-latency 0.3] [--sequential 200] [--database URL]

Runs `python -m bot serve --http` as its own process on 127.0.0.1 (as deployed: waitress, production
outbox timing) against the local fake of Slack's Web API (tests/support/fake_slack.py) in this
process, with a temporary SQLite database unless --database is given. Every request is signed as Slack
signs it. RSS is the server process's.

1. throughput: N signed mentions at concurrency C against an instant Web API; events/s from the first
   request to the last answer (`chat.postMessage` received), duplicates, non-200 acks.
2. latency, one mention at a time: end to end, the core alone (`Answerer.ask`), and what the Slack
   layer adds, p50/p99.
3. under load: --load mentions at --load-concurrency against a Web API taking --api-latency s per
   call; meanwhile a `/policy` command and a button click every 0.1 s. Ack p50/p99 of each kind,
   time to answer (request -> first reply in the thread, an answer or a busy notice) p50/p99, busy
   replies, duplicates, the server's RSS.
4. a 20 MB unsigned POST: status, seconds to the response, RSS growth.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.slack import blocks  # noqa: E402
from tests.support import slack_requests as sr  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.slack_app import shipped_store  # noqa: E402

BUSY_MARK = "忙"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


SERVER_PID = "self"


def _status_mb(field: str) -> float:
    for line in Path(f"/proc/{SERVER_PID}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    return _status_mb("VmHWM")


@contextmanager
def served(fake: FakeSlack, database: str) -> Iterator[SimpleNamespace]:
    """`python -m bot serve --http` in its own process, pointed at the fake Web API."""
    global SERVER_PID
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": sr.BOT_TOKEN,
        "SLACK_SIGNING_SECRET": sr.SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": database,
        "PORT": str(port),
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--no-digests"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve did not start") from None
            time.sleep(0.2)
    SERVER_PID = str(proc.pid)
    try:
        yield SimpleNamespace(url=url, sender=sr.SlackSender(url))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def big_unsigned_post(base_url: str, size: int) -> tuple[str, float]:
    """POST `size` bytes with a wrong signature; (status line or error, seconds until the server answered)."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: {parts.hostname}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\nX-Slack-Request-Timestamp: {int(time.time())}\r\n"
        f"X-Slack-Signature: v0={'0' * 64}\r\n\r\n"
    ).encode()
    chunk = b"x" * 65536

    def send() -> None:
        try:
            sock.sendall(head)
            sent = 0
            while sent < size:
                sock.sendall(chunk[: size - sent])
                sent += len(chunk)
        except OSError:
            pass  # the server answered and closed before the body was sent: what we want

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        first = sock.recv(200).decode("latin-1").split("\r\n")[0] or "(closed)"
    except OSError as exc:
        first = f"error: {exc!r}"
    elapsed = time.monotonic() - started
    sock.close()
    sender.join(timeout=10)
    return first, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000, help="mentions for the throughput run (1000)")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent senders (20)")
    parser.add_argument("--sequential", type=int, default=200, help="mentions for the latency run (200)")
    parser.add_argument("--load", type=int, default=2000, help="mentions for the load run (2000)")
    parser.add_argument("--load-concurrency", type=int, default=50, help="concurrent senders under load (50)")
    parser.add_argument("--api-latency", type=float, default=0.3, help="seconds per Web API call under load (0.3)")
    parser.add_argument("--database", help="DATABASE_URL to use (default: a temporary SQLite file)")
    args = parser.parse_args()

    store = shipped_store()
    answerer = store.answerer()
    questions = [entry.question for entry in answerer.kb.entries]
    for question in questions[:20]:
        answerer.ask(question)  # warm up jieba and the index
    report: list[str] = []

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:  # noqa: SIM117
        with served(fake, args.database or f"sqlite:///{tmp}/bench.db") as app:
            for i in range(20):  # warm up the app's threads and connections
                app.sender.event(sr.app_mention(questions[i % len(questions)]))
            fake.wait_for("chat.postMessage", count=20, timeout=60)
            rss_start = rss_mb()

            # -- 4. an unsigned 20 MB body (first, so RSS growth is not hidden by the load runs)
            before = rss_mb()
            status, seconds = big_unsigned_post(app.url, 20 * 1024 * 1024)
            time.sleep(0.5)
            report.append(
                f"20 MB unsigned POST: {status!r} after {seconds:.3f} s; RSS {before:.0f} -> {rss_mb():.0f} MB"
            )

            # -- 2. latency, one at a time
            end_to_end: list[float] = []
            core: list[float] = []
            for i in range(args.sequential):
                question = questions[i % len(questions)]
                started = time.perf_counter()
                answerer.ask(question)
                core.append(time.perf_counter() - started)
                before_calls = len(fake.calls_to("chat.postMessage"))
                sent = time.monotonic()
                app.sender.event(sr.app_mention(question))
                call = fake.wait_for("chat.postMessage", count=before_calls + 1, timeout=30)[before_calls]
                end_to_end.append(call.at - sent)
            added = [total - c for total, c in zip(end_to_end, core, strict=True)]

            # -- 1. throughput
            fake.reset()
            payloads = [sr.app_mention(questions[i % len(questions)]) for i in range(args.events)]
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                statuses = list(pool.map(lambda payload: app.sender.event(payload).status, payloads))
            answers = fake.wait_for("chat.postMessage", count=args.events, timeout=600)
            elapsed = max(call.at for call in answers) - started
            errors = sum(status != 200 for status in statuses)
            duplicates = len(answers) - len({(c.body["channel"], c.body["thread_ts"]) for c in answers})
            report.append(
                f"throughput: {args.events} mentions at concurrency {args.concurrency}: "
                f"{args.events / elapsed:.1f} events/s ({elapsed:.2f} s; {errors} non-200, {duplicates} duplicates)"
            )
            report.append(f"latency, one mention at a time ({args.sequential}):  p50 / p99")
            for label, values in [("end to end", end_to_end), ("core alone", core), ("added by Slack layer", added)]:
                report.append(f"  {label:<22} {ms(percentile(values, 50))} / {ms(percentile(values, 99))}")

            # -- 3. under load
            fake.reset()
            fake.latency = args.api_latency
            load = [
                sr.app_mention(questions[i % len(questions)], channel=f"C0BENCH{i % 9:03d}", ts=f"1730000000.{i:06d}")
                for i in range(args.load)
            ]
            sent_at: dict[tuple[str, str], float] = {}
            ack_mention: list[float] = []
            mention_status: Counter[int] = Counter()

            def mention(payload: dict) -> None:
                key = (payload["event"]["channel"], payload["event"]["ts"])
                sent_at[key] = time.monotonic()
                result = app.sender.event(payload, timeout=30)
                ack_mention.append(time.monotonic() - sent_at[key])
                mention_status[result.status] += 1

            acks: dict[str, list[float]] = {"command": [], "button": []}
            ack_status: Counter[str] = Counter()
            done = threading.Event()

            def interactive() -> None:
                n = 0
                while not done.is_set():
                    n += 1
                    kind = "command" if n % 2 else "button"
                    if kind == "command":
                        form = sr.slash_command(questions[n % len(questions)], fake.response_url(f"c{n}"))
                        send = lambda form=form: app.sender.command(form, timeout=30)  # noqa: E731
                    else:
                        click = sr.block_actions(
                            {"action_id": blocks.FEEDBACK_UP, "value": "{}"},
                            response_url=fake.response_url(f"b{n}"),
                            user=f"U0BENCH{n:04d}",
                        )
                        send = lambda click=click: app.sender.action(click, timeout=30)  # noqa: E731
                    started = time.monotonic()
                    status = send().status
                    acks[kind].append(time.monotonic() - started)
                    ack_status[f"{kind} {status}"] += 1
                    time.sleep(0.1)

            rss_before_load = rss_mb()
            prober = threading.Thread(target=interactive, daemon=True)
            load_started = time.monotonic()
            prober.start()
            with ThreadPoolExecutor(max_workers=args.load_concurrency) as pool:
                list(pool.map(mention, load))
            sending = time.monotonic() - load_started
            try:
                fake.wait_for("chat.postMessage", count=args.load, timeout=900)
            except AssertionError as exc:
                report.append(f"  (not every mention got a reply: {str(exc)[:120]})")
            done.set()
            prober.join(timeout=60)
            posted = fake.calls_to("chat.postMessage", ok_only=True)
            first_reply: dict[tuple[str, str], float] = {}
            busy = 0
            per_thread: Counter[tuple[str, str]] = Counter()
            for call in posted:
                key = (call.body.get("channel"), call.body.get("thread_ts"))
                per_thread[key] += 1
                first_reply.setdefault(key, call.at)
                if BUSY_MARK in str(call.body.get("text", "")):
                    busy += 1
            to_answer = [first_reply[key] - sent_at[key] for key in sent_at if key in first_reply]
            drained = max((c.at for c in posted), default=load_started) - load_started
            report.append(
                f"under load: {args.load} mentions at concurrency {args.load_concurrency}, Web API {args.api_latency}s "
                f"per call: sent in {sending:.1f} s, all replies after {drained:.1f} s "
                f"({len(first_reply)} threads answered, {busy} busy notices, "
                f"{sum(n - 1 for n in per_thread.values())} duplicates; mention acks {dict(mention_status)})"
            )
            report.append(
                f"  mention ack p50 / p99: {ms(percentile(ack_mention, 50))} / {ms(percentile(ack_mention, 99))}"
            )
            for kind, values in acks.items():
                report.append(
                    f"  {kind:<7} ack p50 / p99 / max: {ms(percentile(values, 50))} / {ms(percentile(values, 99))} / "
                    f"{ms(max(values) if values else float('nan'))} (n={len(values)})"
                )
            report.append(f"  statuses: {dict(ack_status)}")
            report.append(
                f"  time to first reply p50 / p99: {percentile(to_answer, 50):.2f} s"
                f" / {percentile(to_answer, 99):.2f} s"
            )
            report.append(
                f"  RSS: {rss_start:.0f} MB at start, {rss_before_load:.0f} before the load run, {rss_mb():.0f} after; "
                f"peak {peak_rss_mb():.0f} MB"
            )

    print(f"knowledge base: {len(questions)} entries; database: {args.database or 'temporary SQLite file'}")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

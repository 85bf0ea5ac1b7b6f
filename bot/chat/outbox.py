"""The outbox: a reply is decided, written to the database, then delivered; a failed delivery is tried
again with back-off, by this process or (after a restart) the next one, until the platform takes it or
says it never will (`channel_not_found`, an expired `response_url`, a Feishu message that is gone...).

Platform-neutral: each row names its platform, and each platform registers a `Sender` (one attempt at
one reply, raising `Transient` or `Undeliverable`). A process only takes rows of platforms it can send
to, so a Slack-only instance leaves Feishu's rows to the instance that has Feishu's settings.

- A worker that decides a reply holds its row (a lease) and delivers it at once: the common case costs
  one API call, as before.
- The deliverer thread looks every `poll` seconds for replies that are due again (a 429 or 5xx past the
  client's own retries, a Web API that was down) or that a dead process held (its lease ran out), and
  for events a dead process received but never answered; those go back to the work queue.
- Exactly once: an event's key is claimed when it is received, so a redelivery of an event whose reply
  is still pending is not answered again; the outbox delivers that reply. A crash in the instant
  between the platform accepting a post and the row being marked can still repeat that one post on
  Slack: the only at-least-once window left (Feishu drops it: the row's key is the request `uuid`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from bot.chat.store import DEFAULT_PLATFORM, ChatStore, Outgoing, utcnow

log = logging.getLogger(__name__)


class Sender(Protocol):
    """One platform's delivery: one attempt, no retries inside (a retry is the outbox's job)."""

    def __call__(self, reply: Outgoing) -> tuple[str | None, str | None]:
        """Send `reply`; (conversation, message id) it was posted as. Raise Transient or Undeliverable."""
        ...


@dataclass(frozen=True)
class Timing:
    lease: float = 60.0  # seconds a process holds a row it works on before another may take it over
    first_retry: float = 2.0  # back-off after the first failed delivery, doubling...
    max_retry: float = 300.0  # ...up to this
    max_attempts: int = 20  # about an hour and a half of trying
    poll: float = 0.5  # how often the deliverer looks for due replies
    deliverers: int = 8  # threads for retries and busy notices
    attempt_timeout: int = 10  # seconds one API call may take (well under the lease)

    def __post_init__(self) -> None:
        if self.lease < 2 * self.attempt_timeout:
            raise ValueError("the lease must outlast two attempts, or another process could send a reply twice")


class Outcome:
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"


class Outbox:
    def __init__(self, db: ChatStore, timing: Timing | None = None) -> None:
        self.db = db
        self.timing = timing or Timing()
        self.senders: dict[str, Sender] = {}
        # platform -> what resumes an event a dead process received (False: the work queue is full)
        self.orphan_handlers: dict[str, Callable[[str, dict[str, Any]], bool]] = {}
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=self.timing.deliverers, thread_name_prefix="chat-outbox")
        self._inflight = 0
        self._lock = threading.Lock()

    def register(
        self, platform: str, sender: Sender, on_orphan: Callable[[str, dict[str, Any]], bool] | None = None
    ) -> None:
        """A platform this process delivers to (its rows are taken from now on)."""
        self.senders[platform] = sender
        if on_orphan is not None:
            self.orphan_handlers[platform] = on_orphan

    # ------------------------------------------------------------------ delivering

    def deliver(self, reply: Outgoing) -> str:
        """One attempt at `reply` (whose row this process holds); the result is written to the database."""
        sender = self.senders.get(reply.platform or DEFAULT_PLATFORM)
        try:
            if sender is None:
                raise Transient(f"no sender for platform {reply.platform!r} in this process")
            channel, ts = sender(reply)
        except Undeliverable as exc:
            # recorded before it is logged, so whoever reads the log finds the database up to date
            self._record(self.db.failed, reply.key, str(exc))
            self._after_failure(reply)
            log.error("reply %s is undeliverable: %s", reply.key, exc)
            return Outcome.FAILED
        except Transient as exc:
            if reply.attempts >= self.timing.max_attempts:
                self._record(self.db.failed, reply.key, f"gave up: {exc}")
                self._after_failure(reply)
                log.error("reply %s given up after %d attempts: %s", reply.key, reply.attempts, exc)
                return Outcome.FAILED
            delay = min(self.timing.first_retry * 2 ** max(0, reply.attempts - 1), self.timing.max_retry)
            delay = max(delay, exc.retry_after)  # a 429's Retry-After (or Feishu's x-ogw-ratelimit-reset)
            log.warning("reply %s: %s; trying again in %.0f s", reply.key, exc, delay)
            self._record(self.db.retry_later, reply.key, utcnow() + timedelta(seconds=delay), str(exc))
            return Outcome.RETRY
        self._record(self.db.delivered, reply.key, channel, ts)
        return Outcome.DELIVERED

    def deliver_key(self, key: str) -> str | None:
        """Take the row `key` (if due and free) and deliver it; None if another process has it."""
        reply = self.db.take(key, self.timing.lease)
        return None if reply is None else self.deliver(reply)

    def _after_failure(self, reply: Outgoing) -> None:
        target = reply.target
        if target.get("forget_thread") and target.get("channel") and target.get("thread_ts"):
            try:
                self.db.forget_thread(target["channel"], target["thread_ts"])  # the bot is not in that thread
            except Exception:
                log.exception("could not forget thread %s/%s", target["channel"], target["thread_ts"])

    @staticmethod
    def _record(write: Callable[..., None], *args: Any) -> None:
        try:
            write(*args)
        except Exception:
            # The database went away mid-delivery: the lease runs out and the row is tried again.
            log.exception("outbox: could not record the result for %s", args[0])

    # ------------------------------------------------------------------ the deliverer thread

    def start(self) -> Outbox:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="chat-outbox", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._pool.shutdown(wait=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # the database is down: say so once a round, keep going
                log.error("outbox: %s", str(getattr(exc, "orig", None) or exc).splitlines()[0][:200])
            self._wake.wait(self.timing.poll)
            self._wake.clear()

    def run_once(self) -> None:
        if self.orphan_handlers:
            for key, request in self.db.orphans(self.timing.lease, platforms=list(self.orphan_handlers)):
                handler = self.orphan_handlers.get(request.get("platform") or DEFAULT_PLATFORM)
                if handler is None or not handler(key, request):
                    break  # the work queue is full: the lease runs out and it is tried again later
        with self._lock:
            free = self.timing.deliverers * 2 - self._inflight
        if free <= 0 or not self.senders:
            return
        for key in self.db.due(limit=free, platforms=list(self.senders)):
            with self._lock:
                self._inflight += 1
            self._pool.submit(self._deliver_in_pool, key)

    def _deliver_in_pool(self, key: str) -> None:
        try:
            self.deliver_key(key)
        except Exception:
            log.exception("outbox: delivering %s failed", key)
        finally:
            with self._lock:
                self._inflight -= 1


class Transient(Exception):
    """Worth trying again later (429, 5xx, a network error); `retry_after`: the platform's own wait."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Undeliverable(Exception):
    """It will never work (the channel is gone, the bot was removed): marked failed, not retried."""


def header_seconds(headers: Any, name: str) -> float:
    """A header holding seconds to wait (Retry-After, x-ogw-ratelimit-reset), capped at an hour; 0 if absent."""
    for key, value in dict(headers or {}).items():
        if str(key).lower() == name.lower():
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, min(float(raw), 3600.0))
            except (TypeError, ValueError):
                return 0.0
    return 0.0

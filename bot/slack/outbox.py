"""The outbox: a reply is decided, written to the database, then delivered; a failed delivery is tried
again with back-off, by this process or (after a restart) the next one, until Slack takes it or says it
never will (`channel_not_found`, an expired `response_url`, ...).

- A worker that decides a reply holds its row (a lease) and delivers it at once: the common case costs
  one Web API call, as before.
- The deliverer thread looks every `poll` seconds for replies that are due again (a 429 or 5xx past the
  client's own retries, a Web API that was down) or that a dead process held (its lease ran out), and
  for events a dead process received but never answered; those go back to the work queue.
- Exactly once: an event's key is claimed when it is received, so a Slack retry of an event whose reply
  is still pending is not answered again; the outbox delivers that reply. A crash in the instant
  between Slack accepting a post and the row being marked can still repeat that one post: the only
  at-least-once window left.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.slack.store import Reply, SlackStore, utcnow

log = logging.getLogger(__name__)

# ok:false errors worth trying again; any other error means the message can never be delivered there.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout"}
)


@dataclass(frozen=True)
class Timing:
    lease: float = 60.0  # seconds a process holds a row it works on before another may take it over
    first_retry: float = 2.0  # back-off after the first failed delivery, doubling...
    max_retry: float = 300.0  # ...up to this
    max_attempts: int = 20  # about an hour and a half of trying
    poll: float = 0.5  # how often the deliverer looks for due replies
    deliverers: int = 8  # threads for retries and busy notices
    attempt_timeout: int = 10  # seconds one Web API call may take (well under the lease)

    def __post_init__(self) -> None:
        if self.lease < 2 * self.attempt_timeout:
            raise ValueError("the lease must outlast two attempts, or another process could send a reply twice")


class Outcome:
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"


class Outbox:
    def __init__(
        self,
        db: SlackStore,
        client: WebClient,
        timing: Timing | None = None,
        on_orphan: Callable[[str, dict[str, Any]], bool] | None = None,
    ) -> None:
        self.db = db
        self.timing = timing or Timing()
        # One attempt per call, no retries inside: a retry is the outbox's job (with the row's lease
        # held for less time than a lease lasts, so no other process can send it meanwhile).
        self.client = WebClient(
            token=client.token, base_url=client.base_url, timeout=self.timing.attempt_timeout, retry_handlers=[]
        )
        self.on_orphan = on_orphan
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=self.timing.deliverers, thread_name_prefix="slack-outbox")
        self._inflight = 0
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ delivering

    def deliver(self, reply: Reply) -> str:
        """One attempt at `reply` (whose row this process holds); the result is written to the database."""
        try:
            channel, ts = self._send(reply)
        except _Undeliverable as exc:
            log.error("reply %s is undeliverable: %s", reply.key, exc)
            self._record(self.db.failed, reply.key, str(exc))
            self._after_failure(reply)
            return Outcome.FAILED
        except _Transient as exc:
            if reply.attempts >= self.timing.max_attempts:
                log.error("reply %s given up after %d attempts: %s", reply.key, reply.attempts, exc)
                self._record(self.db.failed, reply.key, f"gave up: {exc}")
                self._after_failure(reply)
                return Outcome.FAILED
            delay = min(self.timing.first_retry * 2 ** max(0, reply.attempts - 1), self.timing.max_retry)
            delay = max(delay, exc.retry_after)  # a 429's Retry-After
            log.warning("reply %s: %s; trying again in %.0f s", reply.key, exc, delay)
            self._record(self.db.retry_later, reply.key, utcnow() + timedelta(seconds=delay), str(exc))
            return Outcome.RETRY
        self._record(self.db.delivered, reply.key, channel, ts)
        return Outcome.DELIVERED

    def deliver_key(self, key: str) -> str | None:
        """Take the row `key` (if due and free) and deliver it; None if another process has it."""
        reply = self.db.take(key, self.timing.lease)
        return None if reply is None else self.deliver(reply)

    def _send(self, reply: Reply) -> tuple[str | None, str | None]:
        if reply.kind == "respond":
            return self._respond(reply)
        target, message = reply.target, reply.message
        try:
            response = self.client.chat_postMessage(
                channel=target["channel"],
                thread_ts=target.get("thread_ts"),
                text=message.get("text", ""),
                blocks=message.get("blocks"),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            error = (exc.response.get("error") if exc.response is not None else None) or f"HTTP {status}"
            if status == 429 or status >= 500 or error in TRANSIENT_ERRORS:
                wait = _retry_after(exc.response.headers if exc.response is not None else {})
                raise _Transient(f"chat.postMessage to {target['channel']}: {error}", wait) from None
            raise _Undeliverable(f"chat.postMessage to {target['channel']}: {error}") from None
        except Exception as exc:  # connection refused, timeouts: the client already retried
            raise _Transient(f"chat.postMessage to {target['channel']}: {exc!r}") from None
        return response.get("channel") or target["channel"], response.get("ts")

    def _respond(self, reply: Reply) -> tuple[None, None]:
        webhook = WebhookClient(reply.target["response_url"], timeout=self.timing.attempt_timeout, retry_handlers=[])
        try:
            response = webhook.send_dict(reply.message)
        except Exception as exc:
            raise _Transient(f"response_url: {exc!r}") from None
        if response.status_code == 200:
            return None, None
        detail = f"response_url: HTTP {response.status_code} {(response.body or '')[:60]}"
        if response.status_code == 429 or response.status_code >= 500:
            raise _Transient(detail, _retry_after(response.headers or {}))
        raise _Undeliverable(detail)  # 404 expired_url / used_url: it will never work

    def _after_failure(self, reply: Reply) -> None:
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
            self._thread = threading.Thread(target=self._loop, name="slack-outbox", daemon=True)
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
        if self.on_orphan is not None:
            for key, request in self.db.orphans(self.timing.lease):
                if not self.on_orphan(key, request):
                    break  # the work queue is full: the lease runs out and it is tried again later
        with self._lock:
            free = self.timing.deliverers * 2 - self._inflight
        if free <= 0:
            return
        for key in self.db.due(limit=free):
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


class _Transient(Exception):
    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(headers: Any) -> float:
    for name, value in dict(headers or {}).items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return min(float(raw), 3600.0)
            except (TypeError, ValueError):
                return 0.0
    return 0.0


class _Undeliverable(Exception):
    pass

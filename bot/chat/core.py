"""One process's shared machinery for every platform: the conversation rules, the work queue, the
outbox, and an inbox per platform (receive exactly once, answer on a worker, send through the outbox).

    request -> adapter.parse -> Inbox.accept (claim + store, before the platform gets its 200)
            -> worker: adapter.decide (core.conversation.respond + adapter.render) -> outbox -> adapter's sender
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.chat.conversation import Conversation
from bot.chat.outbox import Outbox, Sender, Timing
from bot.chat.store import ChatStore, Outgoing
from bot.chat.work import WorkQueue
from bot.config import Settings
from bot.db import urgent
from bot.kb.store import KnowledgeStore

log = logging.getLogger(__name__)

PRUNE_EVERY = 24 * 3600.0  # seconds

Decide = Callable[[str, dict[str, Any]], Outgoing | None]


class ChatCore:
    """Built once per process; each platform registers its sender and gets an Inbox."""

    def __init__(
        self,
        settings: Settings,
        store: KnowledgeStore,
        db: ChatStore,
        *,
        timing: Timing | None = None,
        work: WorkQueue | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.db = db
        self.timing = timing or Timing()
        self.work = work or WorkQueue()
        self.conversation = Conversation(settings, store, db)
        self.outbox = Outbox(db, self.timing)
        self.inboxes: dict[str, Inbox] = {}
        self._pruned_at = time.monotonic()
        self._prune_lock = threading.Lock()
        self._recent: OrderedDict[str, None] = OrderedDict()  # sent keys, when the database is down
        self._recent_lock = threading.Lock()
        self._closed = False

    def register(self, platform: str, sender: Sender, decide: Decide, busy: Decide | None = None) -> Inbox:
        """A platform joins: its replies go through `sender`; its received events are answered by
        `decide(key, request)` on a worker, or by `busy(key, request)` when the queue is full."""
        inbox = Inbox(self, platform, decide, busy)
        self.inboxes[platform] = inbox
        self.outbox.register(platform, sender, inbox.resume)
        return inbox

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.outbox.stop()
        self.work.shutdown()

    # ------------------------------------------------------------------ replies decided outside an event

    def send(self, replies: list[Outgoing]) -> bool:
        """Write the replies to the outbox (all or none: False if the first key was sent before), then
        deliver them in order. Database down: delivered directly, once per key in this process."""
        if not replies:
            return True
        try:
            written = self.db.add_replies(replies, lease=self.timing.lease)
        except Exception as exc:
            log.error("outbox unavailable, sending %s directly: %s", replies[0].key, first_line(exc))
            if not self._remember_sent(replies[0].key):
                return False
            for reply in replies:
                self.outbox.deliver(replace(reply, attempts=self.timing.max_attempts))  # no retry without a row
            return True
        if not written:
            log.info("%s: already sent (a repeated click or retry), skipped", replies[0].key)
            return False
        for reply in replies:
            self.outbox.deliver(replace(reply, attempts=1))
        return True

    def notify(self, notice: Outgoing) -> None:
        """A notice (busy) written for the outbox's own threads to send."""
        try:
            self.db.add_replies([notice], lease=None)
        except Exception:
            log.exception("could not record a notice %s", notice.key)
        self.outbox.wake()

    def _remember_sent(self, key: str) -> bool:
        with self._recent_lock:
            if key in self._recent:
                return False
            self._recent[key] = None
            while len(self._recent) > 10_000:
                self._recent.popitem(last=False)
        return True

    def prune_now_and_then(self) -> None:
        """Forget week-old claims once a day, so a long-running process keeps the table small."""
        if time.monotonic() - self._pruned_at < PRUNE_EVERY or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._pruned_at = time.monotonic()
            self.db.prune_claims()
        except Exception:
            log.exception("could not prune old event claims")
        finally:
            self._prune_lock.release()


class Inbox:
    """Receiving one platform's events exactly once, durably, then answering them on a worker."""

    def __init__(self, core: ChatCore, platform: str, decide: Decide, busy: Decide | None) -> None:
        self.core = core
        self.platform = platform
        self.decide = decide
        self.busy = busy

    def accept(self, key: str, keys: list[str], request: dict[str, Any]) -> bool:
        """Claim `key` and `keys` and store the request, before the platform hears "200"; queue the work.
        False: already received (a redelivery, here or by another instance), nothing to do. A database
        error propagates: the caller asks the platform to retry rather than lose the message."""
        core = self.core
        busy = core.work.full()
        with urgent():  # the platform is waiting for this one
            received = core.db.receive(keys, key, request, lease=core.timing.lease, platform=self.platform)
        if not received:
            return False
        core.prune_now_and_then()
        if busy or not core.work.submit(functools.partial(self._answer, key, request)):
            self._busy(key, request)
        return True

    def resume(self, key: str, request: dict[str, Any]) -> bool:
        """An event a stopped process received but never answered (the outbox found it)."""
        log.info("%s: answering an event a stopped process had received", key)
        return self.core.work.submit(functools.partial(self._answer, key, request))

    def _answer(self, key: str, request: dict[str, Any]) -> None:
        core = self.core
        try:
            reply = self.decide(key, request)
        except SQLAlchemyError as exc:
            # left `received`: once its lease runs out the outbox hands it to a worker again
            log.error("%s: database unavailable while answering, will retry: %s", key, first_line(exc))
            return
        except Exception as exc:
            log.exception("%s: could not answer: %r", key, exc)
            reply = None  # a bug, not an outage: trying again would fail the same way
        if not core.db.decide(reply, key, core.timing.lease):
            log.info("%s: already decided by another process", key)
            return
        if reply is not None:
            core.outbox.deliver(replace(reply, attempts=1))

    def _busy(self, key: str, request: dict[str, Any]) -> None:
        notice = self.busy(key, request) if self.busy is not None else None
        log.warning(
            "%s: the work queue is full (%d); %s", key, self.core.work.limit, "busy notice" if notice else "dropped"
        )
        try:
            self.core.db.decide(notice, key, lease=None)
        except Exception:
            log.exception("%s: could not record the busy notice", key)
        self.core.outbox.wake()


def first_line(error: BaseException) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__

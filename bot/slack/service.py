"""The Slack door onto the core: one object the listeners share (question in, Block Kit message out).

Listeners stay small: they read the payload, ask this service, and post. Everything they have in common
lives here: admin commands, the question log, receiving events (exactly once, durably), the work queue,
and sending replies through the outbox.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.answer import Answer, Outcome
from bot.config import Settings
from bot.db import urgent
from bot.kb.store import KnowledgeStore
from bot.review.service import log_for_review
from bot.schedule import wiring
from bot.slack import blocks
from bot.slack.blocks import Message
from bot.slack.mrkdwn import from_slack, strip_mention
from bot.slack.outbox import Outbox, Timing
from bot.slack.store import Reply as Outgoing
from bot.slack.store import SlackStore
from bot.slack.work import WorkQueue

log = logging.getLogger(__name__)

HELP_WORDS = frozenset({"", "help", "usage", "h", "?", "？", "帮助", "幫助", "怎么用", "怎麼用"})
ADMIN_WORDS = {
    "reload": "reload",
    "重新加载": "reload",
    "重新加載": "reload",
    "stats": "stats",
    "statistics": "stats",
    "统计": "stats",
    "統計": "stats",
}
PRUNE_EVERY = 24 * 3600.0  # seconds


def parse_command(text: str) -> str | None:
    """'help', 'reload' or 'stats' when the whole message is one of those words; None for a question."""
    plain = from_slack(text).strip().strip("/").strip().lower()
    if plain in HELP_WORDS:
        return "help"
    return ADMIN_WORDS.get(plain)


@dataclass(frozen=True)
class Reply:
    message: Message
    kind: str  # "answer", "usage", "admin"
    answer: Answer | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.matched


class PolicyService:
    """What every listener needs: the knowledge store, the Slack tables, and the settings."""

    def __init__(
        self,
        settings: Settings,
        store: KnowledgeStore,
        db: SlackStore,
        client: WebClient | None = None,
        *,
        timing: Timing | None = None,
        work: WorkQueue | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.db = db
        self.timing = timing or Timing()
        self.work = work or WorkQueue()
        self.outbox = Outbox(db, client or WebClient(), self.timing, on_orphan=self.resume)
        self._pruned_at = time.monotonic()
        self._prune_lock = threading.Lock()
        self._recent: OrderedDict[str, None] = OrderedDict()  # sent keys, when the database is down
        self._recent_lock = threading.Lock()

    def close(self) -> None:
        self.outbox.stop()
        self.work.shutdown()

    # ------------------------------------------------------------------ answering

    def reply(
        self,
        text: str,
        *,
        surface: str,
        channel: str | None,
        user: str | None,
        echo_question: bool = False,
        share: bool = False,
    ) -> Reply:
        """The reply to a message (bot mention already stripped): usage, an admin command, or an answer."""
        command = parse_command(text)
        if command == "help":
            return Reply(blocks.usage_message(self.store.answerer().kb), "usage")
        if command is not None:
            return Reply(self.admin(command, user), "admin")
        answerer = self.store.answerer()
        answer = answerer.ask(text)
        self.log_answer(answer, text, surface=surface, channel=channel, user=user)
        message = blocks.answer_message(
            answer, answerer.kb, asked=text if echo_question else None, share=share and answer.matched
        )
        return Reply(message, "answer", answer)

    def followup_reply(self, text: str, *, channel: str, user: str | None) -> Reply | None:
        """A message in a thread the bot is in, without a mention: answered only when the knowledge base
        answers it or says the documents do not state it; None (stay quiet) for everything else, such
        as people talking to each other ("明天谁去开会？")."""
        if parse_command(text) is not None:
            return None  # "help" or "stats" said in passing in a thread is not addressed to the bot
        answerer = self.store.answerer()
        answer = answerer.ask(text)
        if not any(part.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED) for part in answer.all_parts):
            return None
        self.log_answer(answer, text, surface="thread", channel=channel, user=user)
        return Reply(blocks.answer_message(answer, answerer.kb), "answer", answer)

    def entry_reply(
        self,
        entry_id: str,
        traditional: bool,
        *,
        channel: str | None,
        user: str | None,
        share: bool = False,
        shared_by: str | None = None,
        log_as: str | None = "suggestion",
    ) -> Reply | None:
        """The answer of one entry (a clicked suggestion or a shared answer); None if it is gone."""
        answerer = self.store.answerer()
        answer = answerer.answer_entry(entry_id, traditional=traditional)
        if answer is None:
            return None
        if log_as:
            self.log_answer(answer, "", surface=log_as, channel=channel, user=user)
        message = blocks.answer_message(answer, answerer.kb, share=share, shared_by=shared_by)
        return Reply(message, "answer", answer)

    def log_answer(self, answer: Answer, text: str, *, surface: str, channel: str | None, user: str | None) -> None:
        """Log the outcome; the text only when unanswered (the curators' list). Never fails the reply."""
        try:
            self.db.log_question(
                surface=surface,
                outcome=answer.outcome.value,
                channel=channel,
                user=user,
                entry_id=answer.entry_id,
                score=round(answer.score, 4),
                text=from_slack(text) if answer.outcome in (Outcome.REFUSED, Outcome.NOT_STATED) else None,
            )
        except Exception:
            log.exception("could not log a %s question from %s", surface, channel)
        log_for_review(
            self.db.engine, answer, from_slack(text), platform="slack", surface=surface, channel=channel, user=user
        )

    # ------------------------------------------------------------------ admin

    def is_admin(self, user: str | None) -> bool:
        return bool(user) and user in self.settings.bot_admins

    def admin(self, command: str, user: str | None) -> Message:
        if not self.is_admin(user):
            log.info("refused admin command %r from non-admin %s", command, user)
            return blocks.notice(blocks.NOT_ADMIN)
        if command == "reload":
            issues = self.store.refresh(force=True)
            kb = self.store.answerer().kb
            log.info("admin %s reloaded the knowledge base: %d issue(s)", user, len(issues))
            return blocks.reload_message(issues, len(kb.entries), len(kb.documents))
        return blocks.stats_message(self.db.stats())

    # ------------------------------------------------------------------ events: received, decided, sent

    def accept_event(
        self, kind: str, body: dict[str, Any], event: dict[str, Any], bot_user_id: str | None
    ) -> BoltResponse | None:
        """Runs before Slack gets its answer: store the event (claiming its id and its message), queue
        the work, return. A retry or a duplicate delivery of an event already received is skipped: its
        reply, pending or not, comes from the outbox. Database down: 503, so that Slack retries later
        rather than the message being lost. Queue full: the user is told the bot is busy."""
        event_id = str(body.get("event_id") or "")
        key = f"event:{event_id}" if event_id else f"message:{event.get('channel')}:{event.get('ts')}"
        keys = [f"message:{event['channel']}:{event['ts']}"] if event.get("channel") and event.get("ts") else []
        request = {
            "kind": kind,
            "event_id": event_id,
            "bot_user_id": bot_user_id,
            "event": {k: event.get(k) for k in ("channel", "ts", "thread_ts", "text", "user") if event.get(k)},
        }
        busy = self.work.full()
        try:
            with urgent():  # Slack is waiting for this one
                received = self.db.receive(keys, key, request, lease=self.timing.lease)
        except Exception as exc:
            log.error("event %s: database unavailable, asking Slack to retry (503): %s", event_id, _first_line(exc))
            return BoltResponse(status=503, body="database unavailable; retry later")
        if not received:
            log.info("event %s: already received (retry or duplicate), skipped", event_id)
            return None
        self._prune_now_and_then()
        if busy or not self.work.submit(functools.partial(self._answer_event, key, request)):
            self._busy_event(key, request)
        return None

    def resume(self, key: str, request: dict[str, Any]) -> bool:
        """An event a stopped process received but never answered (the outbox found it)."""
        log.info("%s: answering an event a stopped process had received", key)
        return self.work.submit(functools.partial(self._answer_event, key, request))

    def _answer_event(self, key: str, request: dict[str, Any]) -> None:
        try:
            reply = self.decide_event(key, request)
        except SQLAlchemyError as exc:
            # left `received`: once its lease runs out the outbox hands it to a worker again
            log.error("%s: database unavailable while answering, will retry: %s", key, _first_line(exc))
            return
        except Exception as exc:
            log.exception("%s: could not answer: %r", key, exc)
            reply = None  # a bug, not an outage: trying again would fail the same way
        if not self.db.decide(reply, key, self.timing.lease):
            log.info("%s: already decided by another process", key)
            return
        if reply is not None:
            self.outbox.deliver(replace(reply, attempts=1))

    def decide_event(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        """The reply to a received event (None: nothing to say)."""
        kind, event = request.get("kind"), request.get("event") or {}
        channel, user = event.get("channel") or "", event.get("user")
        text = strip_mention(event.get("text") or "", request.get("bot_user_id"))
        if kind == "thread":
            reply = self.followup_reply(text, channel=channel, user=user)
            if reply is None:
                return None
            return self._outgoing(key, reply, channel=channel, thread_ts=event.get("thread_ts"))
        if kind == "dm":
            reply = self.reply(text, surface="dm", channel=channel, user=user)
            return self._outgoing(key, reply, channel=channel, thread_ts=event.get("thread_ts"))
        thread_ts = event.get("thread_ts") or event.get("ts")
        reply = self.reply(text, surface="mention", channel=channel, user=user)
        # Remembered before posting, so a reply typed the moment the answer appears counts as a follow-up.
        known = self.in_bot_thread(channel, thread_ts)
        if not known:
            self.remember_thread(channel, thread_ts)
        return self._outgoing(key, reply, channel=channel, thread_ts=thread_ts, forget_thread=not known)

    @staticmethod
    def _outgoing(key: str, reply: Reply, *, channel: str, thread_ts: str | None, **extra: Any) -> Outgoing:
        target = {"channel": channel, "thread_ts": thread_ts, **extra}
        entry = reply.answer.entry_id if reply.answer is not None else None
        return Outgoing(key, "post", target, reply.message, entry_id=entry)

    def _busy_event(self, key: str, request: dict[str, Any]) -> None:
        event = request.get("event") or {}
        notice = None
        if request.get("kind") in ("mention", "dm"):
            thread_ts = event.get("thread_ts") or (event.get("ts") if request.get("kind") == "mention" else None)
            target = {"channel": event.get("channel"), "thread_ts": thread_ts}
            notice = Outgoing(key, "post", target, blocks.busy_message(), notice=True)
        log.warning("%s: the work queue is full (%d); %s", key, self.work.limit, "busy notice" if notice else "dropped")
        try:
            self.db.decide(notice, key, lease=None)
        except Exception:
            log.exception("%s: could not record the busy notice", key)
        self.outbox.wake()

    # ------------------------------------------------------------------ replies to commands and buttons

    def post(
        self, key: str, *, channel: str, message: Message, thread_ts: str | None = None, entry_id: str | None = None
    ) -> bool:
        """Send a chat.postMessage reply once per `key`; False if `key` was already sent."""
        return self.send(
            [Outgoing(key, "post", {"channel": channel, "thread_ts": thread_ts}, message, entry_id=entry_id)]
        )

    def respond(self, key: str, response_url: str, message: dict[str, Any]) -> bool:
        """Post to a response_url once per `key`; False if `key` was already sent."""
        return self.send([Outgoing(key, "respond", {"response_url": response_url}, message)])

    def send(self, replies: list[Outgoing]) -> bool:
        """Write the replies to the outbox (all or none: False if the first key was sent before), then
        deliver them in order. Database down: delivered directly, once per key in this process."""
        if not replies:
            return True
        try:
            written = self.db.add_replies(replies, lease=self.timing.lease)
        except Exception as exc:
            log.error("outbox unavailable, sending %s directly: %s", replies[0].key, _first_line(exc))
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

    def notify_busy(self, response_url: str | None) -> None:
        """A busy notice through a response_url, sent by the outbox's own threads."""
        if not response_url:
            return
        message = {"response_type": "ephemeral", "replace_original": False, **blocks.busy_message()}
        notice = Outgoing(f"busy:{uuid.uuid4().hex}", "respond", {"response_url": response_url}, message, notice=True)
        try:
            self.db.add_replies([notice], lease=None)
        except Exception:
            log.exception("could not record a busy notice")
        self.outbox.wake()

    def _remember_sent(self, key: str) -> bool:
        with self._recent_lock:
            if key in self._recent:
                return False
            self._recent[key] = None
            while len(self._recent) > 10_000:
                self._recent.popitem(last=False)
        return True

    def _prune_now_and_then(self) -> None:
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

    # ------------------------------------------------------------------ threads

    def in_bot_thread_or_raise(self, channel: str, thread_ts: str) -> bool:
        """As in_bot_thread, but a database error propagates (the caller answers Slack 503)."""
        return self.db.in_thread(channel, thread_ts)

    def in_bot_thread(self, channel: str, thread_ts: str) -> bool:
        try:
            return self.db.in_thread(channel, thread_ts)
        except Exception:
            log.exception("could not look up thread %s/%s", channel, thread_ts)
            return False

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        try:
            self.db.remember_thread(channel, thread_ts)
        except Exception:
            log.exception("could not remember thread %s/%s", channel, thread_ts)

    def forget_thread(self, channel: str, thread_ts: str) -> None:
        try:
            self.db.forget_thread(channel, thread_ts)
        except Exception:
            log.exception("could not forget thread %s/%s", channel, thread_ts)

    # ------------------------------------------------------------------ App Home

    def home_view(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or datetime.now(timezone.utc)
        try:
            deadlines = wiring.upcoming_deadlines(self.settings, now, limit=5)
        except Exception:
            log.exception("could not read upcoming deadlines for the App Home")
            deadlines = []
        return blocks.home_view(self.store.answerer().kb, deadlines)

    def ask_modal(self) -> dict[str, Any]:
        return blocks.ask_modal(self.store.answerer().kb)

    def feedback(
        self,
        *,
        channel: str,
        message_ts: str,
        user: str,
        entry_id: str | None,
        vote: int,
        clicked_at: datetime | None = None,
    ) -> None:
        self.db.record_feedback(
            channel=channel, message_ts=message_ts, user=user, entry_id=entry_id, vote=vote, clicked_at=clicked_at
        )


def _first_line(error: BaseException) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__

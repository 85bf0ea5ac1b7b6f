"""The Slack door onto the core: one object the listeners share (question in, Block Kit message out).

Listeners stay small: they read the payload, ask this service, and post. Everything they have in common
lives here: admin commands, the question log, exactly-once claims, posting with error logging.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.answer import Answer, Outcome
from bot.config import Settings
from bot.kb.store import KnowledgeStore
from bot.review.service import log_for_review
from bot.schedule import wiring
from bot.slack import blocks
from bot.slack.blocks import Message
from bot.slack.mrkdwn import from_slack
from bot.slack.store import SlackStore

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
# A follow-up in a thread is answered when it matches an entry, or when it reads like a question;
# "thanks" or "👍" between colleagues in the bot's thread gets no "the documents do not say".
_QUESTION_MARKERS = re.compile(
    r"[?？]|吗|嗎|什么|什麼|怎么|怎麼|怎样|怎樣|如何|多少|几|幾|哪|是否|能否|可否|有没有|有沒有|谁|誰"
)


PRUNE_EVERY = 24 * 3600.0  # seconds


def parse_command(text: str) -> str | None:
    """'help', 'reload' or 'stats' when the whole message is one of those words; None for a question."""
    plain = from_slack(text).strip().strip("/").strip().lower()
    if plain in HELP_WORDS:
        return "help"
    return ADMIN_WORDS.get(plain)


def looks_like_question(text: str) -> bool:
    return bool(_QUESTION_MARKERS.search(text))


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

    def __init__(self, settings: Settings, store: KnowledgeStore, db: SlackStore) -> None:
        self.settings = settings
        self.store = store
        self.db = db
        self._pruned_at = time.monotonic()
        self._prune_lock = threading.Lock()

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
        """A message in a thread the bot is in, without a mention: answered if it matches an entry or
        reads like a question; None (stay quiet) otherwise."""
        if parse_command(text) is not None:
            return None  # "help" or "stats" said in passing in a thread is not addressed to the bot
        answerer = self.store.answerer()
        answer = answerer.ask(text)
        if not answer.matched and not (answer.outcome is Outcome.REFUSED and looks_like_question(text)):
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

    # ------------------------------------------------------------------ exactly once

    def claim(self, body: dict[str, Any], event: dict[str, Any] | None = None) -> bool:
        """Claim an event (and the message it carries) before answering it.

        Slack retries an event it thinks we missed (`X-Slack-Retry-Num`), in Socket Mode too, and one
        message can arrive as two events (`app_mention` and `message`); the claim in the database lets
        exactly one of them through, across restarts and instances."""
        keys = []
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if event and event.get("channel") and event.get("ts"):
            keys.append(f"message:{event['channel']}:{event['ts']}")
        if not keys:
            return True
        try:
            claimed = self.db.claim(keys)
        except Exception:
            # Without the database we cannot promise exactly once; answering nothing is the safe side.
            log.exception("event %s: could not claim it in the database; not answering", body.get("event_id"))
            return False
        if not claimed:
            log.info("event %s: already handled (retry or duplicate), skipped", body.get("event_id"))
        self._prune_now_and_then()
        return claimed

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

    # ------------------------------------------------------------------ posting

    def post(
        self,
        client: Any,
        *,
        channel: str,
        message: Message,
        thread_ts: str | None = None,
        event_id: str | None = None,
    ) -> str | None:
        """chat.postMessage (the client retries 429/5xx/connection errors); the message ts, or None after
        logging the failure with the event id. Never raises: a failed post must not kill the listener."""
        try:
            response = client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            log.error(
                "event %s: chat.postMessage to %s failed: %s",
                event_id,
                channel,
                exc.response.get("error") if exc.response is not None else exc,
            )
            return None
        except Exception as exc:
            log.error("event %s: chat.postMessage to %s failed: %r", event_id, channel, exc)
            return None
        return response.get("ts")

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

    def feedback(self, *, channel: str, message_ts: str, user: str, entry_id: str | None, vote: int) -> None:
        self.db.record_feedback(channel=channel, message_ts=message_ts, user=user, entry_id=entry_id, vote=vote)

"""The Slack door onto the core: Slack's events in, Block Kit out.

The conversation rules (commands, follow-ups, thread memory, the question log, feedback) live in
`bot/chat/`; receiving exactly once, the work queue and the outbox too. What is left here is Slack's:
the keys of an event (its event id and its message), turning an event into an `Incoming`, rendering a
`Reply` as Block Kit, and the `post`/`respond` replies of commands and buttons.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient

from bot.answer import Answer
from bot.chat.core import ChatCore, first_line
from bot.chat.messages import Incoming
from bot.chat.messages import Reply as CoreReply
from bot.chat.outbox import Timing
from bot.chat.store import ChatStore
from bot.chat.store import Outgoing as Outgoing
from bot.chat.work import WorkQueue
from bot.config import Settings
from bot.kb.loader import KnowledgeBase
from bot.kb.store import KnowledgeStore
from bot.schedule import wiring
from bot.slack import blocks
from bot.slack.blocks import Message
from bot.slack.mrkdwn import from_slack, safe, strip_mention
from bot.slack.outbox import SlackSender

log = logging.getLogger(__name__)

PLATFORM = "slack"


@dataclass(frozen=True)
class Reply:
    message: Message
    kind: str  # "answer", "usage", "deadlines", "admin"
    answer: Answer | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.matched


def render(
    reply: CoreReply, kb: KnowledgeBase, *, asked: str | None = None, share: bool = False, shared_by: str | None = None
) -> Reply:
    """The core's reply as Block Kit."""
    if reply.kind == "usage":
        return Reply(blocks.usage_message(kb), "usage")
    if reply.kind == "deadlines":
        return Reply(blocks.notice(safe(reply.text)), "deadlines")
    if reply.kind == "not_admin":
        return Reply(blocks.notice(blocks.NOT_ADMIN), "admin")
    if reply.kind == "reload":
        return Reply(blocks.reload_message(reply.issues, reply.entries, reply.documents), "admin")
    if reply.kind == "stats":
        return Reply(blocks.stats_message(reply.stats), "admin")
    answer = reply.answer
    assert answer is not None, reply.kind
    return Reply(blocks.answer_message(answer, kb, asked=asked, share=share, shared_by=shared_by), "answer", answer)


class PolicyService:
    """What every Slack listener needs: the core (knowledge, tables, queue, outbox) and Slack's rendering."""

    def __init__(
        self,
        settings: Settings,
        store: KnowledgeStore,
        db: ChatStore,
        client: WebClient | None = None,
        *,
        timing: Timing | None = None,
        work: WorkQueue | None = None,
        core: ChatCore | None = None,
    ) -> None:
        self.core = core or ChatCore(settings, store, db, timing=timing, work=work)
        self.settings = settings
        self.store = store
        self.db = db
        self.timing = self.core.timing
        self.work = self.core.work
        self.outbox = self.core.outbox
        self.conversation = self.core.conversation
        sender = SlackSender(client or WebClient(), self.timing)
        self.inbox = self.core.register(PLATFORM, sender, self.decide_event, self._busy_notice)

    def close(self) -> None:
        self.core.close()

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
        context: str | None = None,
    ) -> Reply:
        """The reply to a message (bot mention already stripped): usage, an admin command, or an answer;
        `context`: see Conversation.context_of."""
        core = self.conversation.reply(
            text,
            platform=PLATFORM,
            surface=surface,
            channel=channel,
            user=user,
            plain=from_slack(text),
            context=context,
        )
        asked = text if echo_question else None
        share = share and core.answer is not None and core.answer.matched  # only an answer is worth posting
        return render(core, self.store.answerer().kb, asked=asked, share=share)

    def followup_reply(self, text: str, *, channel: str, user: str | None, thread: str | None = None) -> Reply | None:
        """A message in the bot's thread without a mention: see Conversation.followup_reply."""
        core = self.conversation.followup_reply(
            text, platform=PLATFORM, channel=channel, user=user, thread=thread, plain=from_slack(text)
        )
        return None if core is None else render(core, self.store.answerer().kb)

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
        core = self.conversation.entry_reply(
            entry_id, traditional, platform=PLATFORM, channel=channel, user=user, log_as=log_as
        )
        if core is None:
            return None
        return render(core, self.store.answerer().kb, share=share, shared_by=shared_by)

    def log_answer(self, answer: Answer, text: str, *, surface: str, channel: str | None, user: str | None) -> None:
        self.conversation.log_answer(
            answer, from_slack(text), platform=PLATFORM, surface=surface, channel=channel, user=user
        )

    # ------------------------------------------------------------------ admin

    def is_admin(self, user: str | None) -> bool:
        return self.conversation.is_admin(PLATFORM, user)

    def admin(self, command: str, user: str | None) -> Message:
        return render(self.conversation.admin(command, PLATFORM, user), self.store.answerer().kb).message

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
        try:
            received = self.inbox.accept(key, keys, request)
        except Exception as exc:
            log.error("event %s: database unavailable, asking Slack to retry (503): %s", event_id, first_line(exc))
            return BoltResponse(status=503, body="database unavailable; retry later")
        if not received:
            log.info("event %s: already received (retry or duplicate), skipped", event_id)
        return None

    def resume(self, key: str, request: dict[str, Any]) -> bool:
        """An event a stopped process received but never answered (the outbox found it)."""
        return self.inbox.resume(key, request)

    @staticmethod
    def incoming(request: dict[str, Any]) -> Incoming:
        """A stored Slack event (`accept_event`'s request, also as older versions stored it) as the core reads it."""
        kind, event = request.get("kind"), request.get("event") or {}
        text = strip_mention(event.get("text") or "", request.get("bot_user_id"))
        return Incoming(
            platform=PLATFORM,
            tenant="",
            conversation=event.get("channel") or "",
            message_id=event.get("ts") or "",
            sender=event.get("user") or "",
            text=text,
            plain=from_slack(text),
            addressed=kind in ("mention", "dm"),
            direct=kind == "dm",
            thread=event.get("thread_ts"),
        )

    def decide_event(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        """The reply to a received event (None: nothing to say): the core's routing and thread memory,
        answered through `reply` / `followup_reply` (Block Kit)."""
        message = self.incoming(request)
        route = self.conversation.route(message)
        channel, user = message.conversation, message.sender
        if route is None:
            return None
        if route == "thread":
            reply = self.followup_reply(message.text, channel=channel, user=user, thread=message.thread)
            return None if reply is None else self._outgoing(key, reply, channel, message.thread)
        context = self.conversation.context_of(message)
        reply = self.reply(message.text, surface=route, channel=channel, user=user, context=context)
        if route == "dm":
            return self._outgoing(key, reply, channel, message.thread)
        thread, new = self.conversation.enter_thread(message)
        if context != thread:  # a new thread: its first question is what its follow-ups are read after
            self.conversation.note_answer(channel, thread, message.plain or message.text, reply.answer)
        return self._outgoing(key, reply, channel, thread, forget_thread=new)

    @staticmethod
    def _outgoing(key: str, reply: Reply, channel: str, thread_ts: str | None, **extra: Any) -> Outgoing:
        target = {"channel": channel, "thread_ts": thread_ts, **extra}
        entry = reply.answer.entry_id if reply.answer is not None else None
        return Outgoing(key, "post", target, reply.message, entry_id=entry)

    def _busy_notice(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        event = request.get("event") or {}
        if request.get("kind") not in ("mention", "dm"):
            return None
        thread_ts = event.get("thread_ts") or (event.get("ts") if request.get("kind") == "mention" else None)
        target = {"channel": event.get("channel"), "thread_ts": thread_ts}
        return Outgoing(key, "post", target, blocks.busy_message(), notice=True)

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
        """Write the replies to the outbox, then deliver them (see ChatCore.send)."""
        return self.core.send(replies)

    def notify_busy(self, response_url: str | None) -> None:
        """A busy notice through a response_url, sent by the outbox's own threads."""
        if not response_url:
            return
        message = {"response_type": "ephemeral", "replace_original": False, **blocks.busy_message()}
        notice = Outgoing(f"busy:{uuid.uuid4().hex}", "respond", {"response_url": response_url}, message, notice=True)
        self.core.notify(notice)

    # ------------------------------------------------------------------ threads

    def in_bot_thread_or_raise(self, channel: str, thread_ts: str) -> bool:
        """As in_bot_thread, but a database error propagates (the caller answers Slack 503)."""
        return self.conversation.in_thread_or_raise(channel, thread_ts)

    def in_bot_thread(self, channel: str, thread_ts: str) -> bool:
        return self.conversation.in_thread(channel, thread_ts)

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        self.conversation.remember_thread(channel, thread_ts, PLATFORM)

    def forget_thread(self, channel: str, thread_ts: str) -> None:
        self.conversation.forget_thread(channel, thread_ts)

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

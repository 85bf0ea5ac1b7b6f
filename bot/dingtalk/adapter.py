"""DingTalk on the shared core (bot/chat/): a ChatbotMessage in, the core's Reply out as DingTalk markdown.

    stream listener -> receive(): addressed? -> Inbox.accept("dingtalk:message:<msgId>") (claim + store)
    worker          -> decide(): core.conversation.respond -> render -> Outgoing (the sessionWebhook)
    outbox          -> send(): one POST (the webhook, or the robot API once it expired);
                       DingTalk's "too fast" -> Transient(retry_after)

The claim and the stored request are what make a redelivered message (DingTalk resends what it thinks
was slow; the SDK's own memory is per process) answered once, by one process, however many run; a
process that dies after receiving leaves the request for the outbox to hand to another (the webhook it
replies to is in the request, valid about 90 minutes; after that the robot API: bot/dingtalk/reply.py).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.chat.core import ChatCore
from bot.chat.messages import Incoming
from bot.chat.outbox import Transient, Undeliverable
from bot.chat.store import Outgoing
from bot.dingtalk import render
from bot.dingtalk.api import DingTalkError
from bot.dingtalk.message import DingTalkMessage
from bot.dingtalk.reply import Replier, ReplyTarget

log = logging.getLogger(__name__)

PLATFORM = "dingtalk"
KIND = "reply"  # the one kind of row this adapter sends: a reply to a message (bot/dingtalk/reply.py)


def incoming(message: DingTalkMessage) -> Incoming:
    return Incoming(
        platform=PLATFORM,
        tenant=message.corp_id or "",
        conversation=message.conversation_id,
        message_id=message.msg_id,
        sender=message.sender_id,
        text=message.text,
        addressed=message.addressed,
        direct=not message.is_group,
    )


def reply_target(message: DingTalkMessage) -> ReplyTarget:
    return ReplyTarget(
        conversation_id=message.conversation_id,
        group=message.is_group,
        user_id=message.sender_id,
        webhook=message.session_webhook,
        expires_at=message.webhook_expires_at,
        limit_key=f"{message.robot_code or ''}:{message.conversation_id}",
    )


def request_of(message: DingTalkMessage) -> dict[str, Any]:
    """What is stored with the claim, and all `decide` gets back (also after a restart)."""
    return {
        "platform": PLATFORM,
        "incoming": incoming(message).to_json(),
        "target": reply_target(message).to_json(),
        "title": message.conversation_title,
    }


class DingTalkAdapter:
    def __init__(self, core: ChatCore, replier: Replier | None = None) -> None:
        self.core = core
        self.replier = replier or Replier()
        self.inbox = core.register(PLATFORM, self.send, self.decide, self.busy)

    # ------------------------------------------------------------------ receiving

    def receive(self, message: DingTalkMessage) -> None:
        """Called for every ChatbotMessage before its ack; raises if the database is down (the listener
        then acks 500 and DingTalk redelivers)."""
        if not message.addressed:
            return
        key = f"{PLATFORM}:message:{message.msg_id}"
        if not self.inbox.accept(key, [], request_of(message)):
            log.info("%s: already received (a redelivery), skipped", key)

    # ------------------------------------------------------------------ deciding

    def decide(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        message = Incoming.from_json(request["incoming"])
        reply = self.core.conversation.respond(message)
        if reply is None:
            return None
        if reply.kind == "usage" and not message.direct:  # how an installer finds DINGTALK_DIGEST_GROUPS
            log.info("DingTalk group %r has openConversationId %s", request.get("title"), message.conversation)
        kb = self.core.store.answerer().kb
        body = render.reply_body(reply, kb, mention=_mention(message), private=message.direct)
        return self._outgoing(key, request, body, entry_id=reply.entry_id)

    def busy(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        message = Incoming.from_json(request["incoming"])
        return self._outgoing(key, request, render.notice_body(render.BUSY, _mention(message)), notice=True)

    @staticmethod
    def _outgoing(
        key: str, request: dict[str, Any], body: render.Body, *, entry_id: str | None = None, notice: bool = False
    ) -> Outgoing:
        # `channel` is what the outbox records as where the reply went
        target = {**request["target"], "channel": request["incoming"]["conversation"]}
        return Outgoing(key, KIND, target, body, notice=notice, entry_id=entry_id, platform=PLATFORM)

    # ------------------------------------------------------------------ sending

    def send(self, reply: Outgoing) -> tuple[str | None, str | None]:
        """One attempt (the outbox retries): DingTalk's rate limit and busy answers are Transient."""
        try:
            self.replier.send(ReplyTarget.from_json(reply.target), reply.message)
        except DingTalkError as exc:
            if exc.retryable:
                raise Transient(f"DingTalk: {exc}", exc.retry_after) from None
            raise Undeliverable(f"DingTalk: {exc}") from None
        return reply.target.get("channel"), None


def _mention(message: Incoming) -> str | None:
    """In a group the asker is @mentioned (DingTalk has no threads to answer under the question)."""
    return message.sender if not message.direct and message.sender else None

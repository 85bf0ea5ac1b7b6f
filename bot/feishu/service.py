"""Feishu on the core: events in (already verified by bot/feishu/http.py), cards out.

- `im.message.receive_v1`: parsed, then received exactly once through the core's inbox (claimed on
  the message id and the event id) before Feishu gets its 200; answered on a worker; the card is a
  reply to the asker's message (in a thread in groups) carrying the outbox key as `uuid`.
- `card.action.trigger`: answered within Feishu's 3 seconds with a toast. A vote is recorded at
  once; a suggested question is queued and its answer replied under the card.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from typing import Any

from lark_oapi.api.im.v1 import P2ImMessageReceiveV1
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTrigger,
    P2CardActionTriggerResponse,
)

from bot.chat.core import ChatCore
from bot.chat.messages import Incoming, Reply
from bot.chat.store import Outgoing
from bot.feishu import cards
from bot.feishu.api import FeishuSender, OpenApi
from bot.feishu.parse import PLATFORM, incoming

log = logging.getLogger(__name__)


class FeishuService:
    def __init__(self, core: ChatCore, api: OpenApi, bot_open_id: str) -> None:
        self.core = core
        self.api = api
        self.bot_open_id = bot_open_id
        core.conversation.admins[PLATFORM] = core.settings.feishu_admins
        self.inbox = core.register(PLATFORM, FeishuSender(api), self.decide, self.busy)

    # ------------------------------------------------------------------ messages

    def on_message(self, data: P2ImMessageReceiveV1) -> None:
        """Runs before Feishu gets its answer: receive (one database write), queue, return. A database
        error propagates: the SDK answers 500 and Feishu delivers the event again later."""
        message = incoming(data.event, self.bot_open_id) if data.event is not None else None
        if message is None or not self._for_the_bot(message):
            return
        event_id = data.header.event_id if data.header is not None else None
        key = f"{PLATFORM}:message:{message.message_id}"
        keys = [f"{PLATFORM}:event:{event_id}"] if event_id else []
        if not self.inbox.accept(key, keys, {"incoming": message.to_json()}):
            log.info("%s: already received (a redelivery), skipped", key)

    def _for_the_bot(self, message: Incoming) -> bool:
        """Addressed to the bot, or in a thread it answered in: only those are stored (with the scope to
        read every group message, Feishu sends all of them; talk elsewhere is never written down)."""
        if message.addressed:
            return True
        settings = self.core.settings
        return bool(settings.thread_followups and message.thread) and self.core.conversation.in_thread_or_raise(
            message.conversation, message.thread or ""
        )

    def decide(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        message = Incoming.from_json(request.get("incoming") or {})
        reply = self.core.conversation.respond(message)
        if reply is None:
            return None
        return self._outgoing(key, message, reply, cards.render(reply, self.core.store.answerer().kb))

    def busy(self, key: str, request: dict[str, Any]) -> Outgoing | None:
        message = Incoming.from_json(request.get("incoming") or {})
        if not message.addressed:
            return None
        return self._outgoing(key, message, Reply("busy"), cards.notice(cards.BUSY), notice=True)

    @staticmethod
    def _outgoing(key: str, message: Incoming, reply: Reply, card: cards.Card, *, notice: bool = False) -> Outgoing:
        target = {
            "message_id": message.message_id,
            "channel": message.conversation,
            "thread_ts": reply.thread,
            "forget_thread": reply.new_thread,
            "in_thread": not message.direct,
        }
        return Outgoing(key, "reply", target, {"card": card}, notice=notice, entry_id=reply.entry_id, platform=PLATFORM)

    # ------------------------------------------------------------------ card buttons

    def on_card_action(self, data: P2CardActionTrigger) -> P2CardActionTriggerResponse:
        """A button on one of our cards. Votes are recorded now; a suggestion is answered from the queue."""
        event = data.event
        value = (event.action.value if event and event.action else None) or {}
        context = event.context if event else None
        user = (event.operator.open_id if event and event.operator else None) or ""
        chat = (context.open_chat_id if context else None) or ""
        card_message = (context.open_message_id if context else None) or ""
        if not isinstance(value, dict) or not user or not card_message:
            return _toast("info", "")
        if value.get("a") in ("up", "down"):
            reply = self.core.conversation.click(
                value, platform=PLATFORM, channel=chat, message_id=card_message, user=user
            )
            if reply is None:
                return _toast("info", "")
            return _toast("success", cards.THANKS_UP if reply.vote > 0 else cards.THANKS_DOWN)
        if value.get("a") == "ask":
            job = functools.partial(self._answer_click, value, chat, card_message, user)
            if not self.core.work.submit(job):
                return _toast("warning", cards.BUSY)
            return _toast("info", "正在查询…")
        return _toast("info", "")

    def _answer_click(self, value: dict[str, Any], chat: str, card_message: str, user: str) -> None:
        """One answer per (card, button, person): the same click twice sends nothing new."""
        reply = self.core.conversation.click(value, platform=PLATFORM, channel=chat, message_id=card_message, user=user)
        if reply is None:
            return
        button = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]
        key = f"{PLATFORM}:action:{card_message}:{button}:{user}"
        card = cards.render(reply, self.core.store.answerer().kb)
        target = {"message_id": card_message, "channel": chat, "in_thread": True}
        self.core.send([Outgoing(key, "reply", target, {"card": card}, entry_id=reply.entry_id, platform=PLATFORM)])


def _toast(kind: str, text: str) -> P2CardActionTriggerResponse:
    if not text:
        return P2CardActionTriggerResponse({})
    return P2CardActionTriggerResponse({"toast": {"type": kind, "content": text}})

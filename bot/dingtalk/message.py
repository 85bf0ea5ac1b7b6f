"""A ChatbotMessage (what DingTalk delivers on /v1.0/im/bot/messages/get) as a small, plain dataclass.

Parsing goes through the SDK's own `ChatbotMessage.from_dict`, so field names follow the SDK; what the
rest of the bot needs is only this: who asked, where, what, whether the bot was addressed, and where to
reply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dingtalk_stream import ChatbotMessage

PRIVATE = "1"  # conversationType of a 1:1 chat
GROUP = "2"
TEXT_LIMIT = 2000  # a question longer than this is cut (the matcher reads 300 characters anyway)
# In a group, DingTalk removes the robot's own @name from the text but keeps other mentions; a leading
# "@someone " is addressing, not content.
_LEADING_MENTIONS = re.compile(r"^(?:\s*@\S+\s+)+")


@dataclass(frozen=True)
class DingTalkMessage:
    msg_id: str
    conversation_id: str
    is_group: bool
    sender_id: str  # senderStaffId (the organisation's userId, which an @mention needs) when present
    sender_nick: str
    text: str  # the question, mentions removed
    addressed: bool  # a 1:1 message, or a group message with the bot in its @ list
    session_webhook: str | None
    webhook_expires_at: float | None  # seconds since the epoch
    robot_code: str | None
    corp_id: str | None
    conversation_title: str | None

    @property
    def conversation_key(self) -> str:
        return f"{'group' if self.is_group else 'private'}:{self.conversation_id}"


def parse(data: Mapping[str, Any]) -> DingTalkMessage | None:
    """The message in a callback frame's `data`; None when it is not a chat message we can read."""
    try:
        message = ChatbotMessage.from_dict(dict(data))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not message.message_id or not message.conversation_id:
        return None
    is_group = str(message.conversation_type or "") == GROUP
    sender = message.sender_staff_id or message.sender_id or ""
    expires = message.session_webhook_expired_time
    return DingTalkMessage(
        msg_id=str(message.message_id),
        conversation_id=str(message.conversation_id),
        is_group=is_group,
        sender_id=str(sender),
        sender_nick=str(message.sender_nick or ""),
        text=question_text(message, is_group),
        addressed=(not is_group) or bool(message.is_in_at_list),
        session_webhook=_http_url(message.session_webhook),
        webhook_expires_at=expires / 1000.0 if isinstance(expires, int) and expires > 0 else None,
        robot_code=message.robot_code,
        corp_id=message.chatbot_corp_id,
        conversation_title=message.conversation_title,
    )


def question_text(message: ChatbotMessage, is_group: bool) -> str:
    """Text and rich-text parts joined; pictures carry no question. Leading mentions go in a group."""
    try:
        parts = message.get_text_list() or []
    except (AttributeError, TypeError):
        parts = []
    text = "".join(str(part) for part in parts if part).strip()
    if is_group:
        text = _LEADING_MENTIONS.sub("", text).strip()
    return text[:TEXT_LIMIT]


def _http_url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None

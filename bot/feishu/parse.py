"""Feishu's `im.message.receive_v1` event as the core's `Incoming`, and a card click's parts.

Text messages and rich-text posts are read; the bot's own mention (`@_user_1` in the text, its
open_id in `mentions`) is removed and decides `addressed`; other people's mentions become their names.
Messages from apps (the bot itself included) and other kinds (images, files, stickers) are not read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.chat.messages import Incoming

PLATFORM = "feishu"
_SPACES = re.compile(r"\s+")


def _post_text(content: dict[str, Any]) -> str:
    """The words of a rich-text post (title and text/@ elements, in any language block)."""
    body = content.get("content") if "content" in content else next(iter(content.values()), {})
    if not isinstance(body, dict):
        body = content
    parts = [str(body.get("title") or "")]
    for line in body.get("content") or []:
        for element in line if isinstance(line, list) else []:
            if isinstance(element, dict) and element.get("tag") in ("text", "a"):
                parts.append(str(element.get("text") or ""))
            elif isinstance(element, dict) and element.get("tag") == "at":
                parts.append(f"@{element.get('user_id') or ''}")
    return " ".join(part for part in parts if part)


def message_text(message_type: str, content: str) -> str | None:
    """The text of a message's `content` JSON; None for kinds the bot does not read."""
    try:
        data = json.loads(content or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if message_type == "text":
        return str(data.get("text") or "")
    if message_type == "post":
        return _post_text(data)
    return None


def incoming(event: Any, bot_open_id: str) -> Incoming | None:
    """The message of an `im.message.receive_v1` event (lark-oapi's P2ImMessageReceiveV1.event), or None
    when the bot should not read it."""
    sender, message = event.sender, event.message
    if sender is None or message is None or sender.sender_type != "user":
        return None
    text = message_text(message.message_type or "", message.content or "")
    if text is None or not message.message_id or not message.chat_id:
        return None
    addressed = False
    for mention in message.mentions or []:
        key = mention.key or ""
        is_bot = mention.id is not None and mention.id.open_id == bot_open_id
        addressed = addressed or is_bot
        if key:
            text = text.replace(key, "" if is_bot else f"@{mention.name or ''}")
    direct = message.chat_type == "p2p"
    return Incoming(
        platform=PLATFORM,
        tenant=sender.tenant_key or "",
        conversation=message.chat_id,
        message_id=message.message_id,
        sender=(sender.sender_id.open_id if sender.sender_id is not None else "") or "",
        text=_SPACES.sub(" ", text).strip(),
        addressed=addressed or direct,
        direct=direct,
        thread=message.root_id or None,
    )

"""The digest's "mark done" button: admins stop the reminders for one occurrence."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from bot.schedule.blocks import MARK_DONE_ACTION, mark_done_in_blocks, parse_button_value
from bot.schedule.ledger import Ledger

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(rf"^{MARK_DONE_ACTION}(:\d+)?$")
NOT_ADMIN = "只有管理员（BOT_ADMINS）可以标记截止事项完成。"


def make_mark_done_handler(ledger_factory: Callable[[], Ledger], admins: frozenset[str]) -> Callable[..., None]:
    """A bolt action listener `(ack, body, client)`; the ledger is opened on first use."""

    def handle_mark_done(ack: Callable[..., Any], body: dict[str, Any], client: Any) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        action = (body.get("actions") or [{}])[0]
        if user not in admins:
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, text=NOT_ADMIN)
            return
        try:
            deadline_id, occurrence = parse_button_value(action.get("value", ""))
        except (ValueError, KeyError, TypeError):
            log.warning("mark done: unreadable button value %r", action.get("value"))
            return
        newly = ledger_factory().mark_done(deadline_id, occurrence, user)
        log.info("deadline %s %s marked done by %s (new: %s)", deadline_id, occurrence, user, newly)
        message = body.get("message") or {}
        if channel and message.get("ts") and message.get("blocks"):
            client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=message.get("text", ""),
                blocks=mark_done_in_blocks(message["blocks"], action.get("block_id", ""), user),
            )

    return handle_mark_done

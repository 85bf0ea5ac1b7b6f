"""Deadline digests to a Feishu chat, for the digest runner (bot/schedule/runner.py), which claims each
reminder in the exactly-once ledger before posting and marks it sent after.

The message's request `uuid` is a digest of the reminder keys it carries: a run that takes over a
crashed run's claims sends the same uuid, and Feishu drops the repeat (it keeps uuids for an hour), so
the chat's history need not be read back as Slack's is."""

from __future__ import annotations

import hashlib
from typing import Any

from bot.feishu import cards
from bot.feishu.api import OpenApi


class FeishuDigestClient:
    def __init__(self, api: OpenApi) -> None:
        self.api = api

    def chat_postMessage(
        self, *, channel: str, text: str, metadata: dict[str, Any] | None = None, **_: Any
    ) -> dict[str, Any]:
        keys = ((metadata or {}).get("event_payload") or {}).get("keys") or [text]
        uuid = hashlib.sha256("\n".join(sorted(map(str, keys))).encode()).hexdigest()[:40]
        message_id = self.api.send(channel, "interactive", cards.digest_card(text), uuid)
        return {"ok": True, "channel": channel, "ts": message_id}

    def conversations_history(self, **_: Any) -> dict[str, Any]:
        return {"messages": []}  # the uuid above already stops a repeat

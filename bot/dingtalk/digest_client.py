"""Deadline digests to a DingTalk group through the shared digest runner (bot/schedule/runner.py):
`BOT_DIGEST_CHANNEL=dingtalk:cid…` routes there (bot/schedule/clients.py), and the ledger key carries
that channel name, the same as `DINGTALK_DIGEST_GROUPS` uses, so a group named both ways still gets
each reminder once.

The runner hands over Slack's Block Kit; this turns its header, sections and context lines into
DingTalk markdown (buttons, and the footer's words about them, dropped: a robot's markdown has no
callbacks). DingTalk has no history a
robot can read, so a run that takes over a crashed run's claims sends again (one duplicate at worst).
"""

from __future__ import annotations

import re
from typing import Any

from bot.dingtalk.markdown import one_line
from bot.dingtalk.robot import RobotApi

MARK_DONE = "标记完成"  # the Slack button's label, named in the digest's footer
_BOLD = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")  # Slack's *bold*


def to_markdown(text: str) -> str:
    """One mrkdwn text as DingTalk markdown: *bold* -> **bold**, lines kept as breaks, :warning: -> ⚠️."""
    text = text.replace(":warning:", "⚠️").replace(":white_check_mark:", "✅")
    lines = [_BOLD.sub(r"**\1**", one_line(line)) for line in text.split("\n")]
    return "  \n".join(line for line in lines if line)


def _without_buttons(text: str) -> str:
    """Drop the sentences about Slack's "mark done" button (DingTalk's message has none)."""
    return "".join(sentence for sentence in re.split(r"(?<=。)", text) if MARK_DONE not in sentence)


def blocks_markdown(blocks: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            parts.append("#### " + one_line(str((block.get("text") or {}).get("text") or "")))
        elif kind == "section":
            parts.append(to_markdown(str((block.get("text") or {}).get("text") or "")))
        elif kind == "context":
            texts = [_without_buttons(str(element.get("text") or "")) for element in block.get("elements") or []]
            parts.append("> " + "  \n> ".join(to_markdown(text) for text in texts if text))
    return "\n\n".join(part for part in parts if part.strip("> "))


class DingTalkDigestClient:
    """`chat_postMessage` / `conversations_history` as the digest runner calls them, for DingTalk groups."""

    def __init__(self, api: RobotApi) -> None:
        self.api = api

    def chat_postMessage(
        self, *, channel: str, text: str, blocks: list[dict[str, Any]] | None = None, **_: Any
    ) -> dict[str, Any]:
        title = text.split("\n", 1)[0]
        handle = self.api.send_group_markdown(channel, title, blocks_markdown(blocks or []) or to_markdown(text))
        return {"ok": True, "channel": channel, "ts": handle[:64] or None}

    def conversations_history(self, **_: Any) -> dict[str, Any]:
        return {"messages": []}

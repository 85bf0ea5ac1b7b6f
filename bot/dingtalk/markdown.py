"""DingTalk markdown safety: nothing a user or the knowledge base wrote becomes a link, an image or HTML.

DingTalk renders a subset of markdown (headings, bold, quotes, lists, links, images) and a few HTML
tags (`<font>`). A word joiner (U+2060, invisible) after `<` and between `]` and `(` breaks tags,
links and images while the text reads the same, so quotes stay verbatim to the eye. Nobody can be
pinged by text: DingTalk only notifies the ids listed in the message's `at.atUserIds` (the bot lists
the asker alone) and never sets `isAtAll`.
"""

from __future__ import annotations

import re

_JOINER = "\u2060"
_LINK = re.compile(r"\]\s*\(")
_SPACES = re.compile(r"[ \t]+")


def safe(text: str) -> str:
    """Text made inert in DingTalk markdown; its line breaks kept as breaks DingTalk shows."""
    text = text.replace("<", "<" + _JOINER)
    text = _LINK.sub("]" + _JOINER + "(", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return "  \n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """As `safe`, on one line (quotes, list items, headings)."""
    return safe(" ".join(text.split()))


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

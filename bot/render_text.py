"""Plain-text rendering of an Answer, for the CLI and the chat REPL."""

from __future__ import annotations

import re

from bot.answer import Answer, Outcome
from bot.kb.loader import KnowledgeBase

_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|万元|亿元|家|户|个)")
REFUSAL = "文件中没有找到这个问题的答案（the documents do not say）。"
# Said to a message with nothing asked in it: a greeting, thanks, emoji or a link alone.
NO_CONTENT = "请直接提出您的问题，例如关于技术改造、清理拖欠账款、数字化转型的问题。"


def example_questions(kb: KnowledgeBase, limit: int = 5) -> list[str]:
    """One question from each document, preferring one whose answer has a figure (what people ask
    for most): examples come from the KB, not from code."""
    chosen: dict[str, str] = {}
    for entry in sorted(kb.entries, key=lambda e: not _FIGURE.search(e.answer)):
        chosen.setdefault(entry.source.seed, entry.question)
    return list(chosen.values())[:limit]


def usage_text(kb: KnowledgeBase) -> str:
    lines = ["请直接用中文提问（简体或繁体均可），例如："]
    lines += [f"  • {question}" for question in example_questions(kb)]
    return "\n".join(lines)


def render_text(answer: Answer, kb: KnowledgeBase) -> str:
    if answer.outcome is Outcome.EMPTY:
        return usage_text(kb)
    if answer.outcome is Outcome.NO_CONTENT:
        return NO_CONTENT
    if answer.parts:
        return "\n\n".join(f"【{part.asked}】\n{_render_one(part)}" for part in answer.parts)
    return _render_one(answer)


def _render_one(answer: Answer) -> str:
    lines: list[str] = []
    if answer.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED):
        lines.append(answer.text or "")
        for source in answer.sources:
            lines.append(f"\n来源：{source.title}（{source.seed}）\n  “{source.quote}”")
        if answer.suggestions:
            lines.append("\n相关问题：")
            lines += [f"  • {item.question}  [{item.id}]" for item in answer.suggestions]
    else:
        lines.append(REFUSAL)
        if answer.suggestions:
            lines.append("您可能想问：")
            lines += [f"  • {item.question}  [{item.id}]" for item in answer.suggestions]
    return "\n".join(lines)

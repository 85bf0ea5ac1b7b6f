"""Answers made by hand, for the renderers' tests: each platform renders the same ones."""

from __future__ import annotations

from bot.answer import Answer, Outcome, SourceQuote, Suggestion


def answered(text: str = "答案正文", quote: str = "原文引用", traditional: bool = False) -> Answer:
    return Answer(
        Outcome.ANSWERED,
        entry_id="e-1",
        question="问题？",
        text=text,
        score=0.9,
        sources=(SourceQuote("000-x.txt", quote, "文件标题"),),
        suggestions=(Suggestion("e-2", "相关的问题"),),
        traditional=traditional,
    )


def refused(*suggestions: Suggestion) -> Answer:
    return Answer(Outcome.REFUSED, score=0.2, suggestions=tuple(suggestions))

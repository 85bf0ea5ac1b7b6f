"""Answers for the platforms' tests, each platform's the same: made by hand for the renderers, and questions
the core on the shipped knowledge base answers or refuses, for the apps driven end to end."""

from __future__ import annotations

from bot.answer import Answer, Outcome, SourceQuote, Suggestion
from bot.engine import Answerer

OFF_TOPIC = ("火星移民签证怎么办理", "明天北京下雨吗", "怎么申请去南极科考的补贴", "足球世界杯冠军是谁")


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


def own_question(answerer: Answerer) -> tuple[str, Answer]:
    """An entry's own question, which the core answers with that entry and its quotes."""
    for entry in answerer.kb.entries:
        answer = answerer.ask(entry.question)
        if answer.matched and answer.entry_id == entry.id and answer.sources:
            return entry.question, answer
    raise AssertionError("no entry answers its own question")


def refused_question(answerer: Answerer) -> tuple[str, Answer]:
    """An off-topic question the core refuses, with at least one suggestion."""
    for question in OFF_TOPIC:
        answer = answerer.ask(question)
        if answer.outcome is Outcome.REFUSED and answer.suggestions:
            return question, answer
    raise AssertionError("none of the off-topic questions is refused with suggestions")

"""Does an entry's answer hold the kind of fact the question asks for?

"多少钱" needs an amount, "哪天" a date. An entry about the right topic that lacks that fact does not
answer the question (商丘设备贷款贴息比例 when the speech gives no rate), so the bot refuses instead.
The kinds and their patterns are data: knowledge/question_types.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kb.schema import QuestionType
from bot.text.normalize import normalise


@dataclass(frozen=True)
class CompiledType:
    name: str
    asks: re.Pattern[str]
    answer: re.Pattern[str]
    unstated: re.Pattern[str] | None = None
    with_subject: bool = False


def compile_types(types: tuple[QuestionType, ...]) -> tuple[CompiledType, ...]:
    compiled = []
    for kind in types:
        asks = sorted({normalise(ask).replace(" ", "") for ask in kind.asks}, key=len, reverse=True)
        # "哪几个" asks for a list, not a count: an ask right after 哪 does not count.
        alternatives = "|".join([*map(re.escape, asks), *kind.ask_patterns])
        asks_pattern = re.compile("(?<!哪)(?:" + alternatives + ")")
        unstated = re.compile(kind.unstated_pattern) if kind.unstated_pattern else None
        answer = re.compile(kind.answer_pattern)
        compiled.append(CompiledType(kind.name, asks_pattern, answer, unstated, kind.with_subject))
    return tuple(compiled)


def asked_types(types: tuple[CompiledType, ...], compact_question: str) -> tuple[CompiledType, ...]:
    return tuple(kind for kind in types if kind.asks.search(compact_question))


_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
# What an answer says the document leaves out (原文未给出单个企业的补助比例、上限或申请办法) gives none of it: a
# list there is no list of names, a year there no date. Up to the end of its clause or parenthesis.
_UNSTATED_CLAUSE = re.compile(r"(?:未给出|未说明|未写明|未列出|未公布|没有给出|没有写明|没有列出|没有说明)[^。；;）)]*")


def missing_types(asked: tuple[CompiledType, ...], answer_text: str, subjects: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The kinds asked for that the answer does not give: no match, or it says the document leaves it out.
    `subjects`: what the question names (a company, a fund); where the answer names one, a kind marked
    `with_subject` counts only in the sentences that do (舞阳钢铁 in one, 2233万元 of a fund in another)."""
    stated = _UNSTATED_CLAUSE.sub("", answer_text)
    named = [subject for subject in subjects if subject in answer_text]
    sentences = [s for s in _SENTENCE_END.split(stated) if any(n in s for n in named)] if named else []
    return tuple(
        kind.name
        for kind in asked
        if (
            not kind.answer.search(stated)
            or (kind.unstated is not None and kind.unstated.search(answer_text))
            or (kind.with_subject and named and not any(kind.answer.search(s) for s in sentences))
        )
    )

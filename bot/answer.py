"""The core's result for one message: what the CLI prints and the chat layers render."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Outcome(str, Enum):
    ANSWERED = "answered"
    NOT_STATED = "not_stated"  # the documents cover the topic but do not state the fact asked for
    REFUSED = "refused"  # a real question the documents do not answer
    EMPTY = "empty"  # nothing was asked: show usage
    NO_CONTENT = "no_content"  # only emoji or punctuation

    @property
    def contract_name(self) -> str:
        """The JSON contract knows four outcomes; a message with no words is "empty" too."""
        return "empty" if self is Outcome.NO_CONTENT else self.value


@dataclass(frozen=True)
class SourceQuote:
    seed: str
    quote: str
    title: str


@dataclass(frozen=True)
class Suggestion:
    id: str
    question: str


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    entry_id: str | None = None
    question: str | None = None  # the matched entry's canonical question, in the user's script
    text: str | None = None  # the answer (or, when not stated, what is missing), in the user's script
    score: float = 0.0
    sources: tuple[SourceQuote, ...] = ()
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)
    traditional: bool = False
    related: Suggestion | None = None  # when not stated: the entry about the topic, whose quote is shown
    asked: str | None = None  # the question this answers, when a message held several
    parts: tuple[Answer, ...] = ()  # one answer per question when a message held several

    @property
    def matched(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def entry_shown(self) -> str | None:
        """The entry the reply shows: the one answered, or, when the fact is not stated, the related one."""
        return self.entry_id or (self.related.id if self.related is not None else None)

    @property
    def all_parts(self) -> tuple[Answer, ...]:
        return self.parts or (self,)

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON contract; external checks rely on exactly these keys."""
        result: dict[str, Any] = {
            "matched": self.matched,
            "outcome": self.outcome.contract_name,
            "id": self.entry_id,
            "answer": self.text,
            "score": round(self.score, 4),
            "sources": [{"seed": source.seed, "quote": source.quote} for source in self.sources],
            "suggestions": [{"id": item.id, "question": item.question} for item in self.suggestions],
        }
        if self.related is not None:
            result["related"] = {"id": self.related.id, "question": self.related.question}
        if self.parts:
            result["parts"] = [{"question": part.asked, **part.to_json()} for part in self.parts]
        return result

"""The core's result for one question: what the CLI prints and the Slack layer renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Outcome(str, Enum):
    ANSWERED = "answered"
    REFUSED = "refused"  # a real question the documents do not answer
    EMPTY = "empty"  # nothing was asked: show usage
    NO_CONTENT = "no_content"  # only emoji or punctuation


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
    text: str | None = None  # the answer, in the user's script
    score: float = 0.0
    sources: tuple[SourceQuote, ...] = ()
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)
    traditional: bool = False

    @property
    def matched(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON contract; external checks rely on exactly these keys."""
        return {
            "matched": self.matched,
            "id": self.entry_id,
            "answer": self.text,
            "score": round(self.score, 4),
            "sources": [{"seed": source.seed, "quote": source.quote} for source in self.sources],
            "suggestions": [{"id": item.id, "question": item.question} for item in self.suggestions],
        }

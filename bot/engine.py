"""The core: question in, Answer out. The CLI and the Slack app are two doors onto this."""

from __future__ import annotations

from collections.abc import Callable

from bot.answer import Answer, Outcome, SourceQuote, Suggestion
from bot.kb.loader import KnowledgeBase
from bot.kb.schema import FaqEntry
from bot.match.decide import choose, suggestions
from bot.match.index import MatchIndex
from bot.match.params import MatchParams
from bot.match.rank import Candidate, prepare, rank
from bot.text.normalize import normalise_query, to_traditional


class Answerer:
    """Answers questions from one knowledge-base version (build a new one when the KB changes)."""

    def __init__(self, kb: KnowledgeBase, params: MatchParams | None = None) -> None:
        self.kb = kb
        self.params = params or MatchParams()
        self.index = MatchIndex(kb)

    def ask(self, raw_question: str) -> Answer:
        query = normalise_query(raw_question)
        if not query.text and not raw_question.strip():
            return Answer(Outcome.EMPTY)
        if not query.has_content:
            return Answer(Outcome.NO_CONTENT, traditional=query.traditional)
        prepared = prepare(self.index, query.text)
        candidates = rank(self.index, prepared, self.params)
        best = choose(candidates, self.params)
        script = to_traditional if query.traditional else _same
        if best is not None:
            suggested = self._suggestions(candidates, best, script)
            return self._answered(best.indexed.entry, best.score, query.traditional, suggested)
        return Answer(
            Outcome.REFUSED,
            score=candidates[0].score if candidates else 0.0,
            suggestions=self._suggestions(candidates, None, script),
            traditional=query.traditional,
        )

    def answer_entry(self, entry_id: str, traditional: bool = False) -> Answer | None:
        """Answer a chosen entry directly (a clicked suggestion)."""
        entry = self.kb.by_id(entry_id)
        return None if entry is None else self._answered(entry, 1.0, traditional, ())

    def _answered(self, entry: FaqEntry, score: float, traditional: bool, suggested: tuple[Suggestion, ...]) -> Answer:
        script = to_traditional if traditional else _same
        return Answer(
            Outcome.ANSWERED,
            entry_id=entry.id,
            question=script(entry.question),
            text=script(entry.answer.strip()),
            score=score,
            sources=self.sources_of(entry),
            suggestions=suggested,
            traditional=traditional,
        )

    def sources_of(self, entry: FaqEntry) -> tuple[SourceQuote, ...]:
        title = self.kb.document_title(entry.source.seed)
        return tuple(SourceQuote(entry.source.seed, quote, title) for quote in entry.source.quotes)

    def _suggestions(
        self, candidates: list[Candidate], chosen: Candidate | None, script: Callable[[str], str]
    ) -> tuple[Suggestion, ...]:
        return tuple(
            Suggestion(c.indexed.entry.id, script(c.indexed.entry.question))
            for c in suggestions(candidates, chosen, self.params)
        )


def _same(text: str) -> str:
    return text

"""English words in Chinese questions ("天津的subsidy多少"), rewritten to the knowledge base's terms.

Bilingual staff type the domain's English words; the FAQ is Chinese. The mapping is data
(knowledge/glossary.yaml); this module only finds whole English words in normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.kb.schema import GlossaryTerm
from bot.text.normalize import normalise


class Glossary:
    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        self._chinese: dict[str, str] = {}
        spelled: set[str] = set()
        for term in terms:
            for word in term.english:
                self._chinese[_key(word)] = normalise(term.chinese)
                spelled.add(normalise(word))
        words = sorted(spelled, key=len, reverse=True)
        alternatives = [r"\s*".join(map(re.escape, word.split())) for word in words]
        self._pattern = (
            re.compile(r"(?<![a-z0-9])(" + "|".join(alternatives) + r")(?![a-z0-9])") if alternatives else None
        )

    def translate(self, normalised_text: str) -> str:
        """Replace each English term by its Chinese one, with spaces around it as word boundaries."""
        if self._pattern is None:
            return normalised_text
        return self._pattern.sub(lambda m: f" {self._chinese[_key(m.group(1))]} ", normalised_text).strip()


def _key(word: str) -> str:
    return "".join(normalise(word).split())

"""English words in Chinese questions ("天津的subsidy多少"), rewritten to the knowledge base's terms.

Bilingual staff type the domain's English words; the FAQ is Chinese. The mapping is data
(knowledge/glossary.yaml); this module only finds whole English words in normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.kb.schema import GlossaryTerm
from bot.text.bilingual import base_forms
from bot.text.normalize import normalise
from bot.text.stopwords import STOPWORDS

# A word this long that the glossary lacks, one slip from exactly one of its one-word terms, is that term
# mistyped: two neighbouring letters swapped (subisdy) or one left out (manufacuring). A letter changed or
# added is no slip here: leading and lending, decline and deadline are all words. Shorter words are too
# close to other words to be read as slips.
TYPO_MIN_LENGTH = 6
_SLIPS_KEPT = 10_000  # words looked up, remembered (a bound: questions bring ever new words)
INFLECTED_MIN_LENGTH = 4  # ranks, funds: an inflected word is read by its base form from this length
_HAS_LATIN = re.compile("[a-z]")
_LATIN_WORD = re.compile(rf"(?<![a-z0-9])[a-z]{{{INFLECTED_MIN_LENGTH},}}(?![a-z0-9])")


class Glossary:
    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        self._chinese: dict[str, str] = {}
        spelled: set[str] = set()
        for term in terms:
            for word in term.english:
                self._chinese[_key(word)] = normalise(term.chinese)
                spelled.add(normalise(word))
        # one-word terms by length, for typos: a slip shortens a word by one letter at most
        self._by_length: dict[int, list[str]] = {}
        for word in spelled:
            if word.isalpha() and word.isascii():
                self._by_length.setdefault(len(word), []).append(word)
        self._slips: dict[str, str | None] = {}
        self._known = {part for word in spelled for part in word.split()}  # every word of every term
        words = sorted(spelled, key=len, reverse=True)
        alternatives = [r"\s*".join(map(re.escape, word.split())) for word in words]
        self._source = r"(?<![a-z0-9])(" + "|".join(alternatives) + r")(?![a-z0-9])" if alternatives else None
        self._pattern: re.Pattern[str] | None = None  # compiled on the first text with a Latin letter
        # A term without a Latin letter (none so far) could match any text: then every text is read.
        self._latin_only = all(_HAS_LATIN.search(word) for word in spelled)

    def warm(self) -> None:
        """Compile the terms' pattern now rather than on the first English question."""
        if self._source is not None and self._pattern is None:
            self._pattern = re.compile(self._source)

    def translate(self, normalised_text: str) -> str:
        """Replace each English term by its Chinese one, with spaces around it as word boundaries; an
        inflected one-word term (ranks) and a mistyped one (`TYPO_MIN_LENGTH` letters or more, one slip) too.
        A text without a Latin letter is left as it is: compiling the terms' pattern was 37 ms of a cold
        `ask`, and most questions are all Chinese."""
        if self._source is None:
            return normalised_text
        if self._latin_only and not _HAS_LATIN.search(normalised_text):
            return normalised_text.strip()
        self.warm()  # two threads may both compile it: the same pattern
        text = _LATIN_WORD.sub(lambda m: self._corrected(m.group(0)), normalised_text)
        return self._pattern.sub(self._term, text).strip()

    def _term(self, match: re.Match[str]) -> str:
        return f" {self._chinese[_key(match.group(1))]} "

    def _corrected(self, word: str) -> str:
        """The glossary's word that `word` inflects (ranks, ranked) or mistypes, or `word` itself (known,
        a stopword, or no single term one slip away)."""
        if word in self._known or word in STOPWORDS:  # leading of leading group: a word, not a slip
            return word
        found = self._slips.get(word, "")
        if found == "":
            inflected = [form for form in base_forms(word) if form in self._chinese and form not in STOPWORDS]
            near = inflected[:1] or [
                term
                for size in (len(word), len(word) + 1)
                for term in self._by_length.get(size, ())
                if len(word) >= TYPO_MIN_LENGTH and _one_slip(word, term)
            ]
            found = near[0] if len(near) == 1 or inflected else None
            if len(self._slips) >= _SLIPS_KEPT:
                self._slips.clear()
            self._slips[word] = found
        return found or word


def _one_slip(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with two neighbouring letters swapped or one letter left out."""
    if len(typed) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and typed[differ[0]] == word[differ[1]]
            and typed[differ[1]] == word[differ[0]]
        )
    if len(typed) + 1 == len(word):
        at = next((i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b), len(typed))
        return typed[at:] == word[at + 1 :]
    return False


def _key(word: str) -> str:
    return "".join(normalise(word).split())

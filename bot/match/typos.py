"""Repair homophone typos: IME typos sound like the intended word (技该 for 技改, 托欠 for 拖欠).

A stretch of the question is replaced by a knowledge-base term when it has exactly the term's
toneless pinyin, it starts and ends on word boundaries, few of its characters differ from the term
(one in a short term), and each of those stands alone in the segmentation (a typo breaks a word
apart; a correct word stays whole).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pypinyin import Style, lazy_pinyin

MIN_TERM_CHARS = 2
MAX_TERM_CHARS = 6


# Sounds many speakers (and so their IMEs' fuzzy modes) do not tell apart: zh/z, ch/c, sh/s, n/l,
# and front/back nasal finals.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def _pinyin(text: str) -> list[str]:
    return [_fuzzy(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))]


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= char <= "\u9fff" for char in text)


class HomophoneRepairer:
    """Knows the KB's terms by sound; rewrites same-sounding broken stretches of a question."""

    def __init__(self, terms: Iterable[str], segment: Callable[[str], list[str]]) -> None:
        self._by_sound: dict[tuple[str, ...], str] = {}
        ambiguous: set[tuple[str, ...]] = set()
        for term in sorted(set(terms)):
            if not MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS or not _is_cjk(term):
                continue
            key = tuple(_pinyin(term))
            if key in self._by_sound and self._by_sound[key] != term:
                ambiguous.add(key)
            self._by_sound.setdefault(key, term)
        for key in ambiguous:  # two terms sound alike: we cannot tell which was meant
            del self._by_sound[key]
        self._lengths = sorted({len(key) for key in self._by_sound}, reverse=True)
        self._segment = segment

    def repair(self, text: str) -> str:
        if not self._by_sound:
            return text
        sounds = _pinyin(text)
        if len(sounds) != len(text):  # pypinyin merged something; do not guess
            return text
        starts, ends, alone = self._layout(text)
        out: list[str] = []
        i = 0
        while i < len(text):
            term = self._term_at(text, sounds, i, starts, ends, alone)
            if term:
                out.append(term)
                i += len(term)
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    def _layout(self, text: str) -> tuple[set[int], set[int], set[int]]:
        """Segment boundaries, and the positions of characters that form a segment on their own."""
        starts: set[int] = set()
        ends: set[int] = set()
        alone: set[int] = set()
        position = 0
        for piece in self._segment(text):
            starts.add(position)
            if len(piece) == 1:
                alone.add(position)
            position += len(piece)
            ends.add(position)
        return starts, ends, alone

    def _term_at(
        self, text: str, sounds: list[str], i: int, starts: set[int], ends: set[int], alone: set[int]
    ) -> str | None:
        if i not in starts:
            return None
        for length in self._lengths:
            window = text[i : i + length]
            if len(window) < length or i + length not in ends or not _is_cjk(window):
                continue
            term = self._by_sound.get(tuple(sounds[i : i + length]))
            if not term or term == window:
                continue
            differing = [i + k for k, (a, b) in enumerate(zip(window, term, strict=True)) if a != b]
            if len(differing) <= max(1, length // 3) and all(position in alone for position in differing):
                return term
        return None

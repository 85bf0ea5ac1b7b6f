"""Repair homophone typos: IME typos sound like the intended word (技该 for 技改, 托欠 for 拖欠).

A window of the question that is not a known word but has exactly the toneless pinyin of a
knowledge-base term is taken to be that term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pypinyin import Style, lazy_pinyin

MIN_TERM_CHARS = 2
MAX_TERM_CHARS = 6


def _pinyin(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))


class HomophoneRepairer:
    """Knows the KB's terms by sound; rewrites unknown same-sounding windows of a question."""

    def __init__(self, terms: Iterable[str], is_known_word: Callable[[str], bool]) -> None:
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
        self._is_known_word = is_known_word

    def repair(self, text: str) -> str:
        if not self._by_sound:
            return text
        sounds = _pinyin(text)
        if len(sounds) != len(text):  # pypinyin merged something; do not guess
            return text
        out: list[str] = []
        i = 0
        while i < len(text):
            replaced = False
            for length in self._lengths:
                window = text[i : i + length]
                if len(window) < length:
                    continue
                term = self._by_sound.get(tuple(sounds[i : i + length]))
                if term and term != window and _is_cjk(window) and not self._is_known_word(window):
                    out.append(term)
                    i += length
                    replaced = True
                    break
            if not replaced:
                out.append(text[i])
                i += 1
        return "".join(out)


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= char <= "\u9fff" for char in text)

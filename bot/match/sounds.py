"""The knowledge base's terms by sound: which term a stretch of pinyin is, exactly or to a fuzzy ear.

Reading every term's pinyin took a cold `ask` 0.45 s of its 1.6 s on the shipped knowledge base (5,853
terms), and three questions in four need it (their segmentation leaves a character alone). A question
looks up the sounds of a few stretches, so a sound is looked up among the terms whose first character can
read as its first syllable (the character's readings alone, `pinyin.syllables_alone`), and only those terms
are read. `warm` reads them all and makes the whole tables, as a serving process wants: no question waits.
Either way a sound's holder is the term the knowledge base uses most among those with that sound, and a tie
means we cannot tell. The one difference: a term whose first character a phrase reads otherwise than the
character alone (乐亭, lào tíng, of pypinyin's 47,000 phrases) is found by its sound only after `warm`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

Sound = tuple[str, ...]
_UNSEEN = ""  # no term is empty
_FOUND_KEPT = 100_000  # sounds looked up before `warm`, remembered (a bound: questions bring ever new ones)

# Sounds many speakers (and so their IMEs' fuzzy modes) do not tell apart: zh/z, ch/c, sh/s, n/l,
# and front/back nasal finals.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def fuzzy(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def fuzzy_sound(sound: Sound) -> Sound:
    return tuple(fuzzy(syllable) for syllable in sound)


def sound_table(terms: Mapping[str, int], key: Callable[[str], Sound]) -> dict[Sound, str]:
    """Sound -> term, each sound's holder chosen as `holder` chooses it among the terms sharing it."""
    sharing: dict[Sound, list[str]] = {}
    for term in terms:
        sharing.setdefault(key(term), []).append(term)
    return {sound: holder for sound, group in sharing.items() if (holder := _most_used(terms, group)) is not None}


def _most_used(terms: Mapping[str, int], sharing: list[str]) -> str | None:
    """The holder of a sound among the terms that share it: the most used, and none on a tie."""
    if not sharing:
        return None
    most = max(terms[term] for term in sharing)
    best = [term for term in sharing if terms[term] == most]
    return best[0] if len(best) == 1 else None


class TermSounds:
    """Terms by exact and by fuzzy sound, read as questions ask (or all at once: `warm`)."""

    def __init__(
        self,
        terms: Mapping[str, int],
        read: Callable[[str], list[str]],
        first_syllables: Callable[[set[str]], Mapping[str, frozenset[str]]],
        known: Mapping[str, Sound] | None = None,
    ) -> None:
        """`terms`: term -> how many entries use it; `read`: a text's toneless pinyin, one syllable a
        character; `first_syllables`: each of the characters asked, with its readings alone (itself if it has
        none); `known`: sounds read before (a previous version's `read_so_far`)."""
        self._terms = terms
        self._read = read
        self._first_syllables = first_syllables
        self._sounds: dict[str, Sound] = {}
        if known:
            self._sounds.update((term, known[term]) for term in terms if term in known)
        self._whole: tuple[dict[Sound, str], dict[Sound, str]] | None = None
        self._buckets: tuple[dict[tuple[int, str], list[str]], dict[tuple[int, str], list[str]]] | None = None
        self._found: tuple[dict[Sound, str | None], dict[Sound, str | None]] = ({}, {})
        self._lock = threading.Lock()

    def read_so_far(self) -> dict[str, Sound] | None:
        """The terms' sounds read so far (None if none): a next version's `known`."""
        return dict(self._sounds) or None

    def warm(self) -> None:
        """Read every term's sound now and make the whole tables."""
        if self._whole is not None:
            return
        with self._lock:
            if self._whole is not None:
                return
            sounds = {term: self._sound(term) for term in self._terms}
            fuzzy_sounds = {term: fuzzy_sound(sound) for term, sound in sounds.items()}
            exact = sound_table(self._terms, sounds.__getitem__)
            self._whole = (exact, sound_table(self._terms, fuzzy_sounds.__getitem__))
            self._found = ({}, {})

    def holder(self, sound: Sound, exact: bool) -> str | None:
        """The term with this sound (exact, or fuzzy: `fuzzy_sound`), if one term holds it."""
        which = 0 if exact else 1
        whole = self._whole
        if whole is not None:
            return whole[which].get(sound)
        found = self._found[which]
        holder = found.get(sound, _UNSEEN)
        if holder == _UNSEEN:
            buckets = self._buckets or self._make_buckets()
            same = [
                term
                for term in buckets[which].get((len(sound), sound[0]), ())
                if (self._sound(term) if exact else fuzzy_sound(self._sound(term))) == sound
            ]
            holder = _most_used(self._terms, same)
            if len(found) >= _FOUND_KEPT:
                found.clear()
            found[sound] = holder
        return holder

    def _sound(self, term: str) -> Sound:
        sound = self._sounds.get(term)
        if sound is None:
            sound = self._sounds[term] = tuple(self._read(term))
        return sound

    def _make_buckets(self) -> tuple[dict[tuple[int, str], list[str]], dict[tuple[int, str], list[str]]]:
        """(length, first syllable) -> the terms that may have it, exact and fuzzy."""
        with self._lock:
            if self._buckets is None:
                firsts = self._first_syllables({term[0] for term in self._terms})
                fuzzy_firsts = {char: {fuzzy(syllable) for syllable in syllables} for char, syllables in firsts.items()}
                exact: dict[tuple[int, str], list[str]] = {}
                fuzzy_ones: dict[tuple[int, str], list[str]] = {}
                for term in self._terms:  # `first_syllables` gives every character its syllables
                    first, length = term[0], len(term)
                    for syllable in firsts[first]:
                        exact.setdefault((length, syllable), []).append(term)
                    for syllable in fuzzy_firsts[first]:
                        fuzzy_ones.setdefault((length, syllable), []).append(term)
                self._buckets = (exact, fuzzy_ones)
            return self._buckets

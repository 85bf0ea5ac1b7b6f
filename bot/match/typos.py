"""Repair homophone typos: IME typos sound like the intended word (技该 for 技改, 托欠 for 拖欠).

A stretch of the question is replaced by a knowledge-base term (or a question word: 多绍 for 多少)
when it has exactly the term's toneless (fuzzy) pinyin, it starts and ends on word boundaries, few of
its characters differ from the term (one in a short term), and the segmentation breaks it apart: at
least one of its characters stands alone (a typo breaks a word apart; a correct word stays whole). A typo can also
be a word of its own in jieba's dictionary (表章 for 表彰, 转形 for 转型): a whole word the knowledge
base never uses is replaced too, but only by a term of exactly its sound, one character apart. When
two terms sound alike, the one the knowledge base uses more often wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.match.pinyin import syllables_alone, toneless
from bot.match.sounds import Sound, TermSounds, fuzzy_sound
from bot.text.stopwords import STOPWORDS
from bot.text.tokenize import is_cjk

MIN_TERM_CHARS = 2
MAX_TERM_CHARS = 6
# A whole word is taken for a slip only when general Chinese rarely uses it (information content in
# jieba's dictionary, -log frequency): 表章 (18.6) and 转形 (18.6) are slips for 表彰 and 转型; 一下 (10.2),
# 一遍 (11.9), 逾期 (14.9) and 房贷 (14.6) are what people mean. Chosen on the tuning data's rewrites.
RARE_WORD_MIN_INFORMATION = 16.0
# A character general Chinese writes alone this often (information content at most this: 市 9.3, 比 9.4,
# 不 7.1) is a word as written when it stands alone: a two-character stretch is repaired only if one of its
# lone characters is rarer (丘 12.7 in 上丘, 今 9.8 in 天今, 拿 10.0 in 拿边). 9.5 changed no reply on the
# dev sets and stopped 这个市在 -> 这个实在, 还不上 -> 还补上, 一比 -> 一笔 (43 rewrites of correct dev
# questions left, of 70); 10.0 lost 天今 -> 天津. Longer stretches are left to the other rules: applied to
# them it also stopped 十四无 -> 十四五 and 智能话 -> 智能化.
COMMON_ALONE_MAX_INFORMATION = 9.5
# A function word standing alone (是, 被, 的) is taken for a slip only beside a character rarer than this
# alone (丘 12.7 in 上丘 for 商丘, 储 13.7 in 储被 for 储备); beside 干 (10.0), 选 (11.0) or 隔 (11.6) it is
# what the writer meant (是干啥, 被选上, 是隔了几年).
FUNCTION_SLIP_MIN_INFORMATION = 12.0
# The commonest characters (了 6.2, 不 7.1, 的 7.2, 人 7.2, 上 7.4, 到 7.6, 个 8.1): a two-character stretch
# sharing one with a term is that character beside another word, not a slip (找人 is no 招人, 占到 no
# 涨到). Every two-character repair of the dev sets' questions that this stopped was of a correct question;
# the lowest a wanted one shares is 9.0 (再 of 再带款, 天 of 天今).
COMMONEST_MAX_INFORMATION = 8.5


def _pinyin(text: str) -> list[str]:
    # Loaded when first needed: pypinyin's tables take time and memory to read, and a question whose
    # words are all whole (most of them) is never read by sound.
    return toneless(text)


class HomophoneRepairer:
    """Knows the KB's terms by sound; rewrites same-sounding broken stretches of a question.

    Only a question that the segmentation breaks apart somewhere can hold a typo, and it reads the sounds of
    the few terms that may sound like its stretches (bot/match/sounds.py); `warm` reads every term's."""

    def __init__(
        self,
        term_counts: Mapping[str, int],
        segment: Callable[[str], list[str]],
        known_sounds: Mapping[str, Sound] | None = None,
        information_content: Callable[[str], float] | None = None,
    ) -> None:
        """`known_sounds`: the pinyin of terms already read (a previous version's `sounds_read`), reused.
        `information_content`: how rare a word is in general Chinese; without it no whole word is repaired."""
        terms = {
            term: count
            for term, count in term_counts.items()
            if MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS and is_cjk(term)
        }
        self._known = frozenset(term_counts)
        self._sounds = TermSounds(terms, _pinyin, syllables_alone, known_sounds)
        self._lengths = sorted({len(term) for term in terms}, reverse=True)
        self._segment = segment
        self._information_content = information_content

    def sounds_read(self) -> dict[str, Sound] | None:
        """The terms' pinyin read so far, or None (without reading any): a next version's `known_sounds`."""
        return self._sounds.read_so_far()

    def warm(self) -> None:
        """Read every term's sound now rather than a few on each question that needs them."""
        self._sounds.warm()

    def repair(self, text: str) -> str:
        if not self._lengths:
            return text
        starts, ends, alone, strangers = self._layout(text)
        # A typo breaks a word apart into characters that stand alone; 的, 了, 是 standing alone are the
        # grammar of almost every question, and reading the whole question's pinyin for them is most of
        # what answering costs. Nothing broken but function words, no rare unknown word: no typo. A space
        # stands alone too (商丘 三换, and every English term the glossary rewrote): it breaks no word.
        if not strangers and all(text[position] in STOPWORDS or text[position].isspace() for position in alone):
            return text
        exact = _pinyin(text)
        if len(exact) != len(text):  # pypinyin merged something; do not guess
            return text
        sounds = (tuple(exact), fuzzy_sound(tuple(exact)))
        out: list[str] = []
        i = 0
        while i < len(text):
            term = self._term_at(text, sounds, i, starts, ends, alone, strangers)
            if term:
                out.append(term)
                i += len(term)
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    def _layout(self, text: str) -> tuple[set[int], set[int], set[int], set[tuple[int, int]]]:
        """Segment boundaries, the positions of characters that form a segment on their own, and the
        (start, end) of whole words the knowledge base never uses."""
        starts: set[int] = set()
        ends: set[int] = set()
        alone: set[int] = set()
        strangers: set[tuple[int, int]] = set()
        position = 0
        for piece in self._segment(text):
            starts.add(position)
            if len(piece) == 1:
                alone.add(position)
            elif self._may_be_slip(piece):
                strangers.add((position, position + len(piece)))
            position += len(piece)
            ends.add(position)
        return starts, ends, alone, strangers

    def _oddly_alone(self, window: str, start: int, alone: set[int]) -> bool:
        """Whether a character of the window stands alone that general Chinese seldom writes alone (丘 in
        上丘, 今 in 天今): a typo leaves such a piece. 市 and 在 in 这个市在, 不 and 上 in 还不上 are words
        as written."""
        if self._information_content is None:
            return True
        return any(
            self._information_content(char) > COMMON_ALONE_MAX_INFORMATION
            for offset, char in enumerate(window)
            if start + offset in alone
        )

    def _shared_rarity(self, window: str, term: str) -> list[float]:
        """How rare alone (information content) each character is that the window shares with the term."""
        assert self._information_content is not None
        return [self._information_content(a) for a, b in zip(window, term, strict=True) if a == b]

    def _grammar_beside(self, window: str, term: str) -> bool:
        """Whether the character a two-character stretch shares with the term is among the commonest of
        Chinese (了, 的, 不, 上, 个, 人, 到): then the stretch is grammar beside a word, as written (占到, 不搞,
        找人, 奖了 are no slips for 涨到, 不高, 招人, 建了)."""
        if self._information_content is None:
            return False
        return any(rarity <= COMMONEST_MAX_INFORMATION for rarity in self._shared_rarity(window, term))

    def _rare_beside(self, window: str, term: str) -> bool:
        """Whether a character the window shares with the term is one general Chinese seldom writes alone
        (丘 of 上丘, 储 of 储被): then the function word beside it is the slip. Beside a common one it is
        meant: 是干 is no 实干, 被选 no 备选, 难的 no 难得."""
        if self._information_content is None:
            return True
        return any(rarity > FUNCTION_SLIP_MIN_INFORMATION for rarity in self._shared_rarity(window, term))

    def _may_be_slip(self, word: str) -> bool:
        """A whole word the knowledge base never uses and general Chinese rarely does."""
        return (
            self._information_content is not None
            and MIN_TERM_CHARS <= len(word) <= MAX_TERM_CHARS
            and word not in self._known
            and is_cjk(word)
            and self._information_content(word) >= RARE_WORD_MIN_INFORMATION
        )

    def _term_at(
        self,
        text: str,
        sounds: tuple[Sound, Sound],
        i: int,
        starts: set[int],
        ends: set[int],
        alone: set[int],
        strangers: set[tuple[int, int]],
    ) -> str | None:
        if i not in starts:
            return None
        # stretches from here that end on a boundary, longest first
        lengths = [
            length
            for length in self._lengths
            if i + length <= len(text) and i + length in ends and is_cjk(text[i : i + length])
        ]
        # Exact sounds are tried before fuzzy ones: 数子 is 数字 (shu zi), not 数智 (shu zhi).
        for exact, sound in zip((True, False), sounds, strict=True):
            for length in lengths:
                window = text[i : i + length]
                term = self._sounds.holder(sound[i : i + length], exact)
                if not term or term == window or window in self._known:  # 哪年 is no slip for 那年
                    continue
                differing = [a for a, b in zip(window, term, strict=True) if a != b]
                broken = any(position in alone for position in range(i, i + length))
                shattered = all(position in alone for position in range(i, i + length))
                # A function word next to a whole word (国家对 vs 国家队) is meant, not a slip; among
                # characters that all stand alone it is one only beside a rare one (上丘 for 商丘, not 是干).
                if STOPWORDS.intersection(differing) and not (shattered and self._rare_beside(window, term)):
                    continue
                if all(char in STOPWORDS for char in window):  # 是在 is grammar, not a slip for 实在
                    continue
                oddly_broken = length > 2 or (
                    self._oddly_alone(window, i, alone) and not self._grammar_beside(window, term)
                )
                if broken and len(differing) <= max(1, length // 3) and oddly_broken:
                    return term
                if (i, i + length) in strangers and exact and len(differing) == 1:
                    return term
        return None

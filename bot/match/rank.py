"""Re-rank retrieved candidates with rapidfuzz and measure how much of the question each one explains."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, pairwise

import numpy as np
from rapidfuzz import fuzz, process

from bot.match.answer_type import CompiledType, asked_types, missing_types
from bot.match.cloze import filled, gaps
from bot.match.index import IndexedEntry, MatchIndex
from bot.match.params import MatchParams
from bot.match.similarity import sorted_words
from bot.text.entities import asked_years, is_anchor, names_programme, only_as_baseline, programme_names
from bot.text.numbers import digit_value
from bot.text.tokenize import Tokenizer, bigrams, is_cjk


@dataclass(frozen=True)
class Query:
    """A question in the index's canonical form."""

    text: str  # canonical, spaces between chunks
    compact: str  # canonical, no spaces
    words: tuple[str, ...]
    terms: tuple[str, ...]
    asked: tuple[CompiledType, ...] = ()  # kinds of fact asked for (an amount, a date...)
    lone: tuple[str, ...] = ()  # words that are nouns of one character (Tokenizer.words_and_lone_nouns)
    singled: tuple[str, ...] = ()  # characters the writer quotes alone (“稳”字头): among `lone`, weighed more


@dataclass(frozen=True)
class Candidate:
    """One entry's evidence for a question; `score` combines it into [0, 1].

    What the entry lacks of the question (`missing_anchors`, `missing_facts`) is worked out when first
    read: the decision reads it for the leading candidates only, and it was a third of ranking all twenty."""

    indexed: IndexedEntry
    bm25: float
    similarity: float  # best fuzzy similarity to one of the entry's phrasings, 0..1
    coverage: float  # IDF-weighted share of the question's words the entry knows, 0..1
    score: float
    needs: QuestionNeeds = field(repr=False, compare=False)

    @cached_property
    def missing_anchors(self) -> tuple[str, ...]:
        """Places, organisations, numbers, terms and programmes the question names that the entry does not."""
        return self.needs.missing_anchors(self.indexed)

    @cached_property
    def missing_facts(self) -> tuple[str, ...]:
        """Kinds of fact the question asks for that the entry's answer does not hold."""
        return missing_types(self.needs.kinds, self.indexed.answer_plain, self.needs.subjects)


@dataclass(frozen=True)
class QuestionNeeds:
    """What a question names and asks for, which an entry must state to answer it (`Candidate`)."""

    anchors: tuple[str, ...]  # places, organisations, numbers
    years: frozenset[str]  # the years among them (`asked_years`)
    siblings: tuple[str, ...]  # terms an entry about a sibling of (智能工厂 for 绿色工厂) does not answer
    sibling_pattern: Callable[[str], re.Pattern[str] | None]  # `MatchIndex.sibling_pattern`
    programmes: tuple[tuple[str, tuple[str, ...]], ...]  # (head, qualifiers) of funds named
    choices: dict[str, set[str]]  # figures offered as a choice (`_alternatives`)
    kinds: tuple[CompiledType, ...]  # kinds of fact asked for
    subjects: tuple[str, ...]  # its words rare in the knowledge base

    def missing_anchors(self, indexed: IndexedEntry) -> tuple[str, ...]:
        """What the question names that the entry does not: a place, organisation or number it never
        mentions (or a year it gives only as a baseline); a term (绿色工厂) when it writes a sibling of it
        (智能工厂) and never the term's modifier; a programme by its qualifiers. Of figures offered as a
        choice, one stated is enough."""
        text = indexed.full_text
        missing = (
            tuple(
                word
                for word in self.anchors
                if not (knows_figure(indexed, word) if is_figure(word) else knows(indexed, word))
                or (word in self.years and only_as_baseline(indexed.answer_plain, word))
            )
            # A term's siblings are compiled into a pattern only for an entry without the term's modifier
            # (compiled for every candidate, they were a fifth of a question's time the first time it came).
            + tuple(
                word
                for word in self.siblings
                if word[:-2] not in text
                and (pattern := self.sibling_pattern(word)) is not None
                and pattern.search(text)
            )
            + tuple(
                "".join(qualifiers) + head
                for head, qualifiers in self.programmes
                if not names_programme(text, head, qualifiers)
            )
        )
        if self.choices:  # 172家还是170家: the entry need state one of them
            missing = tuple(word for word in missing if not (self.choices.get(word, set()) - set(missing)))
        return missing


_ONE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")
_CHARACTER_HEAD = "字头"
_NAMED_CHARACTER = re.compile(r"([\u4e00-\u9fff])" + _CHARACTER_HEAD)


def prepare(index: MatchIndex, normalised_text: str, quoted: tuple[str, ...] = ()) -> Query:
    """The question's words, and its retrieval terms: the words plus character pairs read across the
    spaces a writer put between words (商丘 讲话说 matches 商丘讲话 as if typed without one). The kind of
    fact asked for is read outside the `quoted` passages: a quoted name asks for nothing."""
    repaired = index.repairer.repair(normalised_text)
    text = index.tokenizer.canonicalise(repaired)
    compact = text.replace(" ", "")
    words, nouns = index.tokenizer.words_and_lone_nouns(text)
    # A character the writer quotes (三个“换”) or names as one (稳字头) is what the question is about, noun or
    # not; 字头 only says it is a character.
    singled = [passage for passage in quoted if _ONE_CHARACTER.fullmatch(passage)]
    singled += _NAMED_CHARACTER.findall(compact)
    if singled:
        words = [word for word in words if word != _CHARACTER_HEAD]
    lone = tuple(dict.fromkeys(char for char in [*nouns, *singled] if not any(char in word for word in words)))
    return Query(
        text=text,
        compact=compact,
        words=tuple(dict.fromkeys([*words, *lone])),
        lone=lone,
        singled=tuple(char for char in singled if char in lone),
        terms=tuple(dict.fromkeys([*index.tokenizer.search_words(text), *bigrams(compact)])),
        asked=asked_types(index.question_types, _unquoted(repaired.replace(" ", ""), quoted)),
    )


def _unquoted(compact: str, quoted: tuple[str, ...]) -> str:
    """The compact question with its quoted passages cut out (a passage the repair changed stays). A
    question that is all quoted (“商丘三换有几个？”) is the asker's own question and stays whole."""
    cut = compact
    for passage in quoted:
        cut = cut.replace(passage, " ")
    return cut if cut.strip() else compact


def similarities(query: Query, entries: list[IndexedEntry]) -> list[float]:
    """Each entry's closest phrasing by characters (typos, word order) or by word sets (keyword-style
    questions: token_sort_ratio, the entries' side sorted beforehand, see bot/match/similarity.py), 0..1:
    all phrasings of all candidates scored in one rapidfuzz call per measure, each entry's best in one
    numpy call (every entry has a phrasing, `IndexedEntry.of`)."""
    if not entries:
        return []
    phrasings = [indexed.phrasings for indexed in entries]
    best = process.cdist([query.compact], list(chain.from_iterable(phrasings)), scorer=fuzz.ratio, dtype=np.float64)[0]
    if query.words:  # a phrasing without words scores 0 against the question's, as fuzz.ratio scores ""
        words = list(chain.from_iterable(indexed.phrasing_words for indexed in entries))
        np.maximum(
            best, process.cdist([sorted_words(query.words)], words, scorer=fuzz.ratio, dtype=np.float64)[0], out=best
        )
    starts = np.cumsum([0, *map(len, phrasings[:-1])])
    return (np.maximum.reduceat(best, starts) / 100.0).tolist()


def knows(indexed: IndexedEntry, word: str) -> bool:
    """Whether the entry uses the word; a figure (see `is_figure`) only whole."""
    # The full text first: it holds nearly every word of the vocabulary, and a search in it is quicker
    # than a bisection of the (sorted) vocabulary.
    if word in indexed.full_text:
        return True
    return _in_vocabulary(indexed, word)


def _in_vocabulary(indexed: IndexedEntry, word: str) -> bool:
    vocabulary = indexed.vocabulary
    at = bisect_left(vocabulary, word)
    return at < len(vocabulary) and vocabulary[at] == word


def is_figure(word: str) -> bool:
    """A word that starts or ends with digits (2019年, 300, 5g, 10%): an entry knows it only whole."""
    return word[:1].isdigit() or word[-1:].isdigit()


def knows_figure(indexed: IndexedEntry, word: str) -> bool:
    """`knows` for a figure: 300 is not in 3000万 nor 1.5 in 11.5%."""
    figure = _FIGURES.get(word) or _whole_figure(word)  # read once per word: this runs for every candidate
    text = indexed.full_text
    if figure[1] is None:  # the figure as written: a search for it, each place checked for a digit beside
        if _whole_in(text, word):
            return True
    elif figure[0] in text and figure[1].search(text):  # the digits first: quicker than the pattern
        return True
    return _in_vocabulary(indexed, word)


_DIGIT = re.compile(r"\d")
_COUNTING_UNITS = "个家户项所座条件位名"  # measure words of a count that people use for one another
_COUNTED = re.compile(rf"(\d+)[{_COUNTING_UNITS}]")
# word -> its digits and the pattern that finds them whole (None: the word as written, see `_whole_in`)
_FIGURES: dict[str, tuple[str, re.Pattern[str] | None]] = {}
_FIGURES_KEPT = 20_000  # a bound: questions bring ever new words


def _whole_in(text: str, word: str) -> bool:
    """Whether `text` has `word` with no digit (or decimal point) right before it, nor a digit right after
    it when it ends with one: str.find, quicker than a pattern over an entry's whole text."""
    at = text.find(word)
    ends_in_digit = word[-1].isdigit()
    while at >= 0:
        before = text[at - 1] if at else ""
        after = text[at + len(word) : at + len(word) + 1]
        if not (before.isdigit() or before == ".") and not (ends_in_digit and after.isdigit()):
            return True
        at = text.find(word, at + 1)
    return False


def _whole_figure(word: str) -> tuple[str, re.Pattern[str] | None]:
    """The digits of `word` (which starts or ends with a figure) and where its figure is whole: 300 is not
    in 3000万 nor 1.5 in 11.5% (平顶山上云企业是300家吗 was answered by an entry that gives 3000万以上项目);
    two digits may be a year's last two (27年)."""
    if (counted := _COUNTED.fullmatch(word)) is not None:  # 206个 is stated as 206家: 个 for any measure word
        found = counted.group(1), re.compile(rf"(?<![\d.]){re.escape(counted.group(1))}[{_COUNTING_UNITS}]")
    elif len(word) == 2 and word.isdigit():  # 17年平顶山…: 17 is 2017
        found = word, re.compile(rf"(?<![\d.])(?:19|20)?{re.escape(word)}(?![\d])")
    else:
        found = word, None
    if len(_FIGURES) >= _FIGURES_KEPT:
        _FIGURES.clear()
    _FIGURES[word] = found
    return found


def retrieve(index: MatchIndex, query: Query, params: MatchParams) -> list[tuple[int, float]]:
    """The entries BM25 finds for the question (position, score), best first: the candidates and their
    reserve (`rank`), and the texts `word_weights` looks for a glued run in."""
    return index.retrieve(list(query.terms), params.candidates + params.coverage_reserve)


def word_weights(
    index: MatchIndex, query: Query, params: MatchParams, hits: Sequence[tuple[int, float]]
) -> dict[str, float]:
    """How much each question word says about the topic: its IDF over the KB's entries, or, for a word the
    KB never uses, a weight from its frequency in general Chinese (住房 in 住房贷款利率 outweighs 一下). A
    word of the KB's that general Chinese uses often and not as a noun (觉得, 自己, 希望: a phrasing or two
    writes them, so their IDF is high) weighs no more than `common_word_cap` times that background weight.

    Lone characters that no dictionary word holds are glued into one word (`Tokenizer.words`), and general
    Chinese has never seen such a run, so it weighed as much as the rarest topic: in 时喊的三句口号, 跟钱有关,
    先列名单 it is glue of a verb or a preposition to its neighbour (a count of a character, 三高, is not).
    Unless the text of one of the entries BM25 found (`hits`) writes it (稳岗 of 扶企稳岗, 改越 of
    越早改越主动), it weighs at most `glued_run_weight`."""
    weights = {}
    tokenizer = index.tokenizer
    for word in query.words:
        idf = index.idf(word)
        if word in query.singled:
            idf = params.quoted_character_weight
        elif word in query.lone:
            idf = params.lone_noun_weight
        elif idf is not None:
            if not word.isascii() and not tokenizer.names_a_topic(word):  # 觉得, 自己, 希望: rare in the KB only
                idf = min(idf, params.common_word_cap * params.background_weight(tokenizer.information_content(word)))
                if tokenizer.points_rather_than_names(word):  # 当地, 别的, 哪项
                    idf = min(idf, params.pointing_word_cap)
        else:
            idf = params.background_weight(
                tokenizer.information_content(word), latin=word.isascii(), topic=tokenizer.names_a_topic(word)
            )
            if (
                idf > params.glued_run_weight
                and _is_glued_run(tokenizer, word)
                and not any(word in index.entries[position].full_text for position, _ in hits)
            ):
                idf = params.glued_run_weight
        weights[word] = idf
    return weights


def _is_glued_run(tokenizer: Tokenizer, word: str) -> bool:
    """Two or three CJK characters that are no word of jieba's dictionary nor the knowledge base's, and no
    count of a character either (四高 names four things, `counted_characters`). A longer run is rather a name
    jieba lacks, or nonsense, than glue."""
    return (
        1 < len(word) <= 3 and is_cjk(word) and not tokenizer.is_word(word) and not _COUNTED_CHARACTER.fullmatch(word)
    )


def modified_heads(index: MatchIndex, query: Query, params: MatchParams) -> frozenset[str]:
    """Known words that a word the knowledge base never uses makes into another thing: 公积金贷款 is
    another loan than the KB's 贷款, 买房贷款 another than 技改贷款. No entry explains such a word. A
    common head (企业, idf below `params.head_min_idf`) stays explained: 手机外壳的企业 is still an enterprise.
    The other way round too: a known word before a noun of general Chinese that the knowledge base never
    uses modifies that noun (新能源汽车购置税 is a tax), so no entry explains the known word either. A
    captured noun hands it on to the noun written after it (公积金贷款利率 is that other loan's rate)."""
    captured = set()
    tokenizer = index.tokenizer
    for word, following in zip(query.words, query.words[1:], strict=False):
        if word + following not in query.compact or following in query.lone or word in query.lone:
            continue  # not written together: no compound; a noun of one character is no word of the KB's
        word_idf, following_idf = index.idf(word), index.idf(following)
        if (
            word in captured
            and tokenizer.is_dictionary_noun(word)
            and following_idf is not None
            and following_idf >= params.head_min_idf
            and tokenizer.is_dictionary_noun(following)
        ):
            captured.add(following)  # 公积金贷款利率: the rate of that other loan
        elif (
            word_idf is None
            and following_idf is not None
            and following_idf >= params.head_min_idf
            and not word.isascii()
            and tokenizer.names_a_topic(word)
        ):
            captured.add(following)  # 公积金贷款: the unknown word makes the head another thing
        elif (
            following_idf is None
            and word_idf is not None
            and word_idf >= params.head_min_idf
            and not following.isascii()
            and tokenizer.is_dictionary_noun(following)
        ):
            captured.add(word)  # 新能源汽车购置税 is about a tax the KB never mentions, not about 新能源汽车
    return frozenset(captured)


def unknown_share(
    index: MatchIndex, weights: dict[str, float], heads: frozenset[str] = frozenset(), lone: tuple[str, ...] = ()
) -> float:
    """Share of the question's weight in words no entry explains: a topic the knowledge base does not cover.
    A noun of one character (`lone`) is not a word of the knowledge base's, and not unknown to it either."""
    total = sum(weights.values())
    unknown = sum(
        weight for word, weight in weights.items() if (index.idf(word) is None and word not in lone) or word in heads
    )
    return unknown / total if total else 0.0


class Coverage:
    """Share of the question's meaning (weighted words) that an entry knows about.

    A word the whole knowledge base has never seen (another city, another topic) counts against every
    entry, so a question about 住房贷款 is not explained by an entry about 技改贷款. `figures`: the
    question's words that are figures (`is_figure`), known only whole; `heads`: words left out
    (`modified_heads`); `parts`: compounds an entry knows in part for `part_credit` of their weight.
    What each word needs is sorted out once per question, for the thirty entries it is checked against.
    """

    def __init__(
        self,
        weights: dict[str, float],
        heads: frozenset[str],
        figures: frozenset[str],
        parts: dict[str, tuple[str, ...]],
        part_credit: float,
        counted: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        self._total = sum(weights.values())
        # in the weights' order: the same sum, to the last bit
        self._words = [
            (word, weight, word in figures, parts.get(word, ()))
            for word, weight in weights.items()
            if word not in heads
        ]
        self._part_credit = part_credit
        self._counted = counted or {}

    def __call__(self, indexed: IndexedEntry) -> float:
        if not self._total:
            return 0.0
        known = 0.0
        counted = self._counted
        for word, weight, figure, inside in self._words:
            if knows_figure(indexed, word) if figure else knows(indexed, word):
                known += weight
            elif inside and all(knows(indexed, part) for part in inside):
                known += weight * self._part_credit
            elif word in counted and _enumerates(indexed.answer_plain, *counted[word]):
                known += weight
        return known / self._total


# 二 counts an order (二期, 二手), not things named alike; a measure word or unit counts those (三期, 五年)
_UNITS = "期年月日天周季次个家项类种条批号位名人成倍层级点份件台套座所户元"
_COUNTED_CHARACTER = re.compile(f"([两三四五六七八九])((?![{_UNITS}])[\u4e00-\u9fff])")


def counted_characters(index: MatchIndex, query: Query) -> dict[str, tuple[int, str]]:
    """The question's words no entry uses that count a character (三高: three things each named with 高), each
    with the count and the character: an entry whose answer lists that many does explain it."""
    found = {}
    for word in query.words:
        match = _COUNTED_CHARACTER.fullmatch(word)
        if match and index.idf(word) is None:
            found[word] = (digit_value(match.group(1)), match.group(2))
    return found


def _enumerates(answer: str, count: int, character: str) -> bool:
    """Whether the answer names `count` things with `character` in one list (高水平谋划、高标准设计、高质量建设):
    that many items of one sentence's list, each holding it."""
    for sentence in _SENTENCE.split(answer):
        items = [item for item in _LIST_ITEM.split(sentence) if character in item]
        if len(items) >= count and sentence.count("、") + sentence.count("“") >= count - 1:
            return True
    return False


_SENTENCE = re.compile(r"[。；;！？]")
_LIST_ITEM = re.compile(r"[、，,“”和及]")


_COMPOUND_MIN_LENGTH = 4


def compound_parts(index: MatchIndex, query: Query, anchors: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The question's compound words that the knowledge base uses (four or more characters, not a place or
    a figure), each with the shorter words inside it (政府引导性资金: 政府, 引导, 资金, 引导性). A compound
    made a word by one entry's keywords is written apart in another entry's sentence."""
    found = {}
    for word in query.words:
        if len(word) < _COMPOUND_MIN_LENGTH or word in anchors or index.idf(word) is None:
            continue
        inside = tuple(part for part in index.tokenizer.search_words(word) if part != word and len(part) >= 2)
        if inside:
            found[word] = inside
    return found


def named_programmes(index: MatchIndex, query: Query, anchors: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Funds and programmes the question names by their qualifier (中小企业发展专项资金): an entry about
    another fund of the same city (先进制造业发展专项资金) cannot answer it. Qualifiers are nouns and
    fixed phrases (技术改造), not one of the question's `anchors` (places, numbers: checked already)."""

    def is_qualifier(word: str) -> bool:
        return word not in anchors and index.tokenizer.names_a_topic(word, phrases=True)

    return programme_names(query.words, index.kb.programme_heads, is_qualifier)


_OR = re.compile(r"还是|或者|或是|或")


def _alternatives(compact_question: str, anchors: list[str]) -> dict[str, set[str]]:
    """Figures the question offers as a choice (对标企业172家还是170家): each with the others of its choice.
    Only figures: 天津还是商丘 asks about two places, and each must be stated."""
    figures = [word for word in anchors if _DIGIT.search(word) and word in compact_question]
    if len(figures) < 2 or not _OR.search(compact_question):
        return {}
    choices: dict[str, set[str]] = {}
    for first, second in pairwise(figures):
        start, end = (
            compact_question.find(first) + len(first),
            compact_question.find(second, compact_question.find(first) + len(first)),
        )
        if 0 <= start <= end and _OR.fullmatch(compact_question[start:end]):
            choices.setdefault(first, set()).add(second)
            choices.setdefault(second, set()).add(first)
    return choices


def _with_reserve(
    retrieved: list[tuple[IndexedEntry, float, float]], limit: int
) -> list[tuple[IndexedEntry, float, float]]:
    """The first `limit` of (entry, BM25, coverage), plus any later one covering more of the question
    than all of them (MatchParams.coverage_reserve)."""
    first, reserve = retrieved[:limit], retrieved[limit:]
    best = max((cov for _, _, cov in first), default=0.0)
    return first + [item for item in reserve if item[2] > best]


def rank(
    index: MatchIndex,
    query: Query,
    params: MatchParams,
    weights: dict[str, float],
    heads: frozenset[str],
    hits: Sequence[tuple[int, float]],
) -> list[Candidate]:
    """Order up to `params.candidates` of the entries BM25 found (`retrieve`) by the combined score, plus a
    share (`params.bm25_rank_weight`) of their BM25 relative to the best candidate's, plus, for the
    candidates that fill the question's gap longest (bot/match/cloze.py), `params.cloze_weight` of it.

    `weights` and `heads` (word_weights, modified_heads) are the caller's, who needs them again for the
    question's unknown share."""
    candidates = []
    anchors = [word for word in query.words if is_anchor(word, index.kb.places, index.kb.not_places)]
    years = asked_years(query.compact, anchors)
    programmes = named_programmes(index, query, anchors)
    # a term the question names (绿色工厂) is missing from an entry about a sibling of it (智能工厂)
    siblings = tuple(
        word
        for word in query.words
        if (index.idf(word) or 0.0) >= params.sibling_min_idf
        and (index.idf(word[-2:]) or 0.0) >= params.sibling_head_min_idf
    )
    figures = frozenset(word for word in weights if is_figure(word))
    coverage = Coverage(
        weights,
        heads,
        figures,
        compound_parts(index, query, set(anchors) | figures),
        params.compound_part_credit,
        counted_characters(index, query),
    )
    retrieved = [
        (index.entries[position], bm25_score, coverage(index.entries[position])) for position, bm25_score in hits
    ]
    retrieved = _with_reserve(retrieved, params.candidates)
    # what the question names: its words rare in the knowledge base (舞阳钢铁, not 企业 or 资金)
    subjects = tuple(word for word in query.words if (index.idf(word) or 0.0) >= params.subject_min_idf)
    entries = [indexed for indexed, _, _ in retrieved]
    needs = QuestionNeeds(
        anchors=tuple(anchors),
        years=frozenset(years),
        siblings=siblings,
        sibling_pattern=index.sibling_pattern,
        programmes=tuple(programmes),
        choices=_alternatives(query.compact, anchors),
        kinds=query.asked,
        subjects=subjects,
    )
    for (indexed, bm25_score, cov), sim in zip(retrieved, similarities(query, entries), strict=True):
        candidates.append(Candidate(indexed, bm25_score, sim, cov, params.combine(cov, sim), needs))
    top_bm25 = max((candidate.bm25 for candidate in candidates), default=0.0) or 1.0
    lead = params.bm25_rank_weight
    question_gaps = gaps(query.compact)
    fills = {id(c): filled(c.indexed.full_text, question_gaps) if question_gaps else 0 for c in candidates}
    longest = max(fills.values(), default=0)
    bonus = {key: params.cloze_weight * fill / 12 if fill == longest else 0.0 for key, fill in fills.items()}
    candidates.sort(key=lambda c: (-(c.score + lead * c.bm25 / top_bm25 + bonus[id(c)]), -c.bm25))
    return candidates

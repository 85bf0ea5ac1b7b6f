"""Draft FAQ entries from the seeds: candidate verbatim quotes, keywords, and the YAML text.

    candidate_quotes(seeds, question)  -> [(seed, sentence, score)] seed sentences closest to a question
    keywords_of(text)                  -> content words for an entry's `keywords`
    entry_yaml(...)                    -> one entry as YAML, marked `draft: true`

A draft is a starting point for a curator, never an answer: `validate` reports every `draft: true`
entry until someone has checked it against the document and removed the mark.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import jieba
import yaml

from bot.kb.seeds import SeedLibrary, squash_whitespace
from bot.text.normalize import normalise, to_simplified
from bot.text.stopwords import QUESTION_PHRASES, STOPWORDS

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
_CJK = re.compile(r"[\u3400-\u9fff]")
FIGURE_BONUS = 0.05
SEED_BONUS = 0.15
UNQUOTED_BONUS = 0.1
LONG_SENTENCE = 80
LENGTH_PENALTY = 0.1
MIN_SENTENCE = 8  # characters; shorter pieces are headings or fragments
_FIGURE = re.compile(r"\d|X")
_PAGE_MARK = re.compile(r"\d+/\d+(?=[\u3400-\u9fff])")  # 1/7在全市…: a page number the PDF left in, not a figure
EXTRA_ASKING = ("什么", "多少", "哪些", "哪个", "哪里", "怎么", "如何", "是否", "有没有", "是谁", "叫什么", "吗", "呢")


@dataclass(frozen=True)
class Candidate:
    seed: str
    sentence: str  # verbatim from the seed (whitespace removed)
    score: float  # share of the question's (IDF-weighted) character pairs the sentence holds


def sentences(text: str) -> list[str]:
    """A seed's sentences, whitespace removed (quotes are verbatim modulo whitespace)."""
    pieces = (squash_whitespace(piece) for piece in _SENTENCE_END.split(text))
    return [piece for piece in pieces if len(piece) >= MIN_SENTENCE]


_ASKING = re.compile("|".join(map(re.escape, sorted({*QUESTION_PHRASES, *EXTRA_ASKING}, key=len, reverse=True))))


def _pairs(text: str, asking: bool = False) -> set[str]:
    """Character pairs of a text (without the words that only ask, such as 什么 or 多少, for a question)."""
    plain = normalise(text).replace(" ", "")
    if asking:
        plain = _ASKING.sub(" ", plain)
    return {plain[i : i + 2] for i in range(len(plain) - 1) if " " not in plain[i : i + 2]}


def _seed_index(seeds: SeedLibrary) -> tuple[list[tuple[str, str, frozenset[str]]], dict[str, float]]:
    rows = [
        (seed, sentence, frozenset(_pairs(sentence)))
        for seed in seeds.names()
        for sentence in sentences(seeds.texts[seed])
    ]
    df = Counter(pair for _, _, pairs in rows for pair in pairs)
    idf = {pair: math.log((1 + len(rows)) / (1 + count)) + 1.0 for pair, count in df.items()}
    return rows, idf


def candidate_quotes(
    seeds: SeedLibrary,
    question: str,
    limit: int = 3,
    seed: str | None = None,
    prefer_seeds: Iterable[str] = (),
    quoted: Iterable[str] = (),
) -> list[Candidate]:
    """Seed sentences sharing the most (rare) character pairs, then characters, with the question.

    Sentences in `prefer_seeds` (the documents of the nearest entries) and sentences no entry quotes
    yet (`quoted`: the FAQ's quotes) come first among equals: a refused question is usually about
    something the FAQ does not quote."""
    rows, idf = _seed_index(seeds)
    wanted = _pairs(question, asking=True)
    chars = {char for pair in wanted for char in pair if _CJK.match(char) or char.isdigit()}
    total = sum(idf.get(pair, 1.0) for pair in wanted) or 1.0
    preferred = set(prefer_seeds)
    quoted_text = "".join(squash_whitespace(quote) for quote in quoted)
    scored = []
    for name, sentence, pairs in rows:
        if seed is not None and name != seed:
            continue
        shared = sum(idf.get(pair, 1.0) for pair in wanted & pairs)
        plain = to_simplified(sentence)
        char_share = len({char for char in chars if char in plain}) / len(chars) if chars else 0.0
        if not shared and not char_share:
            continue
        score = 0.7 * shared / total + 0.3 * char_share
        score += FIGURE_BONUS if _FIGURE.search(_PAGE_MARK.sub("", sentence)) else 0.0  # a fact, not a heading
        score += SEED_BONUS if name in preferred else 0.0
        score += UNQUOTED_BONUS if sentence[:20] not in quoted_text else 0.0
        # A long run-on passage (a title fused to its first paragraph) shares characters with anything and
        # makes a poor quote: past LONG_SENTENCE characters each hundred more costs LENGTH_PENALTY.
        score -= LENGTH_PENALTY * max(0, len(sentence) - LONG_SENTENCE) / 100
        scored.append(Candidate(name, sentence, score))
    scored.sort(key=lambda candidate: (-candidate.score, len(candidate.sentence)))
    return scored[:limit]


def keywords_of(text: str, limit: int = 6) -> list[str]:
    """Content words of a text, longest first (jieba; question words and stopwords dropped)."""
    plain = to_simplified(text)
    for phrase in QUESTION_PHRASES:
        plain = plain.replace(phrase, " ")
    words = [
        word
        for word in jieba.cut(plain, HMM=False)
        if len(word) >= 2 and word not in STOPWORDS and (_CJK.search(word) or re.search(r"\d", word))
    ]
    unique = list(dict.fromkeys(words))
    return sorted(unique, key=len, reverse=True)[:limit]


def scalar(value: str) -> str:
    """A string as a one-line YAML scalar (quoted only when YAML needs it)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_style=None).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def entry_yaml(
    entry_id: str,
    question: str,
    answer: str,
    seed: str,
    quotes: list[str],
    alternatives: list[str] | None = None,
    keywords: list[str] | None = None,
    comment: str | None = None,
    other_quotes: list[str] | None = None,
) -> str:
    """One FAQ entry (indented for an `entries:` list), marked as a draft."""
    lines = []
    if comment:
        lines.append(f"  # {comment}")
    for other in other_quotes or []:
        lines.append(f"  # other candidate quote: {' '.join(other.split())}")
    lines += [f"  - id: {entry_id}", "    draft: true", f"    question: {scalar(question)}"]
    if alternatives:
        lines.append("    alternatives:")
        lines += [f"      - {scalar(text)}" for text in alternatives]
    if keywords:
        lines.append(f"    keywords: [{', '.join(scalar(word) for word in keywords)}]")
    lines += [
        f"    answer: {scalar(answer)}",
        "    source:",
        f"      seed: {seed}",
        "      quotes:",
        *(f"        - {scalar(quote)}" for quote in quotes),
    ]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ a new document


_PERCENT = re.compile(r"\d+(?:\.\d+)?%|百分之|比例|占比|覆盖率|增长")
_MONEY = re.compile(r"[\d.一二三四五六七八九十百千万亿]+(?:万元|亿元|元)")
_WHEN = re.compile(r"\d{1,2}月\d{0,2}日?|年底|月底|季末|季度末|日前|底前")  # a bare year is not a deadline
_COUNT = re.compile(r"\d+(?:个|家|户|项|条|名|批|人次|所)")
_TITLE = re.compile(r"《([^》]{1,60})》|“([^”]{1,30})”")
_BODY = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:局|委|厅|办|中心|部门|政府|公司|集团|银行)")
_CONTACT = re.compile(r"联系人|电话|邮箱|聯繫人|電話")


@dataclass(frozen=True)
class Draft:
    id: str
    question: str
    answer: str
    quote: str
    keywords: list[str]
    seed: str

    def as_yaml_args(self) -> dict[str, object]:
        return {
            "entry_id": self.id,
            "question": self.question,
            "answer": self.answer,
            "seed": self.seed,
            "quotes": [self.quote],
            "keywords": self.keywords,
        }


HEADING_MAX = 15  # a short line without closing punctuation is a heading (一、总体目标)


def fact_passages(text: str) -> list[tuple[str, str]]:
    """The document's fact-bearing sentences as `coverage` counts them, each as (quote, sentence).

    A heading is joined to the sentence after it in one quote (still verbatim: whitespace aside, the
    two are adjacent in the seed), so it needs no entry of its own."""
    from bot.kb.coverage import FACT_MARK  # the one definition of "fact-bearing"

    passages: list[tuple[str, str]] = []
    heading = ""
    for piece in _SENTENCE_END.split(text):
        sentence = squash_whitespace(piece)
        if not sentence:
            continue
        if len(sentence) <= HEADING_MAX and not re.search(r"[。！？；!?;：:，,]$", sentence):
            heading += sentence
            continue
        quote, heading = heading + sentence, ""
        if FACT_MARK.search(quote):
            passages.append((quote, sentence))
    if heading and FACT_MARK.search(heading):
        passages.append((heading, heading))
    return passages


def question_for(sentence: str, topic: list[str]) -> str:
    """A plain question the sentence answers: what kind of fact it holds, about its main words."""
    plain = to_simplified(sentence)
    about = "、".join(topic) or plain[:12]
    title = _TITLE.search(plain)
    if _CONTACT.search(plain):
        return f"{about}的联系人和电话是什么？"
    if _MONEY.search(plain):
        return f"{about}的金额是多少？"
    if _PERCENT.search(plain):
        return f"{about}的目标比例是多少？"
    if _WHEN.search(plain):
        return f"{about}在什么时候完成？"
    if _COUNT.search(plain):
        return f"{about}的数量是多少？"
    if _BODY.search(plain):
        return f"{about}由哪个部门负责？"
    if title:
        return f"“{title.group(1) or title.group(2)}”是什么？"
    return f"{about}有什么要求？"


def topic_words(sentence: str, limit: int = 3) -> list[str]:
    """The sentence's most telling words (jieba's TF-IDF), figures left to the question's kind."""
    import jieba.analyse

    plain = to_simplified(sentence)
    words = [
        word
        for word in jieba.analyse.extract_tags(plain, topK=limit * 3)
        if len(word) >= 2 and _CJK.search(word) and word not in STOPWORDS
    ]
    return words[:limit] or keywords_of(sentence, limit)


_PLACE = re.compile(r"[\u4e00-\u9fff]{1,5}?[省市县区]")


def document_place(text: str) -> str:
    """The place the document's title names (示例市 in 示例市2025年……要点), or ''."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    match = _PLACE.match(to_simplified(first))
    return match.group(0) if match else ""


def draft_entries(text: str, seed: str, prefix: str) -> list[Draft]:
    """One draft per fact-bearing sentence: the sentence as quote, a question, keywords, the answer."""
    drafts = []
    place = document_place(text)
    for number, (quote, sentence) in enumerate(fact_passages(text), start=1):
        topic = [word for word in topic_words(sentence, 4) if not place or (word not in place and place not in word)][
            :3
        ]
        figures = [figure for figure in re.findall(r"\d+(?:\.\d+)?%?", sentence) if len(figure) > 1][:3]
        keywords = list(dict.fromkeys([*keywords_of(sentence, limit=5), *figures]))
        drafts.append(
            Draft(
                id=f"{prefix}-{number:03d}",
                question=place + question_for(sentence, topic),
                answer=to_simplified(sentence),
                quote=quote,
                keywords=keywords,
                seed=seed,
            )
        )
    return drafts

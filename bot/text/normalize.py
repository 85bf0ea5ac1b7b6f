"""Turn whatever a user typed into one canonical form: simplified, half-width, no markup or punctuation.

Every comparison in the matcher runs on this form, so the index and the query must go through the same
function.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

from bot.text.slack_markup import visible_text

# Bounded work: nobody asks a 10,000-character question on purpose; the head carries the intent.
MAX_QUERY_CHARS = 300

_NON_WORD = re.compile(r"[^\w%.]+")
_SPACES = re.compile(r"\s+")
# 10,000 and 1,600亿 in a question are one figure (the documents write none with digit groups); only ASCII
# commas, each followed by three digits: 206家，172家 and 1,2 are not one
_DIGIT_GROUPS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# What a writer quotes (“三对标四提高”, 《行动方案》) names something the document says; it is not their
# question, so 几个 inside “几个对标、几个提高” does not ask for a count.
# An ASCII apostrophe pair quotes only Chinese ('换'字头): in English it is an apostrophe (don't, it's).
_QUOTED = re.compile(
    r"“([^“”]{1,60})”|「([^「」]{1,60})」|『([^『』]{1,60})』|《([^《》]{1,60})》|\"([^\"]{1,60})\""
    r"|‘([^‘’]{1,60})’|'([\u4e00-\u9fff]{1,20})'"
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def warm_converters() -> None:
    """Make both script converters now: the first question in traditional script waited 50 ms for its reply's."""
    _t2s()
    _s2t()


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def is_traditional(text: str) -> bool:
    """True when converting to simplified changes the text, i.e. the user wrote traditional characters."""
    return to_simplified(text) != text


def strip_slack_markup(text: str) -> str:
    """Replace Slack's `<...>` markup by what a reader sees: link labels, channel names, no mentions."""
    return visible_text(text, keep_mentions=False)


@dataclass(frozen=True)
class NormalisedQuery:
    """A question in canonical form plus what we need to answer in the user's own script."""

    text: str
    traditional: bool
    truncated: bool
    quoted: tuple[str, ...] = ()  # the quoted passages, normalised, without spaces

    @property
    def has_content(self) -> bool:
        return bool(_HAS_LETTER_OR_DIGIT.search(self.text))


def normalise(text: str, limit: int | None = None) -> str:
    """NFKC (full width -> half width), simplified script, lower case, punctuation as single spaces."""
    text = unicodedata.normalize("NFKC", text)
    if limit is not None:
        text = text[:limit]
    text = to_simplified(text).lower()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# Joins texts normalised together: a letter (kept by the punctuation pass, so the parts stay apart),
# stable under NFKC, in no OpenCC phrase, without case, neither cased nor case-ignorable (lower case reads
# a final sigma by its neighbours).
_JOIN = "\u16a0"
_JOINED_TEXTS = 2_000  # texts normalised in one join: bounds the join's size


def normalise_many(texts: Sequence[str]) -> list[str]:
    """`normalise` of each text (an index build normalises tens of thousands): OpenCC, lower case and the
    two regex passes run once over a join of many texts, which reads as each text alone (see `_JOIN`)."""
    plain = [text for text in texts if _JOIN not in text]
    done: dict[str, str] = {}
    for start in range(0, len(plain), _JOINED_TEXTS):
        chunk = plain[start : start + _JOINED_TEXTS]
        # NFKC text by text: most texts pass its quick check, and one that does not makes it redo a whole join
        joined = to_simplified(_JOIN.join([unicodedata.normalize("NFKC", text) for text in chunk])).lower()
        parts = _SPACES.sub(" ", _NON_WORD.sub(" ", joined)).split(_JOIN)
        if len(parts) == len(chunk):  # else (not expected) one by one
            done.update(zip(chunk, (part.strip() for part in parts), strict=True))
    return [done[text] if text in done else normalise(text) for text in texts]


def normalise_query(raw: str) -> NormalisedQuery:
    """Normalise a user's question, bounded to MAX_QUERY_CHARS, remembering its script."""
    visible = _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(",", ""), strip_slack_markup(raw))
    compact = _SPACES.sub(" ", visible).strip()
    head = compact[:MAX_QUERY_CHARS]
    return NormalisedQuery(
        text=normalise(head),
        traditional=is_traditional(head),
        truncated=len(compact) > MAX_QUERY_CHARS,
        quoted=quoted_passages(head),
    )


def quoted_passages(text: str) -> tuple[str, ...]:
    """What the text quotes, in canonical form without spaces (empty quotes left out)."""
    found = (normalise("".join(match.groups(""))).replace(" ", "") for match in _QUOTED.finditer(text))
    return tuple(passage for passage in found if passage)


def compact(text: str) -> str:
    """Normalised text without spaces: the form used for verbatim-modulo-whitespace checks."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))

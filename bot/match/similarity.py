"""Word-set similarity as rapidfuzz's token_sort_ratio computes it, with an entry's side prepared once.

token_sort_ratio(a, b) is fuzz.ratio of each side's words sorted by code point and joined by single
spaces. An entry's phrasings are the same at every question, so the index holds each phrasing's words
sorted (`sorted_words`), and a question, sorted once, is compared with them by fuzz.ratio: the very
scores, without rapidfuzz splitting and sorting every candidate phrasing at every question (two thirds
of what comparing by word sets cost). The words are the tokenizer's, which never hold whitespace, so
rapidfuzz would split their join back into them (tests/match/test_similarity.py compares the two).
"""

from __future__ import annotations

from collections.abc import Iterable


def sorted_words(words: Iterable[str]) -> str:
    """Words (none holding whitespace) in code-point order, joined by single spaces: what token_sort_ratio
    compares of their join."""
    return " ".join(sorted(words))

"""The keys a tokenizer loads jieba's words by: the array version finds what the regex found, text by text."""

from __future__ import annotations

import random
import re

from bot.text.pairs import characters_and_pairs
from tests.support.kb import shipped_answerer

_PAIR = re.compile(r"(?=(\S\S))")


def _by_regex(texts: list[str]) -> set[str]:
    keys: set[str] = set()
    for text in texts:
        keys.update(text, _PAIR.findall(text))
    return keys


def test_the_shipped_phrasings_give_the_keys_the_regex_gives():
    texts = [text for indexed in shipped_answerer().index.entries for text in indexed.phrasings]
    assert characters_and_pairs(texts) == _by_regex(texts)


def test_random_texts_of_spaces_surrogates_and_wide_characters_give_the_keys_the_regex_gives():
    rng = random.Random(12)
    alphabet = "ab 中文\t\u3000\n\r\ud800x\U0001f600\x85"
    for _ in range(3000):
        texts = ["".join(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in range(rng.randint(0, 4))]
        assert characters_and_pairs(texts) == _by_regex(texts), texts


def test_a_space_is_a_key_only_when_a_text_has_one():
    assert characters_and_pairs(["天津", "技改"]) == {"天", "津", "天津", "技", "改", "技改"}
    assert " " in characters_and_pairs(["天 津"])
    assert characters_and_pairs([]) == set() == characters_and_pairs(["", ""])

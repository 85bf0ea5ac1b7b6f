"""Unknown words: a noun names a topic the knowledge base may not cover; a pronoun or verb wraps the question."""

from __future__ import annotations

import pytest

from tests.support.kb import shipped_answerer


@pytest.mark.parametrize(
    ("word", "topic"), [("住房贷款", True), ("公积金", True), ("医保", True), ("俺们", False), ("急用", False)]
)
def test_nouns_and_abbreviations_name_a_topic(word, topic):
    assert shipped_answerer().index.tokenizer.names_a_topic(word) is topic

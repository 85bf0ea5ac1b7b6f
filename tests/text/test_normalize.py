from __future__ import annotations

import random

import pytest

from bot.text.normalize import MAX_QUERY_CHARS, normalise, normalise_many, normalise_query, strip_slack_markup
from tests.support.kb import shipped_answerer


def test_traditional_becomes_simplified_and_is_remembered():
    query = normalise_query("天津市對技術改造項目補貼多少")
    assert query.text == "天津市对技术改造项目补贴多少"
    assert query.traditional


def test_simplified_is_not_taken_for_traditional():
    assert not normalise_query("天津市对技术改造项目补贴多少").traditional


def test_full_width_letters_digits_and_punctuation_become_half_width():
    assert normalise("ＡＢＣ１２３％，再贷款１．７５％") == "abc123% 再贷款1.75%"


def test_slack_user_mentions_are_removed():
    assert normalise_query("<@U123ABC> 三换是什么").text == "三换是什么"


def test_slack_links_become_their_labels():
    assert strip_slack_markup("看 <http://example.com/a|这个文件> 和 <https://x.org>") == "看 这个文件 和 https://x.org"


def test_slack_channel_and_broadcast_markup():
    assert strip_slack_markup("<#C1234|general> <!here> 问题").split() == ["general", "问题"]


def test_escaped_entities_are_unescaped():
    assert strip_slack_markup("A &amp; B &lt;c&gt;") == "A & B <c>"


def test_long_input_is_bounded():
    query = normalise_query("技改" * 5000)
    assert query.truncated
    assert len(query.text) <= MAX_QUERY_CHARS


def test_only_emoji_and_punctuation_has_no_content():
    assert not normalise_query("😀🎉！？…").has_content
    assert normalise_query("😀 三换").has_content


def test_quoted_passages_are_kept_in_canonical_form():
    query = normalise_query('开展“几个对标、几个提高”活动，见《行動方案》和 "A B"，“”不算')
    assert query.quoted == ("几个对标几个提高", "行动方案", "ab")
    assert "几个对标" in query.text


def test_single_quotes_quote_chinese_and_leave_english_apostrophes_alone():
    query = normalise_query("三件'换'字头的事，‘稳’字头 and don't, it's 'policy'")
    assert query.quoted == ("换", "稳")


def test_normalising_many_texts_together_gives_each_one_alone():
    kb = shipped_answerer().kb
    texts = [text for entry in kb.entries for text in [*entry.phrasings, entry.answer, *entry.source.quotes]]
    rng = random.Random(5)
    # Final sigma (ΑΣ -> ας), combining marks at a text's start, full width, traditional, the join's own character
    alphabet = ["Σ", "Α", "\u0301", "Ａ", "發", "頭髮", " ", "\n", "\x00", "İ", "ﬁ", "，", "%"]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(0, 5))) for _ in range(3000)]
    assert normalise_many(texts) == [normalise(text) for text in texts]
    assert normalise_many([]) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("银行贷款1,600亿", "银行贷款1600亿"),
        ("subsidy of 10,000,000 yuan", "subsidy of 10000000 yuan"),
        ("企业上云206家,172家对标", "企业上云206家 172家对标"),  # no digits right after the comma: two figures
        ("第1,2项", "第1 2项"),
    ],
)
def test_digit_groups_in_a_question_are_one_figure(raw, expected):
    assert normalise_query(raw).text == expected

"""Questions that copy the document's sentence and put 什么 where the wanted word stands."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.match.cloze import filled, gaps
from tests.support.kb import shipped_answerer


def test_a_gap_keeps_the_words_before_it_and_two_after():
    assert gaps("安全生产是一条什么线") == (("安全生产是一条", "线"),)
    assert gaps("文件里有什么") == (("文件里有", ""),)
    assert gaps("是什么") == ()  # too little before the gap to find a sentence by


def test_the_text_holding_the_sentence_with_a_word_in_the_gap_fills_it_longest():
    question = gaps("智能化改造是制造业高质量发展的什么")
    holds = "一、智能化改造是制造业高质量发展的必由之路。"
    elsewhere = "推动制造业高质量发展的重要举措"
    assert filled(holds, question) > filled(elsewhere, question) > 0
    assert filled("毫不相干的一句话", question) == 0
    # the words after the gap must follow the filled word
    assert filled("这是一条不可逾越的红线", gaps("安全生产是一条什么线")) == 3
    assert filled("这是一条路", gaps("安全生产是一条什么线")) == 0


def test_a_text_asking_the_same_question_does_not_fill_the_gap():
    """An entry's phrasing may ask as the question does (还到什么程度): 什么 is no word in the gap."""
    question = gaps("今年欠企业的钱还到什么程度")
    assert filled("拖欠企业的钱还到什么程度了", question) == 0
    assert filled("拖欠企业的钱还到一半以上程度", question) > 0


def test_among_entries_that_explain_every_word_the_one_with_the_sentence_answers():
    """Several 商丘 entries know every word of the question; the one whose text has the sentence
    with 必由之路 in the gap answers it (the document's own wording was outranked before)."""
    answer = shipped_answerer().ask("商丘的讲话里说智能化改造是制造业高质量发展的什么？")
    assert answer.matched and "必由之路" in (answer.text or "")


def test_a_wall_of_gaps_is_read_as_a_few():
    """Each gap costs a search in every candidate's text: repeated ones count once, and only the first few."""
    assert len(gaps("高质量发展的什么" * 40)) == 1
    assert len(gaps("".join(f"第{n}个问题是关于什么" for n in "一二三四五六七八"))) == 3


def test_a_particle_after_the_gap_is_not_a_word_the_text_must_hold():
    assert gaps("智能化改造是制造业高质量发展的什么呀") == gaps("智能化改造是制造业高质量发展的什么")


def _plain_filled(text: str, question_gaps: tuple[tuple[str, str], ...]) -> int:
    """`filled` by its definition: the longest context (three or more characters before the gap) found in
    the text at a place where a word fills the gap and the words after it follow."""
    best = 0
    for before, after in question_gaps:
        for start in range(len(before) - 2):
            context = before[start:]
            word = r"(?!什么|啥|哪一?[个些种条项句])[\u3400-\u9fff]"  # a word in the gap, not a question's gap
            pattern = re.escape(context) + word + (r"[\u3400-\u9fff]{0,29}?" + re.escape(after) if after else "")
            if re.search(pattern, text):
                best = max(best, len(context))
    return best


_CHARS = "天津改造是一条什么啥哪个线了的"


@st.composite
def _question_and_text(draw: st.DrawFn) -> tuple[str, str]:
    """A question, and a text made of pieces of it and other characters (so that contexts of every
    length are found in it, with and without a word in the gap)."""
    question = draw(st.text(alphabet=_CHARS, min_size=3, max_size=16))
    pieces = draw(
        st.lists(
            st.one_of(
                st.tuples(st.integers(0, len(question)), st.integers(0, len(question))).map(
                    lambda span: question[min(span) : max(span)]
                ),
                st.text(alphabet=_CHARS, max_size=4),
            ),
            max_size=6,
        )
    )
    return question, "".join(pieces)


@given(_question_and_text())
@settings(max_examples=1500)
def test_filled_is_the_longest_context_found_with_a_filled_gap(case: tuple[str, str]):
    question, text = case
    assert filled(text, gaps(question)) == _plain_filled(text, gaps(question))

"""Relative years read against the year a question states as now (bot/text/relative_years.py)."""

from __future__ import annotations

import pytest

from bot.answer import Outcome
from bot.text.relative_years import resolve_relative_years
from tests.support.kb import shipped_answerer


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("现在是2025年，天津去年培育了多少家智能工厂", "天津2024年培育了多少家智能工厂"),
        ("如今已经是2021年了，西南那个市前年清欠多少", "西南那个市2019年清欠多少"),
        ("今年是2019年，平顶山明年和后年各创建几家", "平顶山2020年和2021年各创建几家"),
        ("现在都2025年了 商丘下一年考核啥", "商丘2026年考核啥"),
        ("假如现在是2024年：东北那个市今年的目标", "东北那个市2024年的目标"),
        ("现在已经是2025年了 天津去年培育了多少家", "天津2024年培育了多少家"),  # as normalise_query leaves it
        ("现在是2025年底，天津去年培育了多少家", "天津2024年培育了多少家"),
        ("天津去年培育了多少家？现在是2025年", "天津2024年培育了多少家？"),
    ],
)
def test_relative_years_follow_the_stated_now(question, resolved):
    assert resolve_relative_years(question) == resolved


@pytest.mark.parametrize(
    "question",
    [
        "天津去年培育了多少家智能工厂",  # no now stated: the document's own frame
        "现在是2025年了，天津智能工厂有多少家",  # a now no relative word leans on asks about that year
        "天津目前2027年的目标是什么",  # a target's year, not a statement of now
        "天津2024年比去年多培育了几家",  # a year named without saying it is now
    ],
)
def test_questions_without_a_stated_now_are_left_alone(question):
    assert resolve_relative_years(question) == question


def test_last_year_of_a_stated_now_finds_that_years_figure():
    answer = shipped_answerer().ask("如今已经是2025年了，天津去年培育了多少家智能工厂？")
    assert answer.outcome is Outcome.ANSWERED
    assert "50家" in answer.text


def test_a_stated_now_in_traditional_script_and_chinese_numerals_is_read_too():
    answer = shipped_answerer().ask("現在已經是二〇二五年了，天津去年培育了多少家智能工廠？")
    assert answer.outcome is Outcome.ANSWERED
    assert "50家" in answer.text


def test_last_year_of_a_later_now_is_a_year_the_documents_do_not_cover():
    """2026's 去年 is 2025, for which the Tianjin interview of 2024 gives no figure. Dropping the stated now
    and keeping 去年 in the document's frame would answer with 2024's 50 factories."""
    answer = shipped_answerer().ask("现在是2026年，天津去年培育了多少家智能工厂？")
    assert answer.outcome is not Outcome.ANSWERED

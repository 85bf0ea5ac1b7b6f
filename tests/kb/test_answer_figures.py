"""Every amount and share an answer states is in the passages it quotes.

An officer quotes the bot's figures; a summary entry that restates another entry's 1178万元 without
quoting the passage is not traceable to its source. Counts and dates are not checked here (an answer may
count the items its quote lists, or date the document)."""

from __future__ import annotations

import re
import unicodedata

from bot.text.normalize import to_simplified
from tests.support.kb import shipped_answerer

# an amount or a share: the figures whose wrong value hurts an officer most
AMOUNT_OR_SHARE = re.compile(r"(?<![\dX.])\d+(?:\.\d+)?(?:%|万元|亿元|万|亿|元|倍)")


def _form(text: str) -> str:
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split())


def figures_not_quoted(answer: str, quotes: tuple[str, ...]) -> list[str]:
    quoted = _form(" ".join(quotes))
    return sorted({figure for figure in AMOUNT_OR_SHARE.findall(_form(answer)) if figure not in quoted})


def test_the_check_finds_a_figure_no_quote_gives():
    assert figures_not_quoted("共计2233万元，2019年申请1178万元", ("2018年争取专项资金共计2233万元;",)) == ["1178万元"]
    assert figures_not_quoted("利率为1.75%", ("利率為1.75%",)) == []


def test_every_amount_and_share_in_an_answer_is_in_its_quotes():
    missing = {
        entry.id: figures
        for entry in shipped_answerer().kb.entries
        if (figures := figures_not_quoted(entry.answer, entry.source.quotes))
    }
    assert missing == {}

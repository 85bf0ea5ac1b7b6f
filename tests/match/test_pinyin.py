"""The reduced phrase table reads text as pypinyin's full one does, with far less memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.match.pinyin import SHIPPED, _import_without_phrases, compute_heteronym_phrases

TEXTS = ["银行贷款", "重庆和重点", "天津技改再贷款利率", "觉得睡觉", "X市1.75%", "还款还是还没有还清"]

READ = """
import json, sys
if sys.argv[1] == "full":
    from pypinyin import Style, lazy_pinyin
    read = lambda text: lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
else:
    from bot.match.pinyin import toneless as read
texts = json.loads(sys.stdin.read())
readings = [read(t) for t in texts]
import pypinyin.constants  # after reading: imported first, it would load the full table
print(json.dumps({"readings": readings, "phrases": len(pypinyin.constants.PHRASES_DICT)}))
"""


def read_in_a_new_process(table: str, texts: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ, table], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_reduced_table_reads_heteronyms_as_the_full_one():
    full = read_in_a_new_process("full", TEXTS)
    reduced = read_in_a_new_process("reduced", TEXTS)
    assert reduced["readings"] == full["readings"]
    assert reduced["readings"][0] == ["yin", "hang", "dai", "kuan"]
    assert reduced["phrases"] < full["phrases"] / 10


def test_the_shipped_table_is_what_the_installed_pypinyin_gives():
    pypinyin = _import_without_phrases()
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    if shipped["pypinyin"] != pypinyin.__version__:
        pytest.skip(
            f"pypinyin {pypinyin.__version__}: the table is computed at run time (made for {shipped['pypinyin']})"
        )
    assert shipped["phrases"] == compute_heteronym_phrases(pypinyin)

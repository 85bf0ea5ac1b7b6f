"""Pinyin with the phrase table read per character reads every text as pypinyin as shipped does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.match.pinyin import (
    CharReadings,
    PhraseGroups,
    _runs_between_entries,
    _runs_of_keys,
    _table_path,
    _tables,
    toneless,
)
from tests.support.kb import shipped_answerer

EDGE_CASES = [
    "",
    "abc 12",
    "重庆长大了",  # phrases change a polyphone's reading: chong qing, zhang da
    "中国人民银行行长",
    "一丁点儿不识",  # one phrase's prefix starts another
    "技该贷款利率多少",
    "\u3400\u3401中文\u3402",
    "（，）：天津市技改",
]

# pypinyin imported as usual (its whole phrase table), in a process of its own.
_REFERENCE = """
import json, sys
from pypinyin import Style, lazy_pinyin
texts = json.load(sys.stdin)
print(json.dumps([lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars)) for text in texts]))
"""


def _texts() -> list[str]:
    answerer = shipped_answerer()
    texts = list(EDGE_CASES)
    for entry in answerer.kb.entries:
        texts += [*entry.phrasings, entry.answer, *entry.source.quotes]
    return texts


def test_the_groups_hold_the_whole_table():
    path = _table_path()
    groups = PhraseGroups(path)
    whole = json.loads(path.read_bytes())
    assert groups.phrases({phrase[0] for phrase in whole}) == whole
    assert set(groups.phrases({"重"})) == {phrase for phrase in whole if phrase[0] == "重"}


def test_a_table_laid_out_on_one_line_is_grouped_alike(tmp_path):
    whole = json.loads(_table_path().read_bytes())
    sample = {phrase: readings for phrase, readings in whole.items() if phrase[0] in "重一龟"}
    compact = tmp_path / "phrases_dict.json"
    compact.write_text(json.dumps(sample, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    assert PhraseGroups(compact).phrases({"重", "一", "龟", "天"}) == sample


def test_the_shipped_table_is_split_between_entries():
    """The installed table's layout takes the split (`_runs_between_entries`), which finds the runs a search
    for every key finds. A pypinyin laid out otherwise is read by that search, only slower: skipped, not failed."""
    data = _table_path().read_bytes()
    runs = _runs_between_entries(data)
    if runs is None:
        pytest.skip("this pypinyin's phrase table is not laid out one key per line: read by the key search")
    assert runs == _runs_of_keys(data)


def test_a_phrase_starting_with_a_four_byte_character_is_found_by_its_key(tmp_path):
    whole = json.loads(_table_path().read_bytes())
    sample = {phrase: readings for phrase, readings in whole.items() if phrase[0] in "重一"}
    sample["\U00020000\u4e00"] = [["hē"], ["yī"]]
    laid_out = tmp_path / "phrases_dict.json"
    laid_out.write_text(json.dumps(dict(sorted(sample.items())), ensure_ascii=False, indent=0), encoding="utf-8")
    assert _runs_between_entries(laid_out.read_bytes()) is None
    assert PhraseGroups(laid_out).phrases({"重", "一", "\U00020000"}) == sample
    without = {phrase: readings for phrase, readings in sample.items() if phrase[0] != "\U00020000"}
    laid_out.write_text(json.dumps(without, ensure_ascii=False, indent=0), encoding="utf-8")
    assert _runs_between_entries(laid_out.read_bytes()) is not None
    assert PhraseGroups(laid_out).phrases({"重", "一"}) == without


def test_reading_characters_alone_first_keeps_the_phrase_table_unread():
    """`syllables_alone` as a process's first use of pypinyin must not import it whole (its 47,000 phrases)."""
    probe = (
        "import sys\n"
        "from bot.match.pinyin import _tables, syllables_alone\n"
        "assert syllables_alone({'重'})['重'] >= {'zhong', 'chong'}\n"
        "print('pypinyin.phrases_dict' in sys.modules, _tables()._sources is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_the_packed_readings_are_the_whole_table_of_characters():
    shipped = json.loads(_table_path().with_name("pinyin_dict.json").read_bytes())
    table = {int(code): readings for code, readings in shipped.items()}
    packed = CharReadings(table)
    assert packed.readings({chr(code) for code in table} | {"a", "\U0010ffff"}) == table
    assert packed.readings({"重"}) == {ord("重"): table[ord("重")]}


def test_texts_read_as_with_the_whole_phrase_table():
    texts = _texts()
    done = subprocess.run(
        [sys.executable, "-c", _REFERENCE], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    expected = json.loads(done.stdout)
    assert _tables()._sources is not None, "pypinyin was imported whole: nothing here is read per character"
    for text, reference in zip(texts, expected, strict=True):
        assert toneless(text) == reference, text

"""The evaluation sets' split into tuned-on and never-tuned, and bench/compare.py's reading of two runs."""

from __future__ import annotations

import pytest

from bench.compare import Reply, diff, keys_of, params_of
from bench.datasets import NEVER_TUNED, TUNED_ON, Item
from bench.evaluate import SETS


def test_every_set_is_either_tuned_on_or_never_tuned():
    """A set written blind joins one of the two once its untouched run is on record; one in neither (or both)
    would be left out of the comparisons, or have its misses read."""
    assert not set(TUNED_ON) & set(NEVER_TUNED)
    assert set(TUNED_ON) | set(NEVER_TUNED) == set(SETS)


def _reply(group: str, correct: bool, wrong: bool = False, entry: str = "e1") -> Reply:
    return Reply(group, True, correct, wrong, "answered" if entry else "refused", entry, "paraphrase")


def test_diff_lists_the_tuned_on_changes_and_only_counts_the_others():
    before = {
        "blind33|甲": _reply("tuned", False, entry=""),
        "blind33|乙": _reply("tuned", True),
        "blind34|丙": _reply("never-tuned", False, entry=""),
        "blind34|丁": _reply("never-tuned", True),
    }
    after = {
        "blind33|甲": _reply("tuned", True),
        "blind33|乙": _reply("tuned", False, wrong=True, entry="e2"),
        "blind34|丙": _reply("never-tuned", True),
        "blind34|丁": _reply("never-tuned", False, wrong=True, entry="e2"),
    }
    lines = diff(before, after)
    assert lines[0].startswith("GAIN") and lines[0].endswith("blind33|甲")
    assert lines[1].startswith("LOSS+WRONG") and lines[1].endswith("blind33|乙")
    assert lines[2] == "never tuned: gained 1, lost 1, newly wrong 1, no longer wrong 0"
    assert not any("丙" in line or "丁" in line for line in lines)


def test_an_unchanged_reply_is_not_listed():
    same = {"blind33|甲": _reply("tuned", True)}
    assert diff(same, dict(same)) == ["never tuned: gained 0, lost 0, newly wrong 0, no longer wrong 0"]


def test_params_are_overridden_by_name_and_unknown_names_refused():
    assert params_of(["coverage_weight=0.45", "answer_threshold=0.6"]).coverage_weight == 0.45
    with pytest.raises(SystemExit, match="MatchParams' fields"):
        params_of(["no_such_knob=1"])
    with pytest.raises(SystemExit, match="not a number"):
        params_of(["coverage_weight=high"])


def test_a_question_a_set_asks_twice_keeps_both_replies():
    items = [Item("甲", False), Item("乙", True), Item("甲", False)]
    assert keys_of("test", items) == ["test|甲", "test|乙", "test|甲#2"]
    assert len(set(keys_of("test", SETS["test"]()))) == len(SETS["test"]())  # it asks 推荐几只最近能涨的股票 twice

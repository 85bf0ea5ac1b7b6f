"""deadlines.yaml: the shipped file, file:line errors like the FAQ's, and hot reload keeping the last good."""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.kb.issues import Issue
from bot.kb.seeds import SeedLibrary
from bot.schedule.deadlines_file import DeadlineStore, load_deadlines
from tests.schedule.helpers import SEEDS, SHIPPED, deadline, load, write_deadlines


def issues_of(path: Path) -> list[Issue]:
    issues: list[Issue] = []
    assert load_deadlines(path, SeedLibrary.load(SEEDS), issues) is None
    assert issues, "expected the file to be rejected"
    return issues


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_shipped_file_is_valid_and_covers_all_five_documents() -> None:
    deadlines = load(SHIPPED)
    per_seed = Counter(item.source.seed[:3] for item in deadlines.deadlines)
    assert set(per_seed) == {"000", "001", "002", "003", "004"}
    assert len(deadlines.deadlines) >= 20
    kinds = {item.due.kind for item in deadlines.deadlines}
    assert kinds == {"once", "yearly", "monthly", "weekly", "quarter_end"}


def test_dates_the_documents_mask_are_settings_never_invented() -> None:
    """A quote with a masked month (X月) must make its date a deployment setting."""
    for item in load(SHIPPED).deadlines:
        if any(re.search(r"X月", quote) for quote in item.source.quotes):
            setting = item.due.date_setting
            assert setting is not None, f"{item.id} quotes a masked month but has a fixed date"
            assert "X" in setting.document_says


def test_a_quote_missing_from_the_seed_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write_deadlines(
        tmp_path / "deadlines.yaml", deadline("bad-quote", "{once: 2020-06-30}", quote="原文没有这句话")
    )
    [issue] = issues_of(path)
    assert issue.line == line_of(path, "原文没有这句话")
    assert issue.entry_id == "bad-quote" and issue.field == "source.quotes.0"
    assert str(issue).startswith(f"{path}:{issue.line}:")


def test_a_due_needs_exactly_one_rule(tmp_path: Path) -> None:
    path = write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("two-rules", '{once: 2020-06-30, yearly: "12-31"}'),
        deadline("no-rule", "{}"),
    )
    issues = issues_of(path)
    assert {(issue.entry_id, issue.line) for issue in issues} == {
        ("two-rules", line_of(path, "yearly")),
        ("no-rule", line_of(path, "due: {}")),
    }
    assert all("exactly one rule" in issue.message for issue in issues)


@pytest.mark.parametrize(
    ("entry", "marker", "message"),
    [
        (deadline("tz", "{once: 2020-06-30}", timezone="Asia/Shangai"), "Asia/Shangai", "unknown timezone"),
        (deadline("md", '{yearly: "02-30"}'), "02-30", "not a day of the year"),
        (deadline("day", "{monthly: 32}"), "monthly: 32", "less than or equal to 31"),
        (deadline("when", "{once: 2020-13-01}"), "2020-13-01", "date"),
        (deadline("neg", "{once: 2020-06-30}", remind="[-3]"), "remind_days", "greater than or equal to 0"),
        (deadline("chan", "{once: 2020-06-30}", channels="[Arrears]"), "channels", "should match pattern"),
        (deadline("bounds", "{once: 2020-06-30, until: 2020-12-31}"), "until", "from/until"),
    ],
)
def test_bad_values_are_reported_at_their_line(tmp_path: Path, entry: str, marker: str, message: str) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", entry)
    [issue] = issues_of(path)
    assert message in issue.message
    assert issue.line == line_of(path, marker)


def test_unknown_keys_duplicate_ids_and_one_bad_entry_hiding_no_other(tmp_path: Path) -> None:
    good = deadline("dup", "{once: 2020-06-30}")
    typo = deadline("typo", "{once: 2020-06-30}").replace("    action:", "    remindr_days: [1]\n    action:")
    path = write_deadlines(tmp_path / "deadlines.yaml", good, typo, good)
    issues = issues_of(path)
    messages = sorted((issue.entry_id, issue.message) for issue in issues)
    assert ("typo", "Extra inputs are not permitted") in messages
    assert any(entry == "dup" and "duplicate id, first defined at" in text for entry, text in messages)
    assert len(issues) == 2


def test_one_setting_needs_one_default(tmp_path: Path) -> None:
    masked = "{{once: {{setting: target, default: {}, document_says: X月底前}}}}"
    path = write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("a", masked.format("2020-06-30")),
        deadline("b", masked.format("2020-07-31")),
    )
    [issue] = issues_of(path)
    assert issue.entry_id == "b" and "one setting needs one default" in issue.message


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.yaml"
    path.write_text("deadlines:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    [issue] = issues_of(path)
    assert issue.path == path and issue.line >= 3


def test_defaults_are_checked_too(tmp_path: Path) -> None:
    path = write_deadlines(
        tmp_path / "deadlines.yaml", deadline("d", "{once: 2020-06-30}"), defaults="defaults:\n  timezone: Mars/Base\n"
    )
    [issue] = issues_of(path)
    assert issue.line == 2 and issue.field == "defaults.timezone"


def test_an_edit_takes_effect_and_an_invalid_edit_keeps_the_last_good(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("first", "{once: 2020-06-30}"))
    store = DeadlineStore(path, SEEDS)
    assert [d.id for d in store.current().deadlines] == ["first"]  # type: ignore[union-attr]

    def rewrite(*entries: str) -> None:
        write_deadlines(path, *entries)
        stat = path.stat()  # make the edit visible even within one mtime tick
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    rewrite(deadline("first", "{once: 2020-06-30}"), deadline("second", "{once: 2020-07-31}"))
    assert [d.id for d in store.current().deadlines] == ["first", "second"]  # type: ignore[union-attr]

    with caplog.at_level(logging.ERROR, logger="bot.schedule.deadlines_file"):
        rewrite(deadline("broken", "{once: not-a-date}"))
        kept = store.current()
    assert [d.id for d in kept.deadlines] == ["first", "second"]  # type: ignore[union-attr]
    assert store.errors and store.errors[0].entry_id == "broken"
    assert "keeping the last good version" in caplog.text and f"{path}:" in caplog.text

    rewrite(deadline("third", "{once: 2020-08-31}"))
    assert [d.id for d in store.current().deadlines] == ["third"]  # type: ignore[union-attr]
    assert store.errors == []


@pytest.mark.parametrize("rule", ['{yearly: "12-31"}', "{monthly: 31, from: 2020-01-01}", "{weekly: fri}"])
def test_a_recurrence_without_an_end_is_rejected_at_its_due(tmp_path: Path, rule: str) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("forever", rule))
    [issue] = issues_of(path)
    assert "needs `until:`" in issue.message and "never stop" in issue.message
    assert issue.line == line_of(path, "due:") and issue.entry_id == "forever"


def test_a_bad_weekday_is_reported(tmp_path: Path) -> None:
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("wk", "{weekly: friday, until: 2020-12-31}"))
    [issue] = issues_of(path)
    assert "day of the week" in issue.message


def test_every_shipped_recurrence_ends_and_unstated_years_are_settings() -> None:
    """Each recurring deadline has an end; a bound the document does not date is a setting with a default."""
    shipped = load(SHIPPED)
    recurring = [item for item in shipped.deadlines if item.due.kind != "once"]
    assert recurring and all(item.due.until is not None for item in recurring)
    for item in recurring:
        for place, setting in item.due.settings():
            assert place in {"from", "until"} and setting.document_says and setting.default
    # the years 001 does not state (约2023年) are never hard-coded
    for item in shipped.deadlines:
        if item.source.seed.startswith("001") and item.due.kind != "once":
            assert {place for place, _ in item.due.settings()} == {"from", "until"}, item.id


def test_a_setting_used_as_a_bound_needs_one_default_too(tmp_path: Path) -> None:
    bound = "{{weekly: mon, until: {{setting: stop, default: {}, document_says: 近期}}}}"
    path = write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("a", bound.format("2020-06-30")),
        deadline("b", "{once: {setting: stop, default: 2020-07-31, document_says: 近期}}"),
    )
    [issue] = issues_of(path)
    assert (issue.entry_id, issue.field) == ("b", "due.once.default")
    assert "one setting needs one default" in issue.message

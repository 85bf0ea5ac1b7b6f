"""Occurrence rules and reminder windows: month ends, leap years, bounds, timezone boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from bot.schedule.digest import build_digest, due_reminders
from bot.schedule.occurrences import active_offset, occurrence_dates, reminder_points
from bot.schedule.schema import Due
from bot.schedule.settings import DigestSettings
from tests.schedule.helpers import at, deadline, load, write_deadlines


def due(**rule: object) -> Due:
    """A rule; a recurrence without `until` gets a far one (validate requires every recurrence to end)."""
    if "once" not in rule:
        rule.setdefault("until", "2199-12-31")
    return Due.model_validate(rule)


def test_monthly_day_31_falls_on_each_months_last_day() -> None:
    dates = occurrence_dates(due(monthly=31), date(2023, 1, 1), date(2023, 6, 30))
    assert dates == [
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 31),
        date(2023, 4, 30),
        date(2023, 5, 31),
        date(2023, 6, 30),
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 2, 29)), (2023, date(2023, 2, 28)), (2000, date(2000, 2, 29)), (2100, date(2100, 2, 28))],
)
def test_monthly_day_30_in_february_follows_leap_years(year: int, expected: date) -> None:
    assert occurrence_dates(due(monthly=30), date(year, 2, 1), date(year, 3, 15)) == [expected]


def test_yearly_february_29_falls_on_february_28_in_common_years() -> None:
    dates = occurrence_dates(due(yearly="02-29"), date(2023, 1, 1), date(2025, 12, 31))
    assert dates == [date(2023, 2, 28), date(2024, 2, 29), date(2025, 2, 28)]


def test_quarter_and_half_year_ends_cross_the_year_boundary() -> None:
    span = (date(2023, 11, 1), date(2024, 7, 31))
    assert occurrence_dates(due(quarter_end=True), *span) == [date(2023, 12, 31), date(2024, 3, 31), date(2024, 6, 30)]
    assert occurrence_dates(due(half_year_end=True), *span) == [date(2023, 12, 31), date(2024, 6, 30)]


def test_recurrence_bounds_are_inclusive() -> None:
    rule = due(yearly="12-31", **{"from": "2025-01-01", "until": "2027-12-31"})
    assert occurrence_dates(rule, date(2020, 1, 1), date(2030, 12, 31)) == [
        date(2025, 12, 31),
        date(2026, 12, 31),
        date(2027, 12, 31),
    ]


def test_a_masked_date_uses_the_setting_or_else_its_default() -> None:
    rule = due(once={"setting": "first_target", "default": "2020-06-30", "document_says": "今年X月底前"})
    span = (date(2020, 1, 1), date(2020, 12, 31))
    assert occurrence_dates(rule, *span) == [date(2020, 6, 30)]
    assert occurrence_dates(rule, *span, {"first_target": date(2020, 7, 31)}) == [date(2020, 7, 31)]


def test_reminder_points_run_from_earliest_to_latest() -> None:
    assert reminder_points([0, 30, 1, 7], [7, 1]) == [30, 7, 1, 0, -1, -7]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2020, 5, 30), None),  # before the 30-day point
        (date(2020, 5, 31), 30),
        (date(2020, 6, 22), 30),  # still the 30-day reminder until the 7-day one starts
        (date(2020, 6, 23), 7),
        (date(2020, 6, 29), 1),
        (date(2020, 6, 30), 0),
        (date(2020, 7, 1), -1),
        (date(2020, 7, 7), -7),
        (date(2020, 7, 13), -7),  # the last point stays due for the grace days...
        (date(2020, 7, 14), None),  # ...and then the occurrence leaves the digest
    ],
)
def test_the_active_reminder_is_the_latest_point_reached(today: date, expected: int | None) -> None:
    points = reminder_points([30, 7, 1, 0], [1, 7])
    assert active_offset(date(2020, 6, 30), today, points, grace_days=7) == expected


def test_days_left_counts_in_each_deadlines_own_timezone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_deadlines(
        tmp_path / "deadlines.yaml",
        deadline("shanghai", "{once: 2020-06-30}"),
        deadline("new-york", "{once: 2020-06-30}", timezone="America/New_York"),
    )
    # 16:30 UTC on 29 June is 00:30 on 30 June in Shanghai but 12:30 on 29 June in New York.
    items = due_reminders(load(path), DigestSettings(), at("2020-06-29T16:30+00:00"))
    by_id = {item.id: (item.days_left, item.status) for item in items}
    assert by_id == {"shanghai": (0, "due"), "new-york": (1, "upcoming")}


def test_local_midnight_is_the_day_boundary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("d", "{once: 2020-06-30}"))
    deadlines, settings = load(path), DigestSettings()

    def state(moment: str) -> tuple[int, str, int | None]:
        [item] = due_reminders(deadlines, settings, at(moment))
        return item.days_left, item.status, item.offset

    assert state("2020-06-29T23:59:59") == (1, "upcoming", 1)
    assert state("2020-06-30T00:00") == (0, "due", 0)
    assert state("2020-07-01T00:00") == (-1, "overdue", -1)


def test_a_monthly_rule_reminds_every_month_including_short_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_deadlines(
        tmp_path / "deadlines.yaml", deadline("monthly", "{monthly: 31, until: 2030-12-31}", remind="[0]", overdue="[]")
    )
    deadlines, settings = load(path), DigestSettings(grace_days=1)
    due_days = []
    for moment in ("2024-01-31", "2024-02-29", "2024-04-30", "2023-02-28"):
        [channel] = build_digest(deadlines, settings, at(moment + "T09:00"))
        due_days.append((channel.items[0].due.isoformat(), channel.items[0].status))
    assert due_days == [
        ("2024-01-31", "due"),
        ("2024-02-29", "due"),
        ("2024-04-30", "due"),
        ("2023-02-28", "due"),
    ]
    assert build_digest(deadlines, settings, at("2024-02-28T09:00")) == []


def test_weekly_falls_on_its_weekday_within_the_bounds() -> None:
    rule = due(weekly="fri", **{"from": "2020-04-01", "until": "2020-04-30"})
    assert occurrence_dates(rule, date(2020, 1, 1), date(2020, 12, 31)) == [
        date(2020, 4, 3),
        date(2020, 4, 10),
        date(2020, 4, 17),
        date(2020, 4, 24),
    ]


def test_a_bound_that_is_a_setting_follows_the_deployment() -> None:
    rule = due(monthly=31, until={"setting": "stop", "default": "2020-02-29", "document_says": "近期"})
    span = (date(2020, 1, 1), date(2020, 12, 31))
    assert occurrence_dates(rule, *span) == [date(2020, 1, 31), date(2020, 2, 29)]
    assert occurrence_dates(rule, *span, {"stop": date(2020, 3, 31)})[-1] == date(2020, 3, 31)

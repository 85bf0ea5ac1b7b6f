"""When a deadline falls due, and which reminder is due at a given day: small pure functions.

    occurrence_dates(due, start, end, dates)   the due dates of one rule within [start, end]
    reminder_points(remind_days, overdue_days) the offsets (days before due; negative = after)
    active_offset(due_date, today, points, grace_days)
                                               the reminder that is due on `today`, if any

A reminder point k of an occurrence due on D is due from D - k until the next point begins (the last
point stays due for `grace_days`). So a digest that runs late, or after downtime, still sends the
reminder that is due now, and one reminder covers all the runs it missed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from datetime import date, timedelta

from bot.schedule.schema import WEEKDAYS, DateSetting, Due, bound_date

QUARTER_END_MONTHS = (3, 6, 9, 12)
HALF_YEAR_END_MONTHS = (6, 12)


def clamp_day(year: int, month: int, day: int) -> date:
    """Day `day` of a month, or the month's last day when it is shorter (31 -> 30, 28 or 29)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> date:
    return clamp_day(year, month, 31)


def resolve_once(due: Due, dates: Mapping[str, date]) -> date:
    """The date of a one-off rule; a masked date takes the deployment's setting, else its default."""
    if isinstance(due.once, DateSetting):
        return dates.get(due.once.setting, due.once.default)
    assert due.once is not None, "resolve_once needs a one-off rule"
    return due.once


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _candidates(due: Due, start: date, end: date, dates: Mapping[str, date]) -> Iterator[date]:
    kind = due.kind
    if kind == "once":
        yield resolve_once(due, dates)
    elif kind == "yearly":
        assert due.yearly is not None
        month, day = (int(part) for part in due.yearly.split("-"))
        for year in range(start.year, end.year + 1):
            yield clamp_day(year, month, day)
    elif kind == "weekly":
        assert due.weekly is not None
        day = start + timedelta(days=(WEEKDAYS.index(due.weekly) - start.weekday()) % 7)
        while day <= end:
            yield day
            day += timedelta(days=7)
    elif kind == "monthly":
        assert due.monthly is not None
        for year, month in _months(start, end):
            yield clamp_day(year, month, due.monthly)
    else:
        months = QUARTER_END_MONTHS if kind == "quarter_end" else HALF_YEAR_END_MONTHS
        for year in range(start.year, end.year + 1):
            for month in months:
                yield month_end(year, month)


def occurrence_dates(due: Due, start: date, end: date, dates: Mapping[str, date] | None = None) -> list[date]:
    """Due dates of `due` between `start` and `end` (both inclusive), within its from/until bounds.

    A bound that is a setting takes the deployment's date (`dates`), else its documented default."""
    dates = dates or {}
    starts, until = bound_date(due.starts, dates), bound_date(due.until, dates)
    low = max(start, starts) if starts else start
    high = min(end, until) if until else end
    if low > high:
        return []
    return sorted({day for day in _candidates(due, low, high, dates) if low <= day <= high})


def reminder_points(remind_days: list[int], overdue_days: list[int]) -> list[int]:
    """Offsets in the order they come due: days before (30, 7, 1, 0), then after (-1, -7)."""
    return sorted({*remind_days, *(-days for days in overdue_days)}, reverse=True)


def active_offset(due_date: date, today: date, points: list[int], grace_days: int) -> int | None:
    """The reminder point due on `today`: the latest one reached, until the next one is reached.

    None before the first point and once the last point is more than `grace_days` old."""
    active: int | None = None
    for offset in points:
        if due_date - timedelta(days=offset) <= today:
            active = offset
        else:
            break
    if active is None:
        return None
    if active == points[-1] and today >= due_date - timedelta(days=active) + timedelta(days=grace_days):
        return None
    return active


def days_left(due_date: date, today: date) -> int:
    return (due_date - today).days


def status_of(left: int) -> str:
    if left > 0:
        return "upcoming"
    return "due" if left == 0 else "overdue"

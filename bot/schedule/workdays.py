"""Working days in China: public holidays and the make-up working days (调休), from `chinesecalendar`.

    is_workday(day)               official working day (a make-up Saturday is one, 2026-10-01 is not)
    working_days_between(a, b)    working days after `a` up to and including `b` ("due in N working days")
    covers(year)                  whether the package knows that year's calendar

`chinesecalendar` is updated each year once the State Council publishes the next year's holidays; for a
year it does not know yet it raises NotImplementedError. Then this module falls back to Monday–Friday
and records the year in `uncovered`, so the digest warns the admins instead of crashing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

try:  # the package is a dependency; a broken install still leaves the weekday fallback working
    import chinese_calendar
except ImportError:  # pragma: no cover - exercised only on a broken install
    chinese_calendar = None  # type: ignore[assignment]

FALLBACK_WEEKDAYS = frozenset(range(5))  # Monday to Friday


def package_version() -> str:
    return str(getattr(chinese_calendar, "__version__", "not installed"))


class WorkdayCalendar:
    """The official calendar where the package covers the year, Monday–Friday elsewhere."""

    def __init__(self, fallback_weekdays: frozenset[int] = FALLBACK_WEEKDAYS) -> None:
        self.fallback_weekdays = fallback_weekdays
        self.uncovered: set[int] = set()  # years answered by the fallback so far

    def covers(self, year: int) -> bool:
        if chinese_calendar is None:
            return False
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: date) -> bool:
        if chinese_calendar is not None:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                pass
        if day.year not in self.uncovered:
            self.uncovered.add(day.year)
            log.warning(
                "chinesecalendar %s has no holiday data for %d: Monday to Friday are taken as working days",
                package_version(),
                day.year,
            )
        return day.weekday() in self.fallback_weekdays

    def holiday_name(self, day: date) -> str | None:
        """The holiday a non-working day belongs to (English name from the package), if known."""
        if chinese_calendar is None:
            return None
        try:
            _, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return str(name) if name else None

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative, counting back, when `end` is before `start`."""
        if end == start:
            return 0
        sign, low, high = (1, start, end) if end > start else (-1, end, start)
        count, day = 0, low + timedelta(days=1)
        while day <= high:
            count += self.is_workday(day)
            day += timedelta(days=1)
        return sign * count


def uncovered_warning(year: int) -> str:
    """The admins' message for a year the package does not cover (interface text)."""
    return (
        f":warning: 节假日日历（chinesecalendar {package_version()}）还没有 {year} 年的放假安排："
        "截止事项提醒暂按周一至周五发送，法定节假日和调休上班日未计入。"
        "请升级 chinesecalendar（pip install -U chinesecalendar）。"
    )


class WorkdayTrigger(BaseTrigger):
    """Fires at a time of day on official working days only (APScheduler 3 trigger)."""

    def __init__(self, calendar: WorkdayCalendar, hour: int, minute: int, timezone: tzinfo) -> None:
        self.calendar = calendar
        self.daily = CronTrigger(hour=hour, minute=minute, timezone=timezone)

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        fire = self.daily.get_next_fire_time(previous_fire_time, now)
        for _ in range(366):  # the longest run of days off is far shorter
            if fire is None or self.calendar.is_workday(fire.date()):
                return fire
            fire = self.daily.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return None

    def __str__(self) -> str:
        return f"workdays[{self.daily}]"

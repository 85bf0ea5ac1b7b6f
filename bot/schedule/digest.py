"""The digest for a moment: per channel, the occurrences whose reminder is due and not marked done.

    build_digest(deadlines, settings, now)      -> [ChannelDigest(channel, items)]
    upcoming(deadlines, settings, now, days)    -> [DigestItem] for App Home and the calendar export

`now` gives each item's days_left (in the deadline's timezone); `as_of` (default `now`) chooses which
reminders are due: a catch-up run after downtime passes the missed run's time there.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.schedule.occurrences import (
    active_offset,
    days_left,
    occurrence_dates,
    reminder_points,
    status_of,
)
from bot.schedule.schema import DateSetting, Deadline, DeadlinesFile
from bot.schedule.settings import DigestSettings

DoneSet = Collection[tuple[str, date]]


@dataclass(frozen=True)
class LedgerKey:
    """What the sent-ledger records once: one reminder of one occurrence in one channel."""

    deadline_id: str
    occurrence: date
    offset: int
    channel: str

    def __str__(self) -> str:
        return f"{self.deadline_id}|{self.occurrence.isoformat()}|{self.offset}|{self.channel}"


@dataclass(frozen=True)
class DigestItem:
    deadline: Deadline
    due: date
    days_left: int
    status: str  # upcoming | due | overdue
    offset: int | None = None  # the reminder point due now (None outside a digest)
    date_setting: DateSetting | None = None  # set when the date is a local setting
    date_overridden: bool = False  # the deployment set that date (else the default applies)
    working_days_left: int | None = None  # official working days in (today, due]; China's calendar

    @property
    def id(self) -> str:
        return self.deadline.id

    def key(self, channel: str) -> LedgerKey:
        assert self.offset is not None, "only digest items have a reminder offset"
        return LedgerKey(self.deadline.id, self.due, self.offset, channel)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.deadline.id,
            "title": self.deadline.title,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "status": self.status,
        }


@dataclass(frozen=True)
class ChannelDigest:
    channel: str  # the Slack channel (ID or #name) it posts to
    items: list[DigestItem] = field(default_factory=list)
    logical: tuple[str, ...] = ()  # the deadlines file's channel names that map here

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "items": [item.to_json() for item in self.items]}


def _item(
    deadlines: DeadlinesFile,
    deadline: Deadline,
    due: date,
    today: date,
    settings: DigestSettings,
    offset: int | None = None,
) -> DigestItem:
    left = days_left(due, today)
    setting = deadline.due.date_setting
    return DigestItem(
        deadline=deadline,
        due=due,
        days_left=left,
        status=status_of(left),
        offset=offset,
        date_setting=setting,
        date_overridden=bool(setting and setting.setting in settings.dates),
        working_days_left=settings.calendar.working_days_between(today, due),
    )


def due_reminders(
    deadlines: DeadlinesFile,
    settings: DigestSettings,
    now: datetime,
    as_of: datetime | None = None,
    done: DoneSet = (),
) -> list[DigestItem]:
    """Every occurrence with a reminder due at `as_of`, not marked done, sorted by due date."""
    as_of = as_of or now
    items: list[DigestItem] = []
    done_keys = set(done)
    for deadline in deadlines.deadlines:
        zone = deadlines.timezone_of(deadline)
        today = now.astimezone(zone).date()
        reference = as_of.astimezone(zone).date()
        remind = deadlines.remind_days_of(deadline)
        overdue = deadlines.overdue_days_of(deadline)
        points = reminder_points(remind, overdue)
        start = reference - timedelta(days=max(overdue, default=0) + settings.grace_days)
        end = reference + timedelta(days=max(remind))
        for due in occurrence_dates(deadline.due, start, end, settings.dates):
            if (deadline.id, due) in done_keys:
                continue
            offset = active_offset(due, reference, points, settings.grace_days)
            if offset is not None:
                items.append(_item(deadlines, deadline, due, today, settings, offset))
    items.sort(key=lambda item: (item.due, item.id))
    return items


def build_digest(
    deadlines: DeadlinesFile,
    settings: DigestSettings,
    now: datetime,
    as_of: datetime | None = None,
    done: DoneSet = (),
) -> list[ChannelDigest]:
    """The digest grouped by Slack channel (each item once per channel), channels sorted by name."""
    grouped: dict[str, list[DigestItem]] = {}
    logical: dict[str, list[str]] = {}
    for item in due_reminders(deadlines, settings, now, as_of, done):
        for name in deadlines.channels_of(item.deadline):
            channel = settings.channel_for(name)
            names = logical.setdefault(channel, [])
            if name not in names:
                names.append(name)
            bucket = grouped.setdefault(channel, [])
            if all(existing.id != item.id or existing.due != item.due for existing in bucket):
                bucket.append(item)
    return [ChannelDigest(channel, grouped[channel], tuple(logical[channel])) for channel in sorted(grouped)]


def upcoming(
    deadlines: DeadlinesFile,
    settings: DigestSettings,
    now: datetime,
    days: int = 365,
    done: DoneSet = (),
    include_overdue: bool = False,
) -> list[DigestItem]:
    """Occurrences due from today to `days` ahead (and, if asked, recent overdue ones not done)."""
    items: list[DigestItem] = []
    done_keys = set(done)
    for deadline in deadlines.deadlines:
        today = now.astimezone(deadlines.timezone_of(deadline)).date()
        start = today
        if include_overdue:
            start = today - timedelta(days=max(deadlines.overdue_days_of(deadline), default=0))
        for due in occurrence_dates(deadline.due, start, today + timedelta(days=days), settings.dates):
            if (deadline.id, due) not in done_keys:
                items.append(_item(deadlines, deadline, due, today, settings))
    items.sort(key=lambda item: (item.due, item.id))
    return items

"""Upcoming occurrences as an iCalendar file (RFC 5545, via the icalendar package).

Each occurrence is an all-day event with a stable UID (re-importing updates rather than duplicates)
and an alarm per reminder day, so people can add the deadlines to their own calendars.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from bot.schedule.blocks import local_setting_text
from bot.schedule.digest import DigestItem
from bot.schedule.schema import DeadlinesFile

PRODID = "-//policy-bot//deadline digests//ZH"
UID_DOMAIN = "policy-bot.deadlines"


def _description(item: DigestItem, documents: Mapping[str, str]) -> str:
    deadline = item.deadline
    parts = [deadline.action]
    setting = local_setting_text(item)
    if setting:
        parts.append(setting.replace("`", ""))
    if deadline.note:
        parts.append(f"说明：{deadline.note}")
    document = documents.get(deadline.source.seed, deadline.source.seed)
    parts.append(f"来源：{document}")
    parts.extend(f"「{' '.join(quote.split())}」" for quote in deadline.source.quotes)
    return "\n".join(parts)


def to_ics(
    items: list[DigestItem],
    deadlines: DeadlinesFile,
    now: datetime,
    documents: Mapping[str, str] | None = None,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "政策文件截止事项")
    stamp = now.astimezone(timezone.utc)
    for item in items:
        deadline = item.deadline
        event = Event()
        event.add("uid", f"{deadline.id}-{item.due.isoformat()}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", deadline.title)
        event.add("description", _description(item, documents or {}))
        event.add("transp", "TRANSPARENT")
        if deadline.tags:
            event.add("categories", deadline.tags)
        for days in sorted(deadlines.remind_days_of(deadline), reverse=True):
            if days == 0:
                continue
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{deadline.title}（{days} 天后截止）")
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()

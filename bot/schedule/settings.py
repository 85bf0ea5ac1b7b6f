"""The digest's deployment settings, read from the same environment as `bot.config.Settings`.

They are parsed here (from `Settings.env`) rather than in `bot/config.py`, so a bad digest setting
fails the digest commands and the scheduler with one clear line without breaking `ask` or `chat`.

| variable | default | meaning |
|---|---|---|
| BOT_DIGEST_ENABLED | true | run the digest scheduler inside `python -m bot serve` |
| BOT_DIGEST_TIME | 09:00 | time of the scheduled digest |
| BOT_DIGEST_DAYS | workdays | days of the scheduled digest: `workdays` = China's official working days
|                 |          | (holidays off, make-up Saturdays on; chinesecalendar), or APScheduler
|                 |          | day_of_week syntax (mon-fri, mon,wed,fri) for plain weekdays |
| BOT_DIGEST_TIMEZONE | Asia/Shanghai | timezone of the time above and of `--now` without an offset |
| BOT_DIGEST_CHANNEL | #policy-deadlines | Slack channel for the logical channel `default` |
| BOT_DIGEST_CHANNEL_<NAME> | BOT_DIGEST_CHANNEL | Slack channel for the logical channel `<name>` |
| BOT_DEADLINE_<SETTING> | the file's default | a masked date (YYYY-MM-DD), e.g. BOT_DEADLINE_SW_ARREARS_FIRST_TARGET |
| BOT_DEADLINES_FILE | <kb_dir>/deadlines.yaml | the deadlines file |
| BOT_DIGEST_GRACE_DAYS | 7 | how long the last overdue reminder stays due (catch-up window) |
| BOT_DIGEST_CLAIM_LEASE_SECONDS | 600 | after this, a claim whose sender died is taken over |
| BOT_DIGEST_RETRY_MINUTES | 10 | the scheduler retries a digest Slack refused (429/5xx) after this |
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.config import ConfigError, Settings, parse_bool
from bot.schedule.workdays import WorkdayCalendar, WorkdayTrigger

DEFAULT_CHANNEL = "#policy-deadlines"
DEFAULT_TIMEZONE = "Asia/Shanghai"
CHANNEL_PREFIX = "BOT_DIGEST_CHANNEL_"
DATE_PREFIX = "BOT_DEADLINE_"
WORKDAYS = "workdays"  # BOT_DIGEST_DAYS value: China's official calendar
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _parse_int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {raw!r}")
    return value


def parse_timezone(name: str, raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be an IANA timezone such as Asia/Shanghai, got {raw!r}") from None


def _parse_time(name: str, raw: str) -> time:
    match = _TIME.match(raw.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ConfigError(f"{name} must be a time such as 09:00, got {raw!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_days(name: str, raw: str) -> str:
    value = raw.strip().lower()
    if value == WORKDAYS:
        return value
    try:
        CronTrigger(day_of_week=value)
    except ValueError:
        raise ConfigError(f"{name} must be workdays or days such as mon-fri or mon,wed,fri, got {raw!r}") from None
    return value


@dataclass(frozen=True)
class DigestSettings:
    enabled: bool = True
    time: time = time(9, 0)
    days: str = WORKDAYS
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    default_channel: str = DEFAULT_CHANNEL
    channels: dict[str, str] = field(default_factory=dict)  # logical name -> Slack channel
    dates: dict[str, date] = field(default_factory=dict)  # masked-date setting -> date
    deadlines_path: Path = Path("knowledge/deadlines.yaml")
    grace_days: int = 7
    claim_lease_seconds: int = 600
    retry_minutes: int = 10
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar, compare=False)  # working days left

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestSettings:
        """Parse the digest variables of `settings.env`; raises ConfigError (one line) on a bad value."""
        env = settings.env
        channels: dict[str, str] = {}
        dates: dict[str, date] = {}
        for key, value in env.items():
            if key.startswith(CHANNEL_PREFIX) and value.strip():
                channels[key[len(CHANNEL_PREFIX) :].lower()] = value.strip()
            elif key.startswith(DATE_PREFIX) and value.strip():
                try:
                    dates[key[len(DATE_PREFIX) :].lower()] = date.fromisoformat(value.strip())
                except ValueError:
                    raise ConfigError(f"{key} must be a date YYYY-MM-DD, got {value!r}") from None
        deadlines = env.get("BOT_DEADLINES_FILE")
        return cls(
            enabled=parse_bool("BOT_DIGEST_ENABLED", env.get("BOT_DIGEST_ENABLED", "true")),
            time=_parse_time("BOT_DIGEST_TIME", env.get("BOT_DIGEST_TIME") or "09:00"),
            days=_parse_days("BOT_DIGEST_DAYS", env.get("BOT_DIGEST_DAYS") or WORKDAYS),
            timezone=parse_timezone("BOT_DIGEST_TIMEZONE", env.get("BOT_DIGEST_TIMEZONE") or DEFAULT_TIMEZONE),
            default_channel=(env.get("BOT_DIGEST_CHANNEL") or DEFAULT_CHANNEL).strip(),
            channels=channels,
            dates=dates,
            deadlines_path=Path(deadlines) if deadlines else settings.kb_dir / "deadlines.yaml",
            grace_days=_parse_int("BOT_DIGEST_GRACE_DAYS", env.get("BOT_DIGEST_GRACE_DAYS") or "7", 1, 366),
            claim_lease_seconds=_parse_int(
                "BOT_DIGEST_CLAIM_LEASE_SECONDS", env.get("BOT_DIGEST_CLAIM_LEASE_SECONDS") or "600", 5, 86400
            ),
            retry_minutes=_parse_int("BOT_DIGEST_RETRY_MINUTES", env.get("BOT_DIGEST_RETRY_MINUTES") or "10", 1, 1440),
        )

    def channel_for(self, logical: str) -> str:
        """The Slack channel a logical channel name posts to (unmapped names use the default)."""
        if logical == "default":
            return self.default_channel
        return self.channels.get(logical, self.default_channel)

    def env_name_of_channel(self, logical: str) -> str:
        return "BOT_DIGEST_CHANNEL" if logical == "default" else CHANNEL_PREFIX + logical.upper()

    def trigger(self) -> BaseTrigger:
        """The APScheduler trigger of the scheduled digest: official working days, or the given weekdays."""
        if self.days == WORKDAYS:
            return WorkdayTrigger(self.calendar, self.time.hour, self.time.minute, self.timezone)
        return CronTrigger(day_of_week=self.days, hour=self.time.hour, minute=self.time.minute, timezone=self.timezone)

    def is_digest_day(self, day: date) -> bool:
        """Whether the scheduled digest runs on `day` (its date in the digest timezone)."""
        if self.days == WORKDAYS:
            return self.calendar.is_workday(day)
        start = datetime.combine(day, time(0, 0), tzinfo=self.timezone)
        fire = CronTrigger(day_of_week=self.days, timezone=self.timezone).get_next_fire_time(None, start)
        return fire is not None and fire.date() == day

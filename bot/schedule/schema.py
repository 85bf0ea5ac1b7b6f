"""The shape of `knowledge/deadlines.yaml`, as strict pydantic models (unknown keys are errors).

A deadline says what must be done, when (`due`: one rule), in which timezone, how many days ahead
to remind, which channels hear about it, and the verbatim passage it comes from (`source`, checked
against the seed like an FAQ entry's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, StrictBool, StrictStr, field_validator, model_validator

from bot.kb.schema import ID_PATTERN, Source, StrictModel

SETTING_PATTERN = r"^[a-z][a-z0-9_]*$"
CHANNEL_PATTERN = r"^[a-z][a-z0-9_]*$"
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _to_date(value: Any) -> Any:
    """YAML gives `2020-06-30` as a date; a quoted "2020-06-30" is accepted too. Times are not."""
    if isinstance(value, datetime):
        raise ValueError(f"must be a date (YYYY-MM-DD) without a time, got {value.isoformat()!r}")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}") from None
    return value


DateValue = Annotated[date, BeforeValidator(_to_date)]
DayCount = Annotated[int, Field(ge=0, le=366, strict=True)]


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as Asia/Shanghai)") from None
    return name


def _unique_days(days: list[int] | None) -> list[int] | None:
    if days is not None and len(set(days)) != len(days):
        raise ValueError(f"days must not repeat: {days}")
    return days


class DateSetting(StrictModel):
    """A date the document masks (`X月底前`): a deployment setting with a documented default.

    The deployment sets it with the environment variable `BOT_DEADLINE_<SETTING>` (upper case)."""

    setting: StrictStr = Field(pattern=SETTING_PATTERN)
    default: DateValue
    document_says: StrictStr = Field(min_length=1)  # the document's own wording, e.g. 今年X月底前

    @property
    def env_name(self) -> str:
        return "BOT_DEADLINE_" + self.setting.upper()


Bound = DateValue | DateSetting  # a recurrence's from/until: a date the document gives, or a setting


def bound_date(value: Bound | None, dates: Mapping[str, date]) -> date | None:
    """The date of a bound (or of a one-off date): a setting takes the deployment's value, else its default."""
    if isinstance(value, DateSetting):
        return dates.get(value.setting, value.default)
    return value


class Due(StrictModel):
    """Exactly one rule: a one-off date, or a recurrence bounded by `until` (required) and optional `from`.

    A recurrence always ends: on a date the document gives, or on a setting with a documented default."""

    once: DateValue | DateSetting | None = None
    yearly: StrictStr | None = None  # "MM-DD"; 02-29 falls on 02-28 in common years
    monthly: Annotated[int, Field(ge=1, le=31, strict=True)] | None = None  # day N; past month end = last day
    weekly: StrictStr | None = None  # mon, tue, ... sun
    quarter_end: StrictBool | None = None
    half_year_end: StrictBool | None = None
    starts: Bound | None = Field(default=None, alias="from")
    until: Bound | None = None

    @field_validator("weekly")
    @classmethod
    def _weekday(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().lower() not in WEEKDAYS:
            raise ValueError(f"weekly must be a day of the week ({', '.join(WEEKDAYS)}), got {value!r}")
        return value.strip().lower()

    @field_validator("yearly")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = _MONTH_DAY.match(value.strip())
        if not match:
            raise ValueError(f'yearly must be "MM-DD" such as "12-31", got {value!r}')
        month, day = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month]:
            raise ValueError(f"yearly {value!r} is not a day of the year")
        return value.strip()

    @model_validator(mode="after")
    def _exactly_one_rule(self) -> Due:
        given = [name for name in self.rule_names() if getattr(self, name) not in (None, False)]
        for flag in ("quarter_end", "half_year_end"):
            if getattr(self, flag) is False:
                raise ValueError(f"{flag} can only be true (leave it out otherwise)")
        if len(given) != 1:
            raise ValueError(
                "due needs exactly one rule of: once, yearly, monthly, weekly, quarter_end, half_year_end; "
                f"got {', '.join(given) or 'none'}"
            )
        if self.once is not None and (self.starts or self.until):
            raise ValueError("from/until bound recurring rules only; a one-off date has neither")
        if self.once is None and self.until is None:
            raise ValueError(
                "a recurring rule needs `until:` (a date the document gives, or "
                "{setting, default, document_says}); unbounded reminders would never stop"
            )
        low, high = bound_date(self.starts, {}), bound_date(self.until, {})
        if low and high and high < low:
            raise ValueError("until is before from")
        return self

    @staticmethod
    def rule_names() -> tuple[str, ...]:
        return ("once", "yearly", "monthly", "weekly", "quarter_end", "half_year_end")

    @property
    def kind(self) -> str:
        return next(name for name in self.rule_names() if getattr(self, name) not in (None, False))

    @property
    def date_setting(self) -> DateSetting | None:
        return self.once if isinstance(self.once, DateSetting) else None

    def settings(self) -> list[tuple[str, DateSetting]]:
        """Every setting this rule uses, with its place: ("once" | "from" | "until", setting)."""
        places = (("once", self.once), ("from", self.starts), ("until", self.until))
        return [(place, value) for place, value in places if isinstance(value, DateSetting)]


class Defaults(StrictModel):
    """Values a deadline inherits unless it sets its own."""

    timezone: StrictStr = "Asia/Shanghai"
    remind_days: list[DayCount] = Field(default_factory=lambda: [30, 7, 1, 0], min_length=1)
    overdue_days: list[Annotated[int, Field(ge=1, le=366, strict=True)]] = Field(default_factory=lambda: [1, 7])
    channels: list[Annotated[str, Field(pattern=CHANNEL_PATTERN, strict=True)]] = Field(
        default_factory=lambda: ["default"], min_length=1
    )

    _tz = field_validator("timezone")(check_timezone)
    _unique = field_validator("remind_days", "overdue_days")(_unique_days)


class Deadline(StrictModel):
    """One dated obligation from a document."""

    id: StrictStr = Field(pattern=ID_PATTERN)
    title: StrictStr = Field(min_length=1)
    action: StrictStr = Field(min_length=1)  # what must be done, self-contained
    due: Due
    timezone: StrictStr | None = None
    remind_days: list[DayCount] | None = Field(default=None, min_length=1)
    overdue_days: list[Annotated[int, Field(ge=1, le=366, strict=True)]] | None = None
    channels: list[Annotated[str, Field(pattern=CHANNEL_PATTERN, strict=True)]] | None = Field(
        default=None, min_length=1
    )
    note: StrictStr | None = None  # how the date was read from the document
    source: Source
    tags: list[StrictStr] = Field(default_factory=list)

    _tz = field_validator("timezone")(lambda value: None if value is None else check_timezone(value))
    _unique = field_validator("remind_days", "overdue_days")(_unique_days)

    @field_validator("title", "action")
    @classmethod
    def _nonempty(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value


class DeadlinesFile(StrictModel):
    defaults: Defaults = Field(default_factory=Defaults)
    deadlines: list[Deadline]

    def by_id(self, deadline_id: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.id == deadline_id), None)

    def timezone_of(self, deadline: Deadline) -> ZoneInfo:
        return ZoneInfo(deadline.timezone or self.defaults.timezone)

    def remind_days_of(self, deadline: Deadline) -> list[int]:
        return list(deadline.remind_days if deadline.remind_days is not None else self.defaults.remind_days)

    def overdue_days_of(self, deadline: Deadline) -> list[int]:
        chosen = deadline.overdue_days if deadline.overdue_days is not None else self.defaults.overdue_days
        return list(chosen)

    def channels_of(self, deadline: Deadline) -> list[str]:
        return list(deadline.channels or self.defaults.channels)

    def date_settings(self) -> dict[str, DateSetting]:
        """Every setting of the file (one-off dates and recurrence bounds), by name."""
        return {setting.setting: setting for d in self.deadlines for _, setting in d.due.settings()}

"""The upcoming deadlines as a chat reply: what "截止日期" or "deadlines" asks the bot for.

The scheduled digest posts reminders on its own days; between them, anyone can ask for what is due,
on any platform and in the terminal chat. The list is the digest's (knowledge/deadlines.yaml, done
marks left out), as plain text each platform shows in its own way.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings
from bot.db import sqlite_file_missing
from bot.schedule.blocks import digest_text
from bot.schedule.digest import upcoming
from bot.schedule.factory import deadline_store, engine_for
from bot.schedule.ledger import Ledger
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)

DAYS_AHEAD = 90
MAX_LISTED = 10  # a chat reply stays short; `python -m bot deadlines` lists them all
UNAVAILABLE = "暂时无法读取截止事项，请稍后再试或联系管理员。"


def _done(settings: Settings) -> set[tuple[str, date]]:
    """The done marks, read without creating anything: asking what is due in a fresh checkout's terminal
    chat leaves no database file behind."""
    if sqlite_file_missing(settings.database_url):
        return set()
    try:
        return Ledger(engine_for(settings.database_url)).done()
    except SQLAlchemyError as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return set()  # no digest has run against this database yet
        raise


def upcoming_text(settings: Settings, now: datetime | None = None) -> str:
    """The deadlines due in the next DAYS_AHEAD days, at most MAX_LISTED, as text; a short notice when
    there are none or they cannot be read (an invalid file, a database away)."""
    try:
        digest = DigestSettings.from_settings(settings)
        deadlines = deadline_store(settings, digest).current()
        if deadlines is None:
            return UNAVAILABLE
        moment = now or datetime.now(digest.timezone)
        items = upcoming(deadlines, digest, moment, days=DAYS_AHEAD, done=_done(settings))
    except (ConfigError, OSError) as exc:
        log.error("cannot list the deadlines: %s", exc)
        return UNAVAILABLE
    except Exception:  # the database: the reply says so rather than failing
        log.exception("cannot list the deadlines")
        return UNAVAILABLE
    if not items:
        return f"未来{DAYS_AHEAD}天没有截止事项。"
    text = digest_text(items[:MAX_LISTED], moment)
    if len(items) > MAX_LISTED:
        text += f"\n（另有 {len(items) - MAX_LISTED} 项）"
    return text

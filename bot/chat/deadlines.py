"""The upcoming deadlines as a chat reply: what "截止日期" or "deadlines" asks the bot for.

The scheduled digest posts reminders on its own days; between them, anyone can ask for what is due,
on any platform and in the terminal chat. The list is the digest's (knowledge/deadlines.yaml, done
marks left out), as plain text each platform shows in its own way.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.config import ConfigError, Settings
from bot.schedule.blocks import digest_text
from bot.schedule.digest import upcoming
from bot.schedule.factory import deadline_store, read_done
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)

DAYS_AHEAD = 90
MAX_LISTED = 10  # a chat reply stays short; `python -m bot deadlines` lists them all
UNAVAILABLE = "暂时无法读取截止事项，请稍后再试或联系管理员。"


def upcoming_text(settings: Settings, now: datetime | None = None) -> str:
    """The deadlines due in the next DAYS_AHEAD days, at most MAX_LISTED, as text; a short notice when
    there are none or they cannot be read (an invalid file, a database away)."""
    try:
        digest = DigestSettings.from_settings(settings)
        deadlines = deadline_store(settings, digest).current()
        if deadlines is None:
            return UNAVAILABLE
        moment = now or datetime.now(digest.timezone)
        items = upcoming(deadlines, digest, moment, days=DAYS_AHEAD, done=read_done(settings.database_url))
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

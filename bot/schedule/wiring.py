"""Hooks the Slack app calls into the digest feature (serve, App Home, the "mark done" button)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.config import ConfigError, Settings
from bot.schedule.actions import ACTION_PATTERN, make_mark_done_handler
from bot.schedule.digest import upcoming
from bot.schedule.factory import deadline_store, make_runner, open_ledger
from bot.schedule.scheduler import DigestService
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)


def start_scheduler(settings: Settings, client: Any) -> Any | None:
    """Start the digest scheduler inside `serve`; returns the scheduler (or None when disabled).

    A broken digest setup is logged and leaves the rest of the bot running."""
    try:
        digest = DigestSettings.from_settings(settings)
    except ConfigError as exc:
        log.error("deadline digest disabled: %s", exc)
        return None
    if not digest.enabled:
        log.info("deadline digest disabled (BOT_DIGEST_ENABLED=false)")
        return None
    try:
        runner = make_runner(settings, digest, client)
        if runner.store.current() is None:
            log.error("deadline digest starts without deadlines; it will use the file once it is valid")
        return DigestService(runner, digest).start()
    except Exception:
        log.exception("deadline digest could not start")
        return None


def upcoming_deadlines(settings: Settings, now: datetime, limit: int = 5) -> list[dict[str, Any]]:
    """Upcoming deadline items for the App Home tab: dicts with id, title, due (date), days_left, status.

    Recent overdue occurrences not marked done come first, then the next ones by date."""
    try:
        digest = DigestSettings.from_settings(settings)
        deadlines = deadline_store(settings, digest).current()
    except ConfigError as exc:
        log.error("deadlines unavailable: %s", exc)
        return []
    if deadlines is None:
        return []
    try:
        done = open_ledger(settings, digest).done()
    except Exception:
        log.exception("cannot read done marks; showing every occurrence")
        done = set()
    if now.tzinfo is None:
        now = now.replace(tzinfo=digest.timezone)
    items = upcoming(deadlines, digest, now, days=400, done=done, include_overdue=True)
    return [
        {
            "id": item.id,
            "title": item.deadline.title,
            "due": item.due,
            "days_left": item.days_left,
            "status": item.status,
        }
        for item in items[:limit]
    ]


def register_slack_actions(app: Any, settings: Settings) -> None:
    """Register the digest's Slack interactions (the admins' "mark done" button) on the bolt App."""
    ledger = None

    def ledger_factory():  # type: ignore[no-untyped-def]
        nonlocal ledger
        if ledger is None:
            ledger = open_ledger(settings, DigestSettings.from_settings(settings))
        return ledger

    from bot.slack.listeners.common import queued  # here: bot.slack imports this module

    # Acked at once, run from the work queue like every other button; marking done twice is one mark.
    app.action(ACTION_PATTERN)(queued(make_mark_done_handler(ledger_factory, settings.bot_admins)))

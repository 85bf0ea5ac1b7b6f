"""Hooks the Slack app calls into the digest feature (stubs until the digest feature lands)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config import Settings


def start_scheduler(settings: Settings, client: Any) -> Any | None:
    """Start the digest scheduler inside `serve`; returns the scheduler (or None when disabled)."""
    return None


def upcoming_deadlines(settings: Settings, now: datetime, limit: int = 5) -> list[dict[str, Any]]:
    """Upcoming deadline items for the App Home tab: dicts with id, title, due (date), days_left, status."""
    return []


def register_slack_actions(app: Any, settings: Settings) -> None:
    """Register the digest's Slack interactions (the admins' "mark done" button) on the bolt App."""
    return None

"""GET /healthz's common part: the knowledge base, the database, the work queue and the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.chat.core import ChatCore, first_line


def core_health(core: ChatCore) -> tuple[bool, dict[str, Any]]:
    """Not ok when the database is down (events are then answered 5xx so that platforms redeliver)."""
    answerer = core.store.answerer()
    work = core.work
    report: dict[str, Any] = {
        "entries": len(answerer.kb.entries),
        "kb_errors": len(core.store.errors),
        "queue": {"depth": work.depth, "limit": work.limit, "full": work.full()},
    }
    try:
        with core.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        report["database"] = "ok"
        outbox = core.db.outbox_report()
        report["outbox"] = {
            "pending": outbox.pending,
            "received": outbox.received,
            "oldest_pending_seconds": outbox.oldest_pending_seconds,
            "failed_last_day": outbox.failed_last_day,
        }
    except SQLAlchemyError as exc:
        report["database"] = "unavailable: " + first_line(exc)
        return False, report
    return True, report

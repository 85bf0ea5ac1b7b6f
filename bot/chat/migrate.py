"""Bring a database created before other platforms existed up to date, in place and idempotently.

Additive only: a `platform` column (default 'slack', so every old row stays Slack's) on each
conversation table, the question last answered in each thread and its entry (`slack_threads`), and, on
Postgres, id columns widened from 32 to 64 characters (Feishu's ids are 35). SQLite does not enforce
VARCHAR lengths, so only the columns are added there. Two instances upgrading at once: the loser's
"duplicate column" is retried by `ensure_tables`, which then finds nothing left to do.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, inspect, text

log = logging.getLogger(__name__)

TABLES = ("slack_claims", "slack_threads", "slack_questions", "slack_feedback", "slack_outbox")
WIDE = 64
_ID_COLUMNS = {
    "slack_threads": ("channel", "thread_ts"),
    "slack_questions": ("channel", "user"),
    "slack_feedback": ("channel", "message_ts", "user"),
    "slack_outbox": ("sent_channel", "sent_ts"),
}


def upgrade(engine: Engine) -> list[str]:
    """Apply what is missing; returns the statements run (empty for an up-to-date database)."""
    inspector = inspect(engine)
    present = set(inspector.get_table_names())
    statements: list[str] = []
    for table in TABLES:
        if table not in present:
            continue
        columns = {column["name"]: column for column in inspector.get_columns(table)}
        if "platform" not in columns:
            statements.append(f"ALTER TABLE {table} ADD COLUMN platform VARCHAR(16) NOT NULL DEFAULT 'slack'")
        if table == "slack_threads":
            for name, length in (("last_question", 300), ("last_entry_id", 128)):
                if name not in columns:
                    statements.append(f"ALTER TABLE {table} ADD COLUMN {name} VARCHAR({length})")
        if engine.dialect.name == "postgresql":
            for name in _ID_COLUMNS.get(table, ()):
                length = getattr(columns.get(name, {}).get("type"), "length", None)
                if length is not None and length < WIDE:
                    statements.append(f'ALTER TABLE {table} ALTER COLUMN "{name}" TYPE VARCHAR({WIDE})')
    if statements:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        log.info("database upgraded for several platforms: %d change(s)", len(statements))
    return statements

"""The database: one SQLAlchemy engine and one metadata that every store adds its tables to."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by the Slack stores and the digest ledger."""


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so two processes can share one file."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_db(engine: Engine) -> None:
    """Create missing tables; importing the store modules registers their tables on `Base`."""
    Base.metadata.create_all(engine)


def describe_database(url: str) -> str:
    """The database as an operator should read it: password hidden, a relative SQLite file made absolute."""
    from pathlib import Path

    from sqlalchemy import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return "<unparseable DATABASE_URL>"
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        return f"sqlite:///{Path(parsed.database).resolve()}"
    return parsed.render_as_string(hide_password=True)


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL whose file does not exist (a read-only command should not create it)."""
    from pathlib import Path

    from sqlalchemy import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return False
    return (
        parsed.drivername.startswith("sqlite")
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(parsed.database).exists()
    )

"""The database: one SQLAlchemy engine and one metadata that every store adds its tables to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_local = threading.local()


@contextmanager
def urgent() -> Iterator[None]:
    """Writes in this block go first on SQLite (see `_WriterLock`): for the one write an ack waits on."""
    _local.urgent = True
    try:
        yield
    finally:
        _local.urgent = False


class _WriterLock:
    """One writer at a time; a waiting urgent writer (an ack) goes before the others (the workers)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._urgent_waiting = 0

    def acquire(self) -> None:
        is_urgent = getattr(_local, "urgent", False)
        with self._cond:
            if is_urgent:
                self._urgent_waiting += 1
            try:
                while self._held or (not is_urgent and self._urgent_waiting):
                    self._cond.wait()
                self._held = True
            finally:
                if is_urgent:
                    self._urgent_waiting -= 1

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


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
            # WAL + NORMAL: a commit survives the process dying (what a restart needs); only a power cut
            # can lose the last commits. Each commit no longer waits for the disk, which keeps acks fast.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        _one_writer_at_a_time(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _one_writer_at_a_time(engine: Engine) -> None:
    """SQLite lets one transaction write at a time; a second writer waits in SQLite's busy handler, which
    sleeps in growing steps (up to 100 ms) between tries. Threads of one process queue on a lock instead,
    handed over the moment the writer commits: under load this keeps a write (and so an ack) at
    milliseconds, and the write an ack waits on (`urgent()`) goes first. Other processes still meet
    SQLite's own lock and busy timeout."""
    lock = _WriterLock()

    @event.listens_for(engine, "before_cursor_execute")
    def _take(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not conn.info.get("sqlite_write_lock") and statement.lstrip()[:7].upper().startswith(_WRITES):
            lock.acquire()
            conn.info["sqlite_write_lock"] = True

    def _release(conn) -> None:  # type: ignore[no-untyped-def]
        if conn.info.pop("sqlite_write_lock", False):
            lock.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


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

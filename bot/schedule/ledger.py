"""The sent-ledger: each reminder (deadline, occurrence, offset, channel) is posted once.

A sender claims a key before posting (an INSERT that only one process can win) and marks it sent
after Slack accepted the message. A failed post releases the claim so a later run retries it; a
sender that died between claim and mark leaves a claim that a later run takes over once its lease
has expired. This is the only coordination between processes: no shared APScheduler job store.

The same table works on SQLite (the default; WAL + busy timeout from `bot.db.make_engine`) and on
Postgres. Done marks ("mark done" in Slack) live in a second table and stop later reminders.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, Float, Integer, String, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base
from bot.schedule.digest import LedgerKey

log = logging.getLogger(__name__)

CLAIMED = "claimed"
SENT = "sent"
_LOCK_RETRIES = 5


class SentReminder(Base):
    __tablename__ = "digest_sent_ledger"

    deadline_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD
    offset_days: Mapped[int] = mapped_column(Integer, primary_key=True)  # days before due; < 0 after
    channel: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # claimed | sent
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    message_ts: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DoneOccurrence(Base):
    __tablename__ = "digest_done"

    deadline_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    done_by: Mapped[str] = mapped_column(String(64))
    done_at: Mapped[float] = mapped_column(Float)


@dataclass(frozen=True)
class Claim:
    key: LedgerKey
    taken_over_from: float | None = None  # claimed_at of a dead sender's claim we took over


def _match(key: LedgerKey):  # type: ignore[no-untyped-def]
    return (
        (SentReminder.deadline_id == key.deadline_id)
        & (SentReminder.occurrence == key.occurrence.isoformat())
        & (SentReminder.offset_days == key.offset)
        & (SentReminder.channel == key.channel)
    )


def _insert_ignoring_conflicts(engine: Engine):  # type: ignore[no-untyped-def]
    """`INSERT ... ON CONFLICT DO NOTHING` for the dialects we ship; rowcount says who won
    (SQLAlchemy only keeps an INSERT's rowcount when asked to: `preserve_rowcount`)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return lambda table: pg_insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    if engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return lambda table: sqlite_insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    return None


class Ledger:
    def __init__(self, engine: Engine, lease_seconds: float = 600, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.lease_seconds = lease_seconds
        self.clock = clock
        self._insert = _insert_ignoring_conflicts(engine)

    # ----------------------------------------------------------------- setup

    def ensure_tables(self) -> None:
        """Create the ledger tables if missing (two processes starting together may race: retry)."""
        tables = [SentReminder.__table__, DoneOccurrence.__table__]
        for attempt in range(_LOCK_RETRIES):
            try:
                Base.metadata.create_all(self.engine, tables=tables)
                return
            except (IntegrityError, OperationalError, ProgrammingError):
                if attempt == _LOCK_RETRIES - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def _retrying(self, operation: Callable[[], object]) -> object:
        """SQLite reports a busy writer as OperationalError after its timeout: try a few times."""
        for attempt in range(_LOCK_RETRIES):
            try:
                return operation()
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == _LOCK_RETRIES - 1:
                    raise
                log.warning("database busy, retrying (%s)", exc.orig)
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    # ----------------------------------------------------------------- sending

    def claim(self, keys: Sequence[LedgerKey], token: str) -> list[Claim]:
        """Claim every key nobody else holds, in one transaction; returns what this sender won."""

        def run() -> list[Claim]:
            won: list[Claim] = []
            now = self.clock()
            with self.engine.begin() as conn:
                for key in keys:
                    values = {
                        "deadline_id": key.deadline_id,
                        "occurrence": key.occurrence.isoformat(),
                        "offset_days": key.offset,
                        "channel": key.channel,
                        "status": CLAIMED,
                        "claimed_by": token,
                        "claimed_at": now,
                        "attempts": 1,
                    }
                    if self._insert is not None:
                        inserted = conn.execute(self._insert(SentReminder.__table__).values(**values)).rowcount
                    else:  # another dialect: a savepoint turns the duplicate into a lost race
                        try:
                            with conn.begin_nested():
                                conn.execute(insert(SentReminder.__table__).values(**values))
                            inserted = 1
                        except IntegrityError:
                            inserted = 0
                    if inserted == 1:
                        won.append(Claim(key))
                        continue
                    previous = conn.execute(
                        select(SentReminder.claimed_at).where(_match(key) & (SentReminder.status == CLAIMED))
                    ).scalar_one_or_none()
                    if previous is None or previous > now - self.lease_seconds:
                        continue  # sent already, or another sender is at work
                    taken = conn.execute(
                        update(SentReminder)
                        .where(
                            _match(key)
                            & (SentReminder.status == CLAIMED)
                            & (SentReminder.claimed_at <= now - self.lease_seconds)
                        )
                        .values(claimed_by=token, claimed_at=now, attempts=SentReminder.attempts + 1)
                    ).rowcount
                    if taken == 1:
                        log.warning("taking over a stale claim for %s (claimed at %.0f)", key, previous)
                        won.append(Claim(key, taken_over_from=previous))
            return won

        return self._retrying(run)  # type: ignore[return-value]

    def mark_sent(self, keys: Iterable[LedgerKey], token: str, message_ts: str | None) -> None:
        """Record that Slack accepted the message carrying these keys."""
        keys = list(keys)

        def run() -> None:
            now = self.clock()
            with self.engine.begin() as conn:
                for key in keys:
                    conn.execute(
                        update(SentReminder)
                        .where(_match(key))
                        .values(status=SENT, sent_at=now, message_ts=message_ts, claimed_by=token)
                    )

        self._retrying(run)

    def release(self, keys: Iterable[LedgerKey], token: str) -> None:
        """Give back claims after a failed post, so a later run sends them (nothing is lost)."""
        keys = list(keys)

        def run() -> None:
            with self.engine.begin() as conn:
                for key in keys:
                    conn.execute(
                        delete(SentReminder).where(
                            _match(key) & (SentReminder.status == CLAIMED) & (SentReminder.claimed_by == token)
                        )
                    )

        self._retrying(run)

    def status(self, key: LedgerKey) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(SentReminder.status).where(_match(key))).scalar_one_or_none()

    def rows(self) -> list[dict[str, object]]:
        """Every ledger row, for tests and troubleshooting."""
        with self.engine.connect() as conn:
            result = conn.execute(select(SentReminder.__table__))
            return [dict(row._mapping) for row in result]

    # ----------------------------------------------------------------- done marks

    def mark_done(self, deadline_id: str, occurrence: date, user: str) -> bool:
        """Stop reminders for one occurrence; False if it was already marked done."""

        def run() -> bool:
            values = {
                "deadline_id": deadline_id,
                "occurrence": occurrence.isoformat(),
                "done_by": user,
                "done_at": self.clock(),
            }
            with self.engine.begin() as conn:
                if self._insert is not None:
                    return conn.execute(self._insert(DoneOccurrence.__table__).values(**values)).rowcount == 1
                try:
                    with conn.begin_nested():
                        conn.execute(insert(DoneOccurrence.__table__).values(**values))
                except IntegrityError:
                    return False
                return True

        return bool(self._retrying(run))

    def done(self) -> set[tuple[str, date]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(DoneOccurrence.deadline_id, DoneOccurrence.occurrence)).all()
        return {(deadline_id, date.fromisoformat(occurrence)) for deadline_id, occurrence in rows}

    def done_by(self, deadline_id: str, occurrence: date) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(DoneOccurrence.done_by).where(
                    (DoneOccurrence.deadline_id == deadline_id) & (DoneOccurrence.occurrence == occurrence.isoformat())
                )
            ).scalar_one_or_none()

"""What the Slack app remembers, in the shared database (SQLite by default, Postgres via DATABASE_URL):

- `slack_claims`: one row per event id / message handled, so a retried or duplicated event is answered
  once, across restarts and across instances (the primary key decides who answers);
- `slack_threads`: the threads the bot has answered in (thread follow-ups);
- `slack_questions`: one row per question (outcome, entry); the text only for unanswered ones;
- `slack_feedback`: 👍/👎 per message and user (a second click changes the vote).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, init_db
from bot.text.normalize import normalise_query


def ensure_tables(engine: Engine, attempts: int = 5) -> None:
    """Create missing tables (every store's, via `init_db`). Two instances starting at once can race on
    CREATE TABLE; the loser sees "already exists" and simply checks again."""
    for attempt in range(attempts):
        try:
            init_db(engine)
            return
        except SQLAlchemyError as exc:
            # another process creating the same tables: SQLite / Postgres wordings
            racing = any(words in str(exc) for words in ("already exists", "duplicate key", "database is locked"))
            if not racing or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Claim(Base):
    __tablename__ = "slack_claims"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class BotThread(Base):
    __tablename__ = "slack_threads"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionLog(Base):
    __tablename__ = "slack_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    surface: Mapped[str] = mapped_column(String(16))  # mention, dm, thread, command, home, suggestion
    channel: Mapped[str | None] = mapped_column(String(32))
    user: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(128))
    score: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(Text)  # kept only for unanswered questions
    norm: Mapped[str | None] = mapped_column(String(500), index=True)  # grouping key for curators


class Feedback(Base):
    __tablename__ = "slack_feedback"
    __table_args__ = (UniqueConstraint("channel", "message_ts", "user", name="uq_slack_feedback_vote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[str | None] = mapped_column(String(128), index=True)
    vote: Mapped[int] = mapped_column(Integer)  # +1 or -1
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class UnansweredGroup:
    text: str  # the most recent wording
    count: int
    first_asked: datetime
    last_asked: datetime
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    outcomes: dict[str, int]
    helpful: int
    not_helpful: int
    top_unanswered: list[UnansweredGroup]
    most_downvoted: list[tuple[str, int]]

    @property
    def answered(self) -> int:
        return self.outcomes.get("answered", 0)

    @property
    def refused(self) -> int:
        return self.outcomes.get("refused", 0)


class SlackStore:
    """The Slack app's tables; every method is one short transaction, safe to call from many threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ exactly once

    def claim(self, keys: Iterable[str], now: datetime | None = None) -> bool:
        """Claim every key at once; False if any was already claimed (here or by another instance).

        The primary key makes this atomic on SQLite and Postgres alike: of two concurrent claims of the
        same key exactly one commits."""
        keys = [key[:255] for key in dict.fromkeys(keys)]
        if not keys:
            return True
        at = now or utcnow()
        try:
            with Session(self.engine) as session, session.begin():
                session.add_all(Claim(key=key, claimed_at=at) for key in keys)
        except IntegrityError:
            return False
        return True

    def prune_claims(self, older_than: timedelta = timedelta(days=7), now: datetime | None = None) -> int:
        """Forget claims older than Slack could ever retry (it gives up after about five minutes)."""
        cutoff = (now or utcnow()) - older_than
        with Session(self.engine) as session, session.begin():
            result = session.execute(delete(Claim).where(Claim.claimed_at < cutoff))
        return result.rowcount or 0

    # ------------------------------------------------------------------ threads

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        try:
            with Session(self.engine) as session, session.begin():
                session.add(BotThread(channel=channel, thread_ts=thread_ts, created_at=utcnow()))
        except IntegrityError:
            pass  # already known

    def forget_thread(self, channel: str, thread_ts: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(BotThread).where(BotThread.channel == channel, BotThread.thread_ts == thread_ts))

    def in_thread(self, channel: str, thread_ts: str) -> bool:
        with Session(self.engine) as session:
            found = session.get(BotThread, (channel, thread_ts))
        return found is not None

    # ------------------------------------------------------------------ questions

    def log_question(
        self,
        *,
        surface: str,
        outcome: str,
        channel: str | None,
        user: str | None,
        entry_id: str | None = None,
        score: float | None = None,
        text: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Log one question; pass `text` only for unanswered ones (what curators need, no more)."""
        norm = None
        if text is not None:
            text = text.strip()[:2000]
            norm = (normalise_query(text).text.replace(" ", "") or text)[:500]
        with Session(self.engine) as session, session.begin():
            session.add(
                QuestionLog(
                    asked_at=at or utcnow(),
                    surface=surface,
                    channel=channel,
                    user=user,
                    outcome=outcome,
                    entry_id=entry_id,
                    score=score,
                    text=text,
                    norm=norm,
                )
            )

    def unanswered(self, limit: int = 20, since: datetime | None = None) -> list[UnansweredGroup]:
        """Unanswered questions grouped by their normalised wording, most frequent first."""
        where = [QuestionLog.outcome == "refused", QuestionLog.norm.is_not(None)]
        if since is not None:
            where.append(QuestionLog.asked_at >= since)
        with Session(self.engine) as session:
            groups = session.execute(
                select(
                    QuestionLog.norm,
                    func.count(),
                    func.min(QuestionLog.asked_at),
                    func.max(QuestionLog.asked_at),
                    func.max(QuestionLog.id),
                )
                .where(*where)
                .group_by(QuestionLog.norm)
                .order_by(func.count().desc(), func.max(QuestionLog.asked_at).desc())
                .limit(limit)
            ).all()
            result = []
            for norm, count, first, last, last_id in groups:
                latest = session.get(QuestionLog, last_id)
                channels = session.scalars(
                    select(QuestionLog.channel)
                    .where(*where, QuestionLog.norm == norm, QuestionLog.channel.is_not(None))
                    .distinct()
                ).all()
                result.append(
                    UnansweredGroup(
                        text=latest.text if latest and latest.text else norm,
                        count=count,
                        first_asked=_aware(first),
                        last_asked=_aware(last),
                        channels=tuple(sorted(channels)),
                    )
                )
        return result

    # ------------------------------------------------------------------ feedback

    def record_feedback(self, *, channel: str, message_ts: str, user: str, entry_id: str | None, vote: int) -> None:
        """One vote per user and message; clicking the other button changes it."""
        now = utcnow()
        vote = 1 if vote > 0 else -1
        for _ in range(2):  # a concurrent first vote can win the insert; then update it
            with Session(self.engine) as session, session.begin():
                changed = session.execute(
                    update(Feedback)
                    .where(Feedback.channel == channel, Feedback.message_ts == message_ts, Feedback.user == user)
                    .values(vote=vote, entry_id=entry_id, updated_at=now)
                ).rowcount
            if changed:
                return
            try:
                with Session(self.engine) as session, session.begin():
                    session.add(
                        Feedback(
                            channel=channel,
                            message_ts=message_ts,
                            user=user,
                            entry_id=entry_id,
                            vote=vote,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                return
            except IntegrityError:
                continue

    # ------------------------------------------------------------------ stats

    def stats(self, top: int = 5) -> Stats:
        with Session(self.engine) as session:
            outcomes = dict(
                session.execute(select(QuestionLog.outcome, func.count()).group_by(QuestionLog.outcome)).all()
            )
            votes = dict(session.execute(select(Feedback.vote, func.count()).group_by(Feedback.vote)).all())
            downvoted = session.execute(
                select(Feedback.entry_id, func.count())
                .where(Feedback.vote < 0, Feedback.entry_id.is_not(None))
                .group_by(Feedback.entry_id)
                .order_by(func.count().desc(), Feedback.entry_id)
                .limit(top)
            ).all()
        return Stats(
            outcomes={str(k): int(v) for k, v in outcomes.items()},
            helpful=int(votes.get(1, 0)),
            not_helpful=int(votes.get(-1, 0)),
            top_unanswered=self.unanswered(limit=top),
            most_downvoted=[(str(entry), int(n)) for entry, n in downvoted],
        )


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

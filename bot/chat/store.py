"""What the bot remembers about conversations on every platform, in the shared database (SQLite by
default, Postgres via DATABASE_URL). The tables keep the `slack_` names they were created with (a
deployment's existing database keeps working); each row carries its `platform` (default `slack`):

- `slack_claims`: one row per event id / message handled, so a retried or duplicated event is answered
  once, across restarts and across instances (the primary key decides who answers). Slack's keys are
  as they always were (`event:Ev..`, `message:C..:ts`); every other platform's keys start with the
  platform (`feishu:message:om_..`), so (platform, message id) is unique;
- `slack_threads`: the threads the bot has answered in (thread follow-ups);
- `slack_questions`: one row per question (outcome, entry); the text only for unanswered ones;
- `slack_feedback`: 👍/👎 per message and user (a second click changes the vote);
- `slack_outbox`: every reply, decided then written then delivered (see `bot/chat/outbox.py`); an
  event is written here when it arrives (`received`), before the platform gets its 200, so nothing
  acked is lost: a restart or another instance picks up what a dead process left.

Column names are Slack's words for neutral things: `channel` is the conversation (a Feishu chat id),
`thread_ts` / `message_ts` / `sent_ts` a thread root or message id. Ids are short (`C0123ABCD`,
`om_` + 32 hex); the columns bound them (64) and `bounded()` cuts anything longer before it reaches
the database, so a forged long value cannot raise `DataError`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.chat.migrate import upgrade
from bot.db import Base, init_db
from bot.text.normalize import normalise_query


def ensure_tables(engine: Engine, attempts: int = 5) -> None:
    """Create missing tables (every store's, via `init_db`). Two instances starting at once can race on
    CREATE TABLE; the loser sees "already exists" and simply checks again."""
    for attempt in range(attempts):
        try:
            init_db(engine)
            upgrade(engine)
            return
        except SQLAlchemyError as exc:
            # another process creating the same tables: SQLite / Postgres wordings
            racing = any(
                words in str(exc)
                for words in ("already exists", "duplicate key", "duplicate column", "database is locked")
            )
            if not racing or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


ID_LENGTH = 64  # conversation, user and message id columns (Slack 11-20 characters, Feishu 35)
PLATFORM_LENGTH = 16
DEFAULT_PLATFORM = "slack"
_SLACK = text("'slack'")  # rows written before other platforms existed are Slack's
KEY_LENGTH = 255
ENTRY_ID_LENGTH = 128  # as bot/kb/schema.py allows
THREAD_QUESTION_LENGTH = 300  # bot.text.normalize.MAX_QUERY_CHARS: what the matcher reads of a question


def bounded(value: str | None, limit: int = ID_LENGTH) -> str | None:
    return None if value is None else str(value)[:limit]


class Claim(Base):
    __tablename__ = "slack_claims"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM_LENGTH), default=DEFAULT_PLATFORM, server_default=_SLACK)


class BotThread(Base):
    __tablename__ = "slack_threads"

    channel: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    platform: Mapped[str] = mapped_column(String(PLATFORM_LENGTH), default=DEFAULT_PLATFORM, server_default=_SLACK)
    # the question the bot last answered in the thread (its first 300 characters, as the matcher reads
    # them) and the entry that answered it: a follow-up (那平顶山呢, 进度呢) is read after that question
    last_question: Mapped[str | None] = mapped_column(String(THREAD_QUESTION_LENGTH), nullable=True)
    last_entry_id: Mapped[str | None] = mapped_column(String(ENTRY_ID_LENGTH), nullable=True)


class QuestionLog(Base):
    __tablename__ = "slack_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    surface: Mapped[str] = mapped_column(String(16))  # mention, dm, thread, command, home, suggestion
    channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    user: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(128))
    score: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(Text)  # kept only for unanswered questions
    norm: Mapped[str | None] = mapped_column(String(500), index=True)  # grouping key for curators
    platform: Mapped[str] = mapped_column(String(PLATFORM_LENGTH), default=DEFAULT_PLATFORM, server_default=_SLACK)


class Feedback(Base):
    __tablename__ = "slack_feedback"
    __table_args__ = (UniqueConstraint("channel", "message_ts", "user", name="uq_slack_feedback_vote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(ID_LENGTH))
    message_ts: Mapped[str] = mapped_column(String(ID_LENGTH))
    user: Mapped[str] = mapped_column(String(ID_LENGTH))
    entry_id: Mapped[str | None] = mapped_column(String(128), index=True)
    vote: Mapped[int] = mapped_column(Integer)  # +1 or -1
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    platform: Mapped[str] = mapped_column(String(PLATFORM_LENGTH), default=DEFAULT_PLATFORM, server_default=_SLACK)


class OutboxItem(Base):
    """One reply: `received` (an event to answer, `request` holds it), `pending` (decided: `kind`,
    `target`, `message`), then `delivered`, `failed` (undeliverable) or `dropped` (nothing to say).
    `lease_until` is who works on it: a process takes the row for a while; when it dies the lease runs
    out and another process (or the restarted one) takes over."""

    __tablename__ = "slack_outbox"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    request: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))  # "post" (chat.postMessage) or "respond" (response_url)
    target: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)
    notice: Mapped[bool] = mapped_column(Boolean, default=False)  # a busy notice, not an answer
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(String(255))
    sent_channel: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    sent_ts: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(ENTRY_ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    platform: Mapped[str] = mapped_column(
        String(PLATFORM_LENGTH), default=DEFAULT_PLATFORM, server_default=_SLACK, index=True
    )


CHAT_TABLES = ("slack_claims", "slack_threads", "slack_questions", "slack_feedback", "slack_outbox")


@dataclass(frozen=True)
class Outgoing:
    """A decided reply, as the outbox delivers it."""

    key: str
    kind: str  # what the platform's sender does with it: Slack "post" | "respond", Feishu "reply" | "send"
    target: dict
    message: dict
    attempts: int = 0
    notice: bool = False
    entry_id: str | None = None
    platform: str = DEFAULT_PLATFORM


@dataclass(frozen=True)
class OutboxReport:
    pending: int
    received: int
    failed_last_day: int
    oldest_pending_seconds: float | None


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


class ChatStore:
    """The conversation tables of every platform; each method is one short transaction, thread-safe."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ exactly once

    def claim(self, keys: Iterable[str], now: datetime | None = None, platform: str = DEFAULT_PLATFORM) -> bool:
        """Claim every key at once; False if any was already claimed (here or by another instance).

        The primary key makes this atomic on SQLite and Postgres alike: of two concurrent claims of the
        same key exactly one commits."""
        keys = [key[:255] for key in dict.fromkeys(keys)]
        if not keys:
            return True
        at = now or utcnow()
        try:
            with Session(self.engine) as session, session.begin():
                session.add_all(Claim(key=key, claimed_at=at, platform=platform) for key in keys)
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

    def remember_thread(self, channel: str, thread_ts: str, platform: str = DEFAULT_PLATFORM) -> None:
        channel, thread_ts = bounded(channel) or "", bounded(thread_ts) or ""
        try:
            with Session(self.engine) as session, session.begin():
                session.add(BotThread(channel=channel, thread_ts=thread_ts, created_at=utcnow(), platform=platform))
        except IntegrityError:
            pass  # already known

    def note_thread_answer(self, channel: str, thread_ts: str, question: str, entry_id: str) -> None:
        """Remember the question last answered in a thread the bot is in, and its entry (nothing for any
        other thread)."""
        channel, thread_ts = bounded(channel) or "", bounded(thread_ts) or ""
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(BotThread)
                .where(BotThread.channel == channel, BotThread.thread_ts == thread_ts)
                .values(
                    # a lone surrogate or a NUL would make the database refuse the row (and the context)
                    last_question=_storable(question)[:THREAD_QUESTION_LENGTH],
                    last_entry_id=entry_id[:ENTRY_ID_LENGTH],
                )
            )

    def thread_answer(self, channel: str, thread_ts: str) -> tuple[str, str] | None:
        """The question last answered in the thread and its entry, if any."""
        if len(channel) > ID_LENGTH or len(thread_ts) > ID_LENGTH:
            return None
        with Session(self.engine) as session:
            found = session.get(BotThread, (channel, thread_ts))
        if found is None or found.last_question is None or found.last_entry_id is None:
            return None
        return found.last_question, found.last_entry_id

    def forget_thread(self, channel: str, thread_ts: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(BotThread).where(BotThread.channel == channel, BotThread.thread_ts == thread_ts))

    def in_thread(self, channel: str, thread_ts: str) -> bool:
        if len(channel) > ID_LENGTH or len(thread_ts) > ID_LENGTH:
            return False
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
        platform: str = DEFAULT_PLATFORM,
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
                    surface=surface[:16],
                    channel=bounded(channel),
                    user=bounded(user),
                    outcome=outcome[:16],
                    entry_id=bounded(entry_id, ENTRY_ID_LENGTH),
                    score=score,
                    text=text,
                    norm=norm,
                    platform=platform,
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

    def record_feedback(
        self,
        *,
        channel: str,
        message_ts: str,
        user: str,
        entry_id: str | None,
        vote: int,
        clicked_at: datetime | None = None,
        platform: str = DEFAULT_PLATFORM,
    ) -> None:
        """One vote per user and message; clicking the other button changes it. `clicked_at` (when Slack
        says the click happened): clicks handled out of order never let an older one win."""
        now = clicked_at or utcnow()
        vote = 1 if vote > 0 else -1
        channel, message_ts, user = bounded(channel) or "", bounded(message_ts) or "", bounded(user) or ""
        entry_id = bounded(entry_id, ENTRY_ID_LENGTH)
        for _ in range(2):  # a concurrent first vote can win the insert; then update it
            with Session(self.engine) as session, session.begin():
                changed = session.execute(
                    update(Feedback)
                    .where(
                        Feedback.channel == channel,
                        Feedback.message_ts == message_ts,
                        Feedback.user == user,
                        Feedback.updated_at <= now,
                    )
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
                            platform=platform,
                        )
                    )
                return
            except IntegrityError:
                continue

    # ------------------------------------------------------------------ outbox

    def receive(
        self, keys: Iterable[str], key: str, request: dict, lease: float, platform: str = DEFAULT_PLATFORM
    ) -> bool:
        """Claim `keys` and store the event to answer under `key`, in one transaction; False if any key
        was already claimed (a retry or a duplicate delivery of something already received)."""
        now = utcnow()
        keys = [k[:KEY_LENGTH] for k in dict.fromkeys([key, *keys])]
        try:
            with Session(self.engine) as session, session.begin():
                session.add_all(Claim(key=k, claimed_at=now, platform=platform) for k in keys)
                session.add(
                    OutboxItem(
                        key=key[:KEY_LENGTH],
                        status="received",
                        request=json.dumps(request, ensure_ascii=False),
                        attempts=0,
                        next_attempt_at=now,
                        lease_until=now + timedelta(seconds=lease),
                        created_at=now,
                        updated_at=now,
                        platform=platform,
                    )
                )
        except IntegrityError:
            return False
        return True

    def decide(self, reply: Outgoing | None, key: str, lease: float | None) -> bool:
        """Turn a received event into a pending reply (or `dropped` when `reply` is None); False if it was
        already decided (by another process that took it over)."""
        now = utcnow()
        values: dict = {"status": "dropped", "request": None, "updated_at": now, "lease_until": None}
        if reply is not None:
            values = {**self._reply_values(reply), "request": None}
            if lease is not None:  # this process delivers it now (its first attempt); else the deliverer does
                values.update(lease_until=now + timedelta(seconds=lease), attempts=1)
        with Session(self.engine) as session, session.begin():
            changed = session.execute(
                update(OutboxItem)
                .where(OutboxItem.key == key[:KEY_LENGTH], OutboxItem.status == "received")
                .values(**values)
            ).rowcount
        return changed == 1

    def add_replies(self, replies: list[Outgoing], lease: float | None) -> bool:
        """Write decided replies (a button's answer, a busy notice); False if the first key exists (the
        same click again): nothing is written then. `lease=None`: for the deliverer to send."""
        now = utcnow()
        try:
            with Session(self.engine) as session, session.begin():
                for reply in replies:
                    values = self._reply_values(reply)
                    attempts = 0
                    if lease is not None:  # this process delivers it now (its first attempt)
                        values["lease_until"] = now + timedelta(seconds=lease)
                        attempts = 1
                    session.add(OutboxItem(key=reply.key[:KEY_LENGTH], attempts=attempts, created_at=now, **values))
        except IntegrityError:
            return False
        return True

    @staticmethod
    def _reply_values(reply: Outgoing) -> dict:
        now = utcnow()
        return {
            "status": "pending",
            "kind": reply.kind,
            "target": json.dumps(reply.target, ensure_ascii=False),
            "message": json.dumps(reply.message, ensure_ascii=False),
            "notice": reply.notice,
            "entry_id": bounded(reply.entry_id, ENTRY_ID_LENGTH),
            "next_attempt_at": now,
            "lease_until": None,
            "updated_at": now,
            "platform": reply.platform,
        }

    def take(self, key: str, lease: float) -> Outgoing | None:
        """Take a due pending reply for `lease` seconds (one process at a time); None if someone has it."""
        now = utcnow()
        with Session(self.engine) as session, session.begin():
            changed = session.execute(
                update(OutboxItem)
                .where(
                    OutboxItem.key == key,
                    OutboxItem.status == "pending",
                    or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until < now),
                )
                .values(lease_until=now + timedelta(seconds=lease), attempts=OutboxItem.attempts + 1)
            ).rowcount
            if changed != 1:
                return None
            row = session.get(OutboxItem, key)
            assert row is not None
            return Outgoing(
                row.key,
                row.kind or "post",
                json.loads(row.target or "{}"),
                json.loads(row.message or "{}"),
                row.attempts,
                bool(row.notice),
                row.entry_id,
                row.platform or DEFAULT_PLATFORM,
            )

    def due(self, limit: int = 20, now: datetime | None = None, platforms: Iterable[str] | None = None) -> list[str]:
        """Keys of pending replies whose next attempt is due and that nobody holds (of `platforms`: the
        ones this process can send to)."""
        now = now or utcnow()
        only = [] if platforms is None else [OutboxItem.platform.in_(list(platforms))]
        with Session(self.engine) as session:
            return list(
                session.scalars(
                    select(OutboxItem.key)
                    .where(
                        OutboxItem.status == "pending",
                        OutboxItem.next_attempt_at <= now,
                        or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until < now),
                        *only,
                    )
                    .order_by(OutboxItem.next_attempt_at)
                    .limit(limit)
                )
            )

    def orphans(self, lease: float, limit: int = 20, platforms: Iterable[str] | None = None) -> list[tuple[str, dict]]:
        """Received events whose process stopped before deciding (lease run out): taken for `lease` s.
        Each comes back with its platform (Slack's rows, stored before there were others, lack it)."""
        now = utcnow()
        only = [] if platforms is None else [OutboxItem.platform.in_(list(platforms))]
        taken = []
        with Session(self.engine) as session:
            keys = list(
                session.scalars(
                    select(OutboxItem.key)
                    .where(OutboxItem.status == "received", OutboxItem.lease_until < now, *only)
                    .order_by(OutboxItem.created_at)
                    .limit(limit)
                )
            )
        for key in keys:
            with Session(self.engine) as session, session.begin():
                changed = session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.key == key, OutboxItem.status == "received", OutboxItem.lease_until < now)
                    .values(lease_until=now + timedelta(seconds=lease))
                ).rowcount
                row = session.get(OutboxItem, key) if changed == 1 else None
                if row is not None and row.request:
                    taken.append((key, {"platform": row.platform or DEFAULT_PLATFORM, **json.loads(row.request)}))
        return taken

    def delivered(self, key: str, channel: str | None = None, ts: str | None = None) -> None:
        self._finish(key, "delivered", None, sent_channel=bounded(channel), sent_ts=bounded(ts))

    def failed(self, key: str, error: str) -> None:
        self._finish(key, "failed", error)

    def retry_later(self, key: str, at: datetime, error: str) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.key == key)
                .values(next_attempt_at=at, lease_until=None, error=error[:255], updated_at=utcnow())
            )

    def _finish(self, key: str, status: str, error: str | None, **values: str | None) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.key == key)
                .values(
                    status=status,
                    lease_until=None,
                    error=(error or None) and error[:255],
                    updated_at=utcnow(),
                    **values,
                )
            )

    def sent_answer(self, message_id: str) -> tuple[str | None] | None:
        """(entry id,) of the answer the bot sent as `message_id` (platforms whose ids are unique alone)."""
        if len(message_id) > ID_LENGTH:
            return None
        with Session(self.engine) as session:
            row = session.execute(
                select(OutboxItem.entry_id).where(OutboxItem.sent_ts == message_id, OutboxItem.status == "delivered")
            ).first()
        return None if row is None else (row[0],)

    def sent_message(self, channel: str, ts: str) -> tuple[str | None] | None:
        """(entry id,) of the answer the bot posted as (channel, ts); None if it posted no such message."""
        if len(channel) > ID_LENGTH or len(ts) > ID_LENGTH:
            return None
        with Session(self.engine) as session:
            row = session.execute(
                select(OutboxItem.entry_id).where(
                    OutboxItem.sent_ts == ts, OutboxItem.sent_channel == channel, OutboxItem.status == "delivered"
                )
            ).first()
        return None if row is None else (row[0],)

    def outbox_report(self) -> OutboxReport:
        now = utcnow()
        with Session(self.engine) as session:
            counts = dict(
                session.execute(
                    select(OutboxItem.status, func.count())
                    .where(OutboxItem.status.in_(["pending", "received"]))
                    .group_by(OutboxItem.status)
                ).all()
            )
            failed = session.scalar(
                select(func.count()).where(
                    OutboxItem.status == "failed", OutboxItem.updated_at >= now - timedelta(days=1)
                )
            )
            oldest = session.scalar(select(func.min(OutboxItem.created_at)).where(OutboxItem.status == "pending"))
        return OutboxReport(
            pending=int(counts.get("pending", 0)),
            received=int(counts.get("received", 0)),
            failed_last_day=int(failed or 0),
            oldest_pending_seconds=None if oldest is None else round((now - _aware(oldest)).total_seconds(), 1),
        )

    def prune_outbox(self, older_than: timedelta = timedelta(days=7)) -> int:
        cutoff = utcnow() - older_than
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                delete(OutboxItem).where(
                    OutboxItem.status.in_(["delivered", "failed", "dropped"]), OutboxItem.updated_at < cutoff
                )
            )
        return result.rowcount or 0

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


def _storable(text: str) -> str:
    """The text without what no database column takes: NUL, and lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")

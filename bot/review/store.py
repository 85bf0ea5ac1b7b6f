"""The review queue's table, platform-neutral: any door (Slack, another chat platform, the CLI) logs here.

review_items   one row per refusal, not-stated reply or 👎 vote: platform, surface, channel, user,
               kind, the question's text and its grouping key, the entry involved, and the curator's
               status (open, done, ignored) with what was done about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import DateTime, Engine, Integer, String, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, init_db
from bot.text.normalize import normalise_query

KINDS = ("refused", "not_stated", "downvote")
STATUSES = ("open", "done", "ignored")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def grouping_key(text: str) -> str:
    """Normalised wording without spaces: 火星补贴？ and 火星 补贴 are the same question."""
    return (normalise_query(text).text.replace(" ", "") or text.strip())[:500]


class ReviewItem(Base):
    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    platform: Mapped[str] = mapped_column(String(16))  # slack, cli, ...
    surface: Mapped[str | None] = mapped_column(String(16))  # mention, dm, chat, ask, ...
    channel: Mapped[str | None] = mapped_column(String(64))
    user: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), index=True)  # refused, not_stated, downvote
    text: Mapped[str | None] = mapped_column(Text)
    norm: Mapped[str | None] = mapped_column(String(500), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(128))  # the related / voted entry
    source_key: Mapped[str | None] = mapped_column(String(255), unique=True)  # de-duplicates imports
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Item:
    id: int
    created_at: datetime
    platform: str
    surface: str | None
    channel: str | None
    kind: str
    text: str | None
    norm: str | None
    entry_id: str | None
    status: str
    resolution: str | None

    @classmethod
    def of(cls, row: ReviewItem) -> Item:
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
        return cls(
            row.id, created, row.platform, row.surface, row.channel, row.kind, row.text, row.norm,
            row.entry_id, row.status, row.resolution,
        )  # fmt: skip


class ReviewStore:
    """Short transactions, safe from many threads and processes (SQLite or Postgres)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure_tables(self) -> None:
        init_db(self.engine)

    def log(
        self,
        kind: str,
        *,
        text: str | None,
        platform: str,
        surface: str | None = None,
        channel: str | None = None,
        user: str | None = None,
        entry_id: str | None = None,
        source_key: str | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Add one item; False when `source_key` was logged before (an import seen twice)."""
        if kind not in KINDS:
            raise ValueError(f"unknown review kind {kind!r}")
        clean = text.strip()[:2000] if text else None
        row = ReviewItem(
            created_at=at or utcnow(),
            platform=platform[:16],
            surface=surface,
            channel=channel,
            user=user,
            kind=kind,
            text=clean,
            norm=grouping_key(clean) if clean else None,
            entry_id=entry_id,
            source_key=source_key,
            status="open",
        )
        try:
            with Session(self.engine) as session, session.begin():
                session.add(row)
        except IntegrityError:
            return False
        return True

    def items(self, statuses: Iterable[str] = ("open",)) -> list[Item]:
        with Session(self.engine) as session:
            rows = session.scalars(
                select(ReviewItem).where(ReviewItem.status.in_(list(statuses))).order_by(ReviewItem.id)
            ).all()
            return [Item.of(row) for row in rows]

    def mark(self, ids: Iterable[int], status: str, resolution: str | None = None) -> int:
        """Set the curator's status of items; returns how many changed."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        ids = list(ids)
        if not ids:
            return 0
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(ReviewItem)
                .where(ReviewItem.id.in_(ids))
                .values(status=status, resolution=resolution, resolved_at=None if status == "open" else utcnow())
            )
        return result.rowcount or 0

"""Group the open review items for curators: similar questions together, 👎 votes per entry.

group_items(items)               -> [Group], most asked first; a group is named by its first item's id
nearest_entries(answerer, text)  -> [(id, question)] the entries the matcher found closest
import_slack_votes(engine, store) 👎 votes from the Slack app's own table, once each
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import Engine, MetaData, Table, inspect, select

from bot.engine import Answerer
from bot.review.store import Item, ReviewStore

SIMILAR = 70.0  # rapidfuzz ratio of normalised wordings at or above which two questions are one group
SIMILAR_SAME_ENTRY = 45.0  # lower when the matcher related both to the same entry


@dataclass
class Group:
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> int:
        """The number a curator types: the group's first item id (stable while the group is open)."""
        return min(item.id for item in self.items)

    @property
    def is_vote(self) -> bool:
        return all(item.kind == "downvote" for item in self.items)

    @property
    def texts(self) -> list[str]:
        """Distinct wordings, most frequent first (then most recent)."""
        counts = Counter(item.text for item in self.items if item.text)
        latest = {item.text: item.id for item in self.items if item.text}
        return sorted(counts, key=lambda wording: (-counts[wording], -latest[wording]))

    @property
    def kinds(self) -> Counter[str]:
        return Counter(item.kind for item in self.items)

    @property
    def entry_ids(self) -> list[str]:
        return list(dict.fromkeys(item.entry_id for item in self.items if item.entry_id))

    @property
    def platforms(self) -> list[str]:
        return sorted({item.platform for item in self.items})

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.items]


def _similar(candidate: Item, group: Group) -> bool:
    for item in group.items:
        if not (candidate.norm and item.norm):
            continue
        bar = SIMILAR_SAME_ENTRY if candidate.entry_id and candidate.entry_id == item.entry_id else SIMILAR
        if fuzz.ratio(candidate.norm, item.norm) >= bar:
            return True
    return False


def group_items(items: Iterable[Item]) -> list[Group]:
    """Questions whose normalised wordings are alike form one group; 👎 votes group by entry."""
    questions: list[Group] = []
    votes: dict[str, Group] = {}
    for item in sorted(items, key=lambda item: item.id):
        if item.kind == "downvote" and not item.text:
            votes.setdefault(item.entry_id or "", Group()).items.append(item)
            continue
        home = next((group for group in questions if _similar(item, group)), None)
        if home is None:
            home = Group()
            questions.append(home)
        home.items.append(item)
    groups = questions + list(votes.values())
    groups.sort(key=lambda group: (-len(group.items), -max(group.ids)))
    return groups


def find_group(groups: list[Group], item_id: int) -> Group | None:
    return next((group for group in groups if item_id in group.ids), None)


def nearest_entries(answerer: Answerer, question: str, limit: int = 3) -> list[tuple[str, str]]:
    """The entries the matcher finds closest to a question: its pick, the related entry, suggestions."""
    answer = answerer.ask(question)
    ids: list[str] = []
    for part in answer.all_parts:
        if part.entry_id:
            ids.append(part.entry_id)
        if part.related is not None:
            ids.append(part.related.id)
        ids.extend(suggestion.id for suggestion in part.suggestions)
    result = []
    for entry_id in dict.fromkeys(ids):
        entry = answerer.kb.by_id(entry_id)
        if entry is not None:
            result.append((entry.id, entry.question))
    return result[:limit]


def import_slack_votes(engine: Engine, store: ReviewStore) -> int:
    """Copy 👎 votes from the Slack app's `slack_feedback` table into the queue (each vote once)."""
    if "slack_feedback" not in inspect(engine).get_table_names():
        return 0
    table = Table("slack_feedback", MetaData(), autoload_with=engine)  # reflected: no import of bot.slack
    columns = table.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(columns.channel, columns.message_ts, columns.user, columns.entry_id).where(columns.vote < 0)
        ).all()
    added = 0
    for channel, message_ts, user, entry_id in rows:
        added += store.log(
            "downvote",
            text=None,
            platform="slack",
            surface="feedback",
            channel=channel,
            user=user,
            entry_id=entry_id,
            source_key=f"slack:{channel}:{message_ts}:{user}",
        )
    return added

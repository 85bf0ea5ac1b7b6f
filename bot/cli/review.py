"""`python -m bot review`: the curators' queue. Similar questions grouped with counts, the nearest entries
and the 👎 feedback; a group becomes a draft FAQ entry or extra phrasings of an entry; items are marked
done or ignored. Reads DATABASE_URL (the database `serve`, `chat --log` and `ask --log` write to)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bot.cli.common import add_kb_option, fail, open_store, settings_from
from bot.config import Settings
from bot.db import describe_database, make_engine, sqlite_file_missing
from bot.engine import Answerer
from bot.kb.seeds import SeedLibrary
from bot.review.draft import candidate_quotes, entry_yaml, keywords_of
from bot.review.groups import Group, find_group, group_items, import_slack_votes, nearest_entries
from bot.review.store import ReviewStore
from bot.review.yaml_edit import EditError, add_alternatives, append_entries
from bot.text.normalize import to_simplified

DRAFTS_DIR = "drafts"
REVIEW_DRAFTS = "review.yaml"
KIND_LABELS = {"refused": "refused", "not_stated": "not stated", "downvote": "👎"}
EXAMPLES = """examples:
  python -m bot review                        the open groups, most asked first
  python -m bot review --draft 12             group #12 -> a draft entry in knowledge/drafts/review.yaml
  python -m bot review --add-to tj-relending 12   group #12's wordings -> alternatives of tj-relending
  python -m bot review --ignore 15            not worth an entry (small talk, out of scope)
  python -m bot review --done 16              handled by hand
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="the curators' queue: unanswered questions and 👎 votes, grouped; draft entries from them",
        description="Refusals, not-stated replies and 👎 votes from every platform (Slack, and chat/ask "
        "with --log), similar questions grouped, with the nearest FAQ entries and their feedback. A group "
        "is named by its first item's number (#12).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--draft", type=int, metavar="N", help="write a draft FAQ entry for group N")
    action.add_argument("--add-to", metavar="ENTRY_ID", help="add group N's wordings to this entry's alternatives")
    action.add_argument("--done", type=int, metavar="N", help="mark group N done")
    action.add_argument("--ignore", type=int, metavar="N", help="mark group N ignored")
    parser.add_argument("group", nargs="?", type=int, metavar="N", help="the group, with --add-to")
    parser.add_argument("--out", type=Path, metavar="FILE", help="with --draft: the drafts file to append to")
    parser.add_argument("--all", action="store_true", help="list done and ignored items too")
    parser.add_argument("--json", action="store_true", help="print the groups as JSON")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def open_queue(settings: Settings) -> ReviewStore | None:
    """The queue in DATABASE_URL, saying which database it is; None (nothing logged) if the file is absent."""
    where = describe_database(settings.database_url)
    if sqlite_file_missing(settings.database_url):
        print(f"database: {where} (does not exist: nothing logged yet)", file=sys.stderr)
        return None
    print(f"database: {where}", file=sys.stderr)
    store = ReviewStore(make_engine(settings.database_url))
    store.ensure_tables()
    import_slack_votes(store.engine, store)
    return store


def group_json(group: Group, answerer: Answerer) -> dict[str, Any]:
    downvotes = Counter(item.entry_id for item in group.items if item.kind == "downvote" and item.entry_id)
    texts = group.texts
    nearest = nearest_entries(answerer, texts[0]) if texts else []
    for entry_id in group.entry_ids:
        entry = answerer.kb.by_id(entry_id)
        if entry is not None and all(entry_id != known for known, _ in nearest):
            nearest.append((entry.id, entry.question))
    return {
        "group": group.key,
        "count": len(group.items),
        "kinds": dict(group.kinds),
        "platforms": group.platforms,
        "texts": texts,
        "nearest": [{"id": entry_id, "question": question, "downvotes": downvotes.get(entry_id, 0)}
                    for entry_id, question in nearest],
        "items": group.ids,
        "status": sorted({item.status for item in group.items}),
    }  # fmt: skip


def print_groups(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("The review queue is empty.")
        return
    for row in rows:
        kinds = ", ".join(f"{KIND_LABELS.get(kind, kind)} {n}" for kind, n in sorted(row["kinds"].items()))
        print(f"#{row['group']}  ×{row['count']}  {kinds}  [{', '.join(row['platforms'])}]")
        for text in row["texts"][:5]:
            print(f"    {' '.join(text.split())}")
        for entry in row["nearest"]:
            votes = f"  👎 {entry['downvotes']}" if entry["downvotes"] else ""
            print(f"    nearest: {entry['id']}  {entry['question']}{votes}")
    print("\nnext: --draft N, --add-to ENTRY_ID N, --done N or --ignore N (python -m bot review --help)")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_queue(settings)
    if store is None:
        if args.draft or args.add_to or args.done or args.ignore:
            fail("nothing to act on: no review queue in this database", code=1)
        print("[]" if args.json else "The review queue is empty.")
        return 0
    statuses = ("open", "done", "ignored") if args.all else ("open",)
    groups = group_items(store.items(statuses))
    if args.done or args.ignore:
        number = args.done or args.ignore
        group = _group_or_fail(groups, number)
        status = "done" if args.done else "ignored"
        changed = store.mark(group.ids, status, f"marked {status} by a curator")
        print(f"group #{group.key}: {changed} item(s) marked {status}")
        return 0
    answerer = open_store(settings).answerer()
    if args.draft:
        return draft(args, settings, store, answerer, _group_or_fail(groups, args.draft))
    if args.add_to:
        if args.group is None:
            fail("--add-to ENTRY_ID needs the group number too: --add-to ENTRY_ID N")
        group = _group_or_fail(groups, args.group)
        try:
            path, added = add_alternatives(settings.kb_dir, args.add_to, group.texts)
        except EditError as exc:
            fail(str(exc), code=1)
        store.mark(group.ids, "done", f"alternatives of {args.add_to}")
        print(f"{path}: {len(added)} alternative(s) added to {args.add_to}: {', '.join(added) or '(none new)'}")
        print("next: python -m bot validate")
        return 0
    rows = [group_json(group, answerer) for group in groups]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_groups(rows)
    return 0


def _group_or_fail(groups: list[Group], number: int) -> Group:
    group = find_group(groups, number)
    if group is None:
        fail(f"no open group #{number} (python -m bot review lists them)", code=1)
    assert group is not None
    return group


def draft(args: argparse.Namespace, settings: Settings, store: ReviewStore, answerer: Answerer, group: Group) -> int:
    """A draft entry: the most asked wording as question, the others as alternatives, a candidate quote."""
    texts = [to_simplified(" ".join(text.split())) for text in group.texts]
    if not texts:
        fail(f"group #{group.key} holds only 👎 votes: open the entry {', '.join(group.entry_ids)} instead", code=1)
    seeds = SeedLibrary.load(settings.seeds_dir)
    nearest = [answerer.kb.by_id(entry_id) for entry_id, _ in nearest_entries(answerer, texts[0])]
    candidates = candidate_quotes(
        seeds,
        " ".join(texts),
        limit=3,
        prefer_seeds=[entry.source.seed for entry in nearest if entry is not None],
        quoted=[quote for entry in answerer.kb.entries for quote in entry.source.quotes],
    )
    if not candidates:
        fail(f"no passage of the seeds in {settings.seeds_dir} resembles group #{group.key}", code=1)
    best = candidates[0]
    existing = {entry.id for entry in answerer.kb.entries}
    entry_id = f"review-{group.key}"
    while entry_id in existing:
        entry_id += "-x"
    text = entry_yaml(
        entry_id,
        question=texts[0],
        answer=to_simplified(best.sentence),
        seed=best.seed,
        quotes=[best.sentence],
        alternatives=texts[1:],
        keywords=keywords_of(" ".join(texts)),
        comment=f"from review group #{group.key} ({len(group.items)} asked); the answer is the quote: rewrite it",
        other_quotes=[f"{c.seed}: {c.sentence}" for c in candidates[1:]],
    )
    path = args.out or settings.kb_dir / DRAFTS_DIR / REVIEW_DRAFTS
    header = "# Draft FAQ entries from `python -m bot review`: check each, remove `draft: true`, move to faq/.\n"
    append_entries(path, [text], header=header)
    store.mark(group.ids, "done", f"drafted as {entry_id} in {path}")
    print(f"{path}: draft entry {entry_id} (quote from {best.seed})")
    print(f"next: edit it, remove `draft: true`, move it into {settings.kb_dir / 'faq'}/, then python -m bot validate")
    return 0

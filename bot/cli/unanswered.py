"""`python -m bot unanswered`: the questions the bot could not answer in Slack, most frequent first,
for curators deciding which FAQ entries to add. Reads DATABASE_URL (the same database as `serve`) and
says which; `python -m bot review` is the queue of every platform, with drafts and done marks."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta, timezone

from bot.cli.common import add_kb_option, fail, settings_from


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unanswered",
        help="list the questions asked in Slack that the documents did not answer, most frequent first",
        description="Questions the bot refused in Slack (text, count, channels, last asked), grouped by "
        "their normalised wording, most frequent first. Uses DATABASE_URL.",
    )
    parser.add_argument("--limit", type=int, default=50, help="how many to list (default 50)")
    parser.add_argument("--days", type=int, help="only questions asked in the last N days")
    parser.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.limit < 1:
        fail("--limit must be at least 1")
    from bot.db import describe_database, sqlite_file_missing
    from bot.slack.server import StartupError, open_database
    from bot.slack.store import SlackStore

    where = describe_database(settings.database_url)
    if sqlite_file_missing(settings.database_url):
        print(f"database: {where} (does not exist: nothing logged yet)", file=sys.stderr)
        print("[]" if args.json else "No unanswered questions logged yet.")
        return 0
    print(f"database: {where}", file=sys.stderr)
    try:
        engine = open_database(settings.database_url)
    except StartupError as exc:
        fail(str(exc), code=1)
    since = datetime.now(timezone.utc) - timedelta(days=args.days) if args.days else None
    groups = SlackStore(engine).unanswered(limit=args.limit, since=since)
    engine.dispose()
    if args.json:
        rows = [
            {
                "text": group.text,
                "count": group.count,
                "first_asked": group.first_asked.isoformat(timespec="seconds"),
                "last_asked": group.last_asked.isoformat(timespec="seconds"),
                "channels": list(group.channels),
            }
            for group in groups
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print("No unanswered questions logged yet (python -m bot review lists every platform's).")
        return 0
    print(f"{'count':>5}  {'last asked (UTC)':<16}  question  [channels]")
    for group in groups:
        when = group.last_asked.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
        channels = f"  [{', '.join(group.channels)}]" if group.channels else ""
        print(f"{group.count:>5}  {when:<16}  {' '.join(group.text.split())}{channels}")
    return 0

"""`python -m bot deadlines`: list the upcoming deadline occurrences, or export them as iCalendar."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import add_kb_option, settings_from
from bot.cli.digest import (
    add_deadlines_option,
    add_now_option,
    die,
    digest_settings_from,
    load_or_fail,
    parse_now,
    read_done,
)
from bot.schedule.blocks import local_setting_text, when_text
from bot.schedule.digest import upcoming
from bot.schedule.factory import document_titles
from bot.schedule.ics import to_ics

EXAMPLES = """examples:
  python -m bot deadlines                         the next 365 days, as text
  python -m bot deadlines --ics > deadlines.ics   the same as an iCalendar file
  python -m bot deadlines --ics --days 730 -o deadlines.ics --now 2025-01-01
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadlines",
        help="list upcoming deadlines, or export them as iCalendar (--ics)",
        description="The occurrences of the deadlines in knowledge/deadlines.yaml from today (or --now)\n"
        "on, skipping those marked done. --ics writes them as an iCalendar file to import into a\n"
        "calendar: one all-day event per occurrence, with an alarm per reminder day.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--ics", action="store_true", help="write iCalendar (RFC 5545) instead of text")
    output.add_argument("--json", action="store_true", help="print a JSON list of occurrences")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--days", type=int, default=365, metavar="N", help="how many days ahead (default: 365)")
    add_now_option(parser)
    add_deadlines_option(parser)
    add_kb_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.days <= 3660:
        die(f"--days must be between 0 and 3660, got {args.days}")
    settings = settings_from(args)
    digest_settings = digest_settings_from(settings)
    now = parse_now(args.now, digest_settings.timezone)
    deadlines = load_or_fail(args.deadlines or digest_settings.deadlines_path, settings)
    items = upcoming(deadlines, digest_settings, now, days=args.days, done=read_done(settings))
    if args.ics:
        payload = to_ics(items, deadlines, now, document_titles(settings))
    elif args.json:
        rows = [{**item.to_json(), "local_setting": item.date_setting is not None} for item in items]
        payload = (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
    else:
        lines = [f"{len(items)} occurrence(s) from {now.date().isoformat()}, {args.days} days ahead:"]
        for item in items:
            lines.append(f"  {item.due.isoformat()}  {when_text(item):<10} {item.id}  {item.deadline.title}")
            setting = local_setting_text(item)
            if setting:
                lines.append(f"      注意：{setting.replace('`', '')}")
        payload = ("\n".join(lines) + "\n").encode()
    if args.output:
        try:
            with open(args.output, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            die(f"cannot write {args.output}: {exc.strerror or exc}", 1)
        print(f"wrote {len(items)} occurrence(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0

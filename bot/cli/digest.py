"""`python -m bot digest`: print the deadline digest for a moment, or post it to Slack once."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import add_kb_option, fail, settings_from
from bot.config import ConfigError, Settings
from bot.db import describe_database, sqlite_file_missing
from bot.kb.issues import Issue
from bot.kb.seeds import SeedLibrary
from bot.schedule.blocks import local_setting_text, when_text
from bot.schedule.deadlines_file import load_deadlines
from bot.schedule.digest import ChannelDigest, build_digest
from bot.schedule.factory import document_titles, open_ledger
from bot.schedule.factory import read_done as read_stored_done
from bot.schedule.runner import DigestRunner, RunReport
from bot.schedule.schema import DeadlinesFile
from bot.schedule.settings import DigestSettings
from bot.schedule.workdays import package_version

EXAMPLES = """examples:
  python -m bot digest --now 2020-06-20T09:00 --dry-run --json
  python -m bot digest --send                      post today's digest (needs SLACK_BOT_TOKEN)
  python -m bot digest --deadlines my-deadlines.yaml --now 2027-12-01
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="show or send the deadline digest",
        description="The deadline digest for a moment: per channel, what is due soon and what is\n"
        "overdue (not marked done). By default it is printed; --send posts it through the\n"
        "Slack Web API, each reminder once however often (and from however many processes) it runs.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the digest, send nothing (the default)")
    mode.add_argument(
        "--send",
        action="store_true",
        help="post it to Slack (SLACK_BOT_TOKEN, SLACK_API_URL); reminders already sent are skipped",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --send: post even on a day without a scheduled digest (a holiday, a weekend)",
    )
    add_now_option(parser)
    parser.add_argument("--json", action="store_true", help='print [{"channel": ..., "items": [...]}]')
    add_deadlines_option(parser)
    add_kb_option(parser)
    parser.set_defaults(func=run)


# ------------------------------------------------------------------ shared with `deadlines`


def add_now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        metavar="TIME",
        help="the moment, e.g. 2020-06-20T09:00 or 2020-06-20; without an offset it is in "
        "BOT_DIGEST_TIMEZONE (default Asia/Shanghai). Default: the current time",
    )


def add_deadlines_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--deadlines",
        type=Path,
        metavar="FILE",
        help="deadlines file to use (default: knowledge/deadlines.yaml, or $BOT_DEADLINES_FILE)",
    )


def die(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    fail(message, code)
    raise SystemExit(code)  # fail() has exited already


def digest_settings_from(settings: Settings) -> DigestSettings:
    try:
        return DigestSettings.from_settings(settings)
    except ConfigError as exc:
        die(str(exc))


def parse_now(raw: str | None, zone: ZoneInfo) -> datetime:
    """`--now`: ISO date or date-time; naive values are in the digest timezone."""
    if raw is None:
        return datetime.now(zone)
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        die(f"--now must be a date-time such as 2020-06-20T09:00, got {raw!r}")
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def load_or_fail(path: Path, settings: Settings) -> DeadlinesFile:
    """The deadlines file, or its problems (file:line) on stderr and exit 1."""
    if not path.is_file():
        die(f"deadlines file not found: {path}", code=1)
    issues: list[Issue] = []
    deadlines = load_deadlines(path, SeedLibrary.load(settings.seeds_dir), issues)
    if deadlines is None:
        print(f"error: the deadlines file {path} is invalid:", file=sys.stderr)
        for issue in issues:
            print(f"  {issue}", file=sys.stderr)
        raise SystemExit(1)
    return deadlines


def read_done(settings: Settings) -> set[tuple[str, date]]:
    """Done marks, read without creating anything (a dry run on a fresh checkout writes nothing)."""
    url = settings.database_url
    if sqlite_file_missing(url):
        print(f"database: {describe_database(url)} (does not exist: no done marks)", file=sys.stderr)
        return set()
    print(f"database: {describe_database(url)} (done marks)", file=sys.stderr)
    try:
        return read_stored_done(url)
    except SQLAlchemyError as exc:
        print(
            f"warning: cannot read done marks from the database ({exc.__class__.__name__}); showing every item",
            file=sys.stderr,
        )
        return set()


def warn_uncovered(digest_settings: DigestSettings, now: datetime) -> None:
    """One stderr line when the holiday calendar does not know this year (the weekday fallback applies)."""
    year = now.astimezone(digest_settings.timezone).year
    if not digest_settings.calendar.covers(year):
        print(
            f"warning: chinesecalendar {package_version()} has no holidays for {year}: Monday to Friday are "
            "taken as working days (pip install -U chinesecalendar)",
            file=sys.stderr,
        )


# ------------------------------------------------------------------ the command


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    digest_settings = digest_settings_from(settings)
    now = parse_now(args.now, digest_settings.timezone)
    path = args.deadlines or digest_settings.deadlines_path
    deadlines = load_or_fail(path, settings)
    warn_uncovered(digest_settings, now)
    if args.send:
        return send(args, settings, digest_settings, path, now)
    digest = build_digest(deadlines, digest_settings, now, done=read_done(settings))
    if args.json:
        print(json.dumps([channel.to_json() for channel in digest], ensure_ascii=False, indent=2))
    else:
        print_digest(digest, now)
    return 0


def print_digest(digest: list[ChannelDigest], now: datetime) -> None:
    if not digest:
        print(f"没有需要提醒的截止事项（{now.isoformat(timespec='minutes')}）。")
        return
    for channel in digest:
        print(f"{channel.channel}（{now.date().isoformat()}）")
        for item in channel.items:
            print(f"  {item.due.isoformat()}  {when_text(item):<10} {item.id}  {item.deadline.title}")
            setting = local_setting_text(item)
            if setting:
                print(f"      注意：{setting.replace('`', '')}")


def send(
    args: argparse.Namespace, settings: Settings, digest_settings: DigestSettings, path: Path, now: datetime
) -> int:
    if not settings.slack_bot_token:
        die("--send needs SLACK_BOT_TOKEN (use --dry-run to only print the digest)")
    today = now.astimezone(digest_settings.timezone).date()
    if not args.force and not digest_settings.is_digest_day(today):
        holiday = digest_settings.calendar.holiday_name(today)
        why = f" ({holiday})" if holiday else ""
        print(
            f"{today.isoformat()} is not a digest day{why} (BOT_DIGEST_DAYS={digest_settings.days}): nothing sent; "
            "--force sends anyway",
            file=sys.stderr,
        )
        if args.json:
            print("[]")
        return 0
    from bot.schedule.deadlines_file import DeadlineStore
    from bot.slack.client import make_web_client

    print(f"database: {describe_database(settings.database_url)} (sent-ledger)", file=sys.stderr)
    try:
        ledger = open_ledger(settings, digest_settings)
    except SQLAlchemyError as exc:
        reason = str(exc).splitlines()[0]
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        die(f"cannot open the database {where}: {reason}", 1)
    runner = DigestRunner(
        digest_settings,
        DeadlineStore(path, settings.seeds_dir),
        ledger,
        make_web_client(settings),
        admins=settings.bot_admins,
        documents=document_titles(settings),
    )
    try:
        report = runner.run(now)
    except SQLAlchemyError as exc:
        die(f"database error while sending (nothing is lost; run again): {str(exc).splitlines()[0]}", 1)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    for failure in report.failed:
        what = "will be retried at the next run" if failure.retryable else "admins were told"
        print(f"error: digest to {failure.channel} failed: {failure.error} ({what})", file=sys.stderr)
    return 0 if report.ok else 1


def print_report(report: RunReport) -> None:
    for result in report.posted:
        print(f"posted to {result.channel}: {len(result.items)} item(s) (ts {result.ts})")
    if report.skipped:
        print(f"{report.skipped} reminder(s) already sent or being sent by another process: skipped")
    if report.recovered:
        print(f"{report.recovered} reminder(s) found posted by an interrupted run: marked sent")
    if not report.posted and not report.failed:
        print("nothing to send")

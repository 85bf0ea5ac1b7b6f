"""`--log` for `ask` and `chat`: queue what the documents do not answer for the curators' review."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import fail
from bot.config import ConfigError, Settings, parse_bool

if TYPE_CHECKING:  # the database layer is imported only when logging is on (a cold `ask` stays fast)
    from sqlalchemy import Engine

SETTING = "BOT_LOG_QUESTIONS"


def add_log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log",
        action="store_true",
        help=f"queue refused and not-stated questions for `python -m bot review` in DATABASE_URL "
        f"(or set {SETTING}=true)",
    )


def review_engine(args: argparse.Namespace, settings: Settings) -> Engine | None:
    """The review database when logging is asked for (flag or setting), else None; says which one."""
    try:
        wanted = args.log or parse_bool(SETTING, settings.env.get(SETTING, "false"))
    except ConfigError as exc:
        fail(str(exc))
    if not wanted:
        return None
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db import describe_database, make_engine
    from bot.review.store import ReviewStore

    try:
        engine = make_engine(settings.database_url)
        ReviewStore(engine).ensure_tables()
    except (SQLAlchemyError, OSError) as exc:
        fail(f"cannot use the database {describe_database(settings.database_url)}: {str(exc).splitlines()[0]}", 1)
    print(f"unanswered questions are queued for review in {describe_database(settings.database_url)}", file=sys.stderr)
    return engine

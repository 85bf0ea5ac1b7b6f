"""`python -m bot serve`: the Slack app. Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT
(default 3000) at /slack/events with GET /healthz. Bad settings: one error line, non-zero exit."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import add_kb_option, fail, open_store, settings_from
from bot.config import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Slack app (Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT)",
        description="Run the Slack app. Settings come from the environment: SLACK_BOT_TOKEN, "
        "SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), PORT, DATABASE_URL, BOT_ADMINS, "
        "SLACK_API_URL, BOT_THREAD_FOLLOWUPS. See docs/slack.md.",
    )
    parser.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, help="HTTP mode: port (default $PORT, else 3000)")
    parser.add_argument("--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set")
    parser.add_argument("--no-digests", action="store_true", help="do not start the deadline-digest scheduler")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    socket_mode = bool(settings.slack_app_token) and not args.http
    port = args.port if args.port is not None else settings.port
    if not 0 <= port <= 65535:
        fail(f"--port must be between 0 and 65535, got {port}")
    # Imported here so that `python -m bot ask` never pays for bolt.
    from bot.schedule.wiring import start_scheduler
    from bot.slack.server import StartupError, check_slack_settings, create_runtime, serve_http, serve_socket_mode

    try:
        check_slack_settings(settings, socket_mode)
    except ConfigError as exc:
        fail(str(exc))
    logging.getLogger().setLevel(logging.INFO)
    for noisy in ("slack_bolt", "slack_sdk", "jieba", "waitress"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    store = open_store(settings)
    store.watch()
    try:
        # Slack unreachable at start-up: slack_sdk logs each failed try as an ERROR; the one line from
        # StartupError says it all, so those stay quiet until the app is up.
        sdk = logging.getLogger("slack_sdk")
        sdk.setLevel(logging.CRITICAL)
        try:
            runtime = create_runtime(settings, store)
        finally:
            sdk.setLevel(logging.WARNING)
        if not args.no_digests:
            start_scheduler(settings, runtime.client)
        if socket_mode:
            serve_socket_mode(runtime)
        else:
            serve_http(runtime, args.host, port)
    except StartupError as exc:
        fail(str(exc), code=1)
    return 0

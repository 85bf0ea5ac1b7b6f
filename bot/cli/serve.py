"""`python -m bot serve`: every chat platform that has its settings, in one process (bot/platforms.py
lists them). Slack alone runs as it always has: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on
$PORT (default 3000) at /slack/events. With Feishu (or several platforms) one HTTP server on $PORT
serves each platform's callback path and GET /healthz reporting every platform. Bad settings: one
error line per problem, non-zero exit."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.common import add_kb_option, fail, open_store, settings_from
from bot.config import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run every configured chat platform (Slack, Feishu, DingTalk)",
        description="Run the bot on every platform whose settings are present. Settings come from the "
        "environment. Slack: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), "
        "SLACK_API_URL, BOT_ADMINS (docs/slack.md). Feishu: FEISHU_APP_ID, FEISHU_APP_SECRET, "
        "FEISHU_VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY, FEISHU_API_URL, FEISHU_ADMINS (docs/feishu.md). "
        "DingTalk: DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, DINGTALK_ROBOT_CODE, DINGTALK_DIGEST_GROUPS, "
        "DINGTALK_ADMINS, DINGTALK_OPENAPI_ENDPOINT (docs/dingtalk.md). "
        "Shared: PORT, DATABASE_URL, BOT_THREAD_FOLLOWUPS.",
    )
    parser.add_argument("--host", default="0.0.0.0", help="HTTP: address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, help="HTTP: port (default $PORT, else 3000)")
    parser.add_argument("--http", action="store_true", help="Slack over HTTP even when SLACK_APP_TOKEN is set")
    parser.add_argument("--no-digests", action="store_true", help="do not start the deadline-digest scheduler")
    add_kb_option(parser)
    parser.set_defaults(func=run)


def _fail_lines(message: str, code: int = 2) -> None:
    for line in message.splitlines()[:-1]:
        print(f"error: {line}", file=sys.stderr)
    fail(message.splitlines()[-1] if message else "cannot start", code)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    socket_mode = bool(settings.slack_app_token) and not args.http
    port = args.port if args.port is not None else settings.port
    if not 0 <= port <= 65535:
        fail(f"--port must be between 0 and 65535, got {port}")
    from bot import platforms  # here, so that `python -m bot ask` never pays for bolt or lark-oapi

    options = platforms.Options(socket_mode=socket_mode, digests=not args.no_digests)
    try:
        chosen = platforms.configured(settings, options)
        if not chosen:  # nothing configured: Slack's own message says what to set first
            try:
                platforms.PLATFORMS[0].check(settings, options)
            except ConfigError as exc:
                raise ConfigError(
                    f"{exc} (or set FEISHU_APP_ID and the other FEISHU_* settings: docs/feishu.md; "
                    "or DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET: docs/dingtalk.md)"
                ) from None
    except ConfigError as exc:
        _fail_lines(str(exc))
    logging.getLogger().setLevel(logging.INFO)
    for noisy in ("slack_bolt", "slack_sdk", "jieba", "waitress", "Lark", "dingtalk_stream"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    store = open_store(settings)
    store.watch()
    if [platform.name for platform in chosen] == ["slack"]:
        return _slack_only(settings, store, args, socket_mode, port)
    return _several(settings, store, args, chosen, options, port)


def _slack_only(settings, store, args: argparse.Namespace, socket_mode: bool, port: int) -> int:  # type: ignore[no-untyped-def]
    """Slack alone, exactly as before other platforms existed."""
    from bot.schedule.wiring import start_scheduler
    from bot.slack import server

    try:
        # Slack unreachable at start-up: slack_sdk logs each failed try as an ERROR; the one line from
        # StartupError says it all, so those stay quiet until the app is up.
        sdk = logging.getLogger("slack_sdk")
        sdk.setLevel(logging.CRITICAL)
        try:
            runtime = server.create_runtime(settings, store)
        finally:
            sdk.setLevel(logging.WARNING)
        if not args.no_digests:
            start_scheduler(settings, runtime.client)
        if socket_mode:
            server.serve_socket_mode(runtime)
        else:
            server.serve_http(runtime, args.host, port)
    except server.StartupError as exc:
        fail(str(exc), code=1)
    return 0


def _several(settings, store, args, chosen, options, port: int) -> int:  # type: ignore[no-untyped-def]
    """Several platforms (or one that is not Slack) on one core and one HTTP server."""
    from bot import platforms
    from bot.schedule.wiring import start_scheduler

    sdk = logging.getLogger("slack_sdk")
    sdk.setLevel(logging.CRITICAL)
    try:
        services = platforms.start(settings, store, chosen, options)
    except platforms.StartupError as exc:
        fail(str(exc), code=1)
    finally:
        sdk.setLevel(logging.WARNING)
    try:
        if not args.no_digests:
            start_scheduler(settings, services.digest_client())
        for started in services.started:
            if started.connect is not None:
                started.connect()  # Slack Socket Mode, in the background
        platforms.serve_http(services, args.host, port)
    except platforms.StartupError as exc:
        fail(str(exc), code=1)
    finally:
        services.close()
    return 0

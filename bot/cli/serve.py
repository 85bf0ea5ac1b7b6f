"""`python -m bot serve`: every platform that has its settings, in one process.

Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT (default 3000) at /slack/events with
GET /healthz. DingTalk (DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET): Stream mode, no public URL.
Bad settings: one error line, non-zero exit."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import TYPE_CHECKING

from bot.cli.common import add_kb_option, fail, open_store, settings_from
from bot.config import ConfigError, DingTalkSettings, Settings

if TYPE_CHECKING:  # imported when serving: `python -m bot ask` pays for neither
    from bot.chat.core import ChatCore
    from bot.dingtalk.app import DingTalkRuntime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the bot on every configured platform (Slack; DingTalk when DINGTALK_CLIENT_ID is set)",
        description="Run the Slack app and/or DingTalk. Settings come from the environment: SLACK_BOT_TOKEN, "
        "SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), PORT, DATABASE_URL, BOT_ADMINS, "
        "SLACK_API_URL, BOT_THREAD_FOLLOWUPS (docs/slack.md); DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, "
        "DINGTALK_ROBOT_CODE, DINGTALK_DIGEST_GROUPS, DINGTALK_OPENAPI_ENDPOINT (docs/dingtalk.md).",
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
        dingtalk = DingTalkSettings.from_env(settings.env)
        if wants_slack(settings, dingtalk):
            check_slack_settings(settings, socket_mode)
    except ConfigError as exc:
        fail(str(exc))
    if not wants_slack(settings, dingtalk):
        assert dingtalk is not None
        return serve_dingtalk_only(settings, dingtalk, args)
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
        if dingtalk is not None:
            start_dingtalk(settings, dingtalk, runtime.policy.core, digests=not args.no_digests)
        if socket_mode:
            serve_socket_mode(runtime)
        else:
            serve_http(runtime, args.host, port)
    except StartupError as exc:
        fail(str(exc), code=1)
    return 0


def wants_slack(settings: Settings, dingtalk: DingTalkSettings | None) -> bool:
    """Slack runs when any Slack setting is present, or when no other platform is configured (then its
    missing token is the error to report, as before DingTalk existed)."""
    slack = (settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token)
    return dingtalk is None or any(slack)


def start_dingtalk(settings: Settings, dingtalk: DingTalkSettings, core: ChatCore, *, digests: bool) -> DingTalkRuntime:
    """DingTalk beside whatever else runs; a refusal at start is one line and a non-zero exit."""
    from bot.dingtalk.app import DingTalkStartupError, start

    logging.getLogger("dingtalk_stream").setLevel(logging.WARNING)
    try:
        return start(settings, dingtalk, core, digests=digests)
    except DingTalkStartupError as exc:
        fail(str(exc), code=1)
        raise  # fail() exits; this line is for the type checker


def serve_dingtalk_only(settings: Settings, dingtalk: DingTalkSettings, args: argparse.Namespace) -> int:
    from bot.chat.core import ChatCore
    from bot.chat.store import ChatStore
    from bot.slack.server import StartupError, open_database, prune

    logging.getLogger().setLevel(logging.INFO)
    for noisy in ("jieba", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    store = open_store(settings)
    store.watch()
    try:
        engine = open_database(settings.database_url)
    except StartupError as exc:
        fail(str(exc), code=1)
    core = ChatCore(settings, store, ChatStore(engine))
    prune(core.db)
    runtime = start_dingtalk(settings, dingtalk, core, digests=not args.no_digests)
    core.outbox.start()  # delivers what a previous run left pending, then retries as they fall due
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()  # the Stream client runs in its own thread; Ctrl-C or SIGTERM end the process
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
        core.close()
        engine.dispose()
    return 0

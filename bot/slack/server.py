"""Running the app: the pieces wired together once, then served over HTTP or Socket Mode.

HTTP: waitress (bot/slack/http.py: body limit, read timeout, signature and shape checked before bolt)
at POST /slack/events and GET /healthz.
Socket Mode: bolt's SocketModeHandler over slack_sdk's built-in WebSocket client (no public URL needed).
"""

from __future__ import annotations

import logging
import re
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.chat.core import ChatCore
from bot.chat.health import core_health
from bot.chat.store import ChatStore, ensure_tables
from bot.config import ConfigError, Settings
from bot.db import make_engine
from bot.kb.store import KnowledgeStore
from bot.slack.app import build_app
from bot.slack.client import make_web_client
from bot.slack.http import EVENTS_PATH, HEALTH_PATH, HttpServer, make_wsgi_app
from bot.slack.outbox import Timing
from bot.slack.service import PolicyService
from bot.slack.work import WorkQueue

log = logging.getLogger(__name__)

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class StartupError(RuntimeError):
    """The app cannot start; the message is one line for the operator."""


def check_slack_settings(settings: Settings, socket_mode: bool) -> None:
    """The Slack credentials the chosen mode needs, with where to find each; ConfigError if missing."""
    token = settings.slack_bot_token
    if not token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from the app's "
            "OAuth & Permissions page"
        )
    if not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if socket_mode:
        if not (settings.slack_app_token or "").startswith("xapp-"):
            raise ConfigError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                "(Basic Information > App-Level Tokens, scope connections:write)"
            )
    elif not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from the app's Basic Information page "
            "(or set SLACK_APP_TOKEN to use Socket Mode)"
        )
    for admin in sorted(settings.bot_admins):
        if not _USER_ID.match(admin):
            raise ConfigError(
                f"BOT_ADMINS must be Slack user IDs such as U012AB3CDE (profile > ... > Copy member ID), got {admin!r}"
            )


def redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def _first_line(error: BaseException) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


@dataclass
class Runtime:
    settings: Settings
    store: KnowledgeStore
    engine: Engine
    db: ChatStore
    policy: PolicyService
    client: WebClient
    app: App

    def wsgi_app(self) -> Callable[..., Iterable[bytes]]:
        return make_wsgi_app(self.app, self.health, self.settings.slack_signing_secret or "")

    def health(self) -> tuple[bool, dict[str, Any]]:
        """GET /healthz: the knowledge base, the database, the work queue and the outbox. Not ok (503)
        when the database is down (events are then answered 503 so that Slack retries them)."""
        ok, report = core_health(self.policy.core)
        report["platforms"] = {"slack": {"status": "ok"}}
        return ok, report

    def close(self) -> None:
        """Stop the outbox and the workers (letting queued jobs finish), then the database pool."""
        self.policy.close()
        self.engine.dispose()


def prune(db: ChatStore) -> None:
    try:
        db.prune_claims()
        db.prune_outbox()
    except SQLAlchemyError as exc:
        log.warning("could not prune old event claims: %s", _first_line(exc))


def open_database(url: str) -> Engine:
    try:
        engine = make_engine(url)
        ensure_tables(engine)
    except (SQLAlchemyError, ImportError, OSError) as exc:
        raise StartupError(f"cannot use the database {redact(url)}: {_first_line(exc)}") from None
    return engine


def create_runtime(
    settings: Settings,
    store: KnowledgeStore,
    *,
    client: WebClient | None = None,
    token_verification: bool = True,
    timing: Timing | None = None,
    work: WorkQueue | None = None,
    core: ChatCore | None = None,
) -> Runtime:
    """Database (tables created if missing), Web API client, service and bolt App; StartupError if the
    database cannot be opened or Slack rejects the token (one line each). With `core` (several
    platforms in one process), its database, work queue and outbox are shared."""
    if core is None:
        engine = open_database(settings.database_url)
        db = ChatStore(engine)
        prune(db)
    else:
        engine, db = core.db.engine, core.db
    client = client or make_web_client(settings)
    policy = PolicyService(settings, store, db, client, timing=timing, work=work, core=core)
    try:
        app = build_app(settings, policy, client, token_verification=token_verification)
    except BoltError as exc:
        raise StartupError(f"Slack did not accept SLACK_BOT_TOKEN ({settings.slack_api_url}): {exc}") from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StartupError(f"cannot reach the Slack Web API at {settings.slack_api_url}: {reason}") from None
    policy.outbox.start()  # delivers what a previous run left pending, then retries as they fall due
    return Runtime(settings, store, engine, db, policy, client, app)


# ---------------------------------------------------------------------------- HTTP


def make_http_server(wsgi_app: Callable[..., Iterable[bytes]], host: str, port: int) -> HttpServer:
    """waitress with the limits in bot/slack/http.py (port 0: a free port; see `server.server_port`)."""
    return HttpServer(wsgi_app, host, port)


def listen_until_signalled(wsgi_app: Callable[..., Iterable[bytes]], host: str, port: int) -> HttpServer:
    """A server on host:port that shuts down cleanly on SIGTERM/SIGINT (a platform stopping the dyno sends
    SIGTERM); OSError when it cannot listen. Every HTTP door (Slack alone, or all platforms) starts so."""
    server = make_http_server(wsgi_app, host, port)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %d: shutting down", signum)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return server


def serve_until_stopped(server: HttpServer) -> None:
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()


def serve_http(runtime: Runtime, host: str, port: int) -> None:
    """Serve until SIGTERM/SIGINT, then stop cleanly."""
    try:
        server = listen_until_signalled(runtime.wsgi_app(), host, port)
    except OSError as exc:
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    log.info(
        "listening on http://%s:%d%s (health: %s), %d entries, database %s",
        host,
        server.server_port,
        EVENTS_PATH,
        HEALTH_PATH,
        len(runtime.store.answerer().kb.entries),
        redact(runtime.settings.database_url),
    )
    serve_until_stopped(server)


def serve_socket_mode(runtime: Runtime) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(runtime.app, runtime.settings.slack_app_token)
    log.info(
        "connecting over Socket Mode, %d entries, database %s",
        len(runtime.store.answerer().kb.entries),
        redact(runtime.settings.database_url),
    )
    handler.start()  # blocks; Ctrl-C / SIGTERM end the process

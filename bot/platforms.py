"""Every chat platform `python -m bot serve` can run, and running the configured ones in one process.

To add a platform, append a `Platform` to `PLATFORMS`: its name, `wanted(settings)` (any of its
settings present), `check(settings)` (ConfigError with one line for the first missing/wrong one) and
`start(settings, core, options)`, which registers it on the shared core and returns a `Started`: its
WSGI routes (path -> app) if it receives HTTP callbacks, a health function, a digest poster for
`BOT_DIGEST_CHANNEL=<platform>:<chat>` channels, and optionally a blocking `run` (Slack Socket Mode).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.chat.core import ChatCore
from bot.chat.health import core_health
from bot.chat.outbox import Timing
from bot.chat.store import ChatStore
from bot.chat.work import WorkQueue
from bot.config import ConfigError, Settings
from bot.kb.store import KnowledgeStore

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
Wsgi = Callable[..., Iterable[bytes]]


class StartupError(RuntimeError):
    """A platform cannot start; the message is one line for the operator."""


@dataclass
class Options:
    socket_mode: bool = False  # Slack: Socket Mode instead of HTTP callbacks
    timing: Timing | None = None
    work: WorkQueue | None = None
    slack_client: Any = None  # tests: a WebClient pointed at a fake
    token_verification: bool = True
    digests: bool = True  # False: `serve --no-digests` (for platforms that schedule digests of their own)


@dataclass
class Started:
    name: str
    health: Callable[[], dict[str, Any]]
    routes: dict[str, Wsgi] = field(default_factory=dict)
    digest_client: Any = None  # has chat_postMessage(channel=..., text=..., ...) like slack_sdk's WebClient
    run: Callable[[], None] | None = None  # blocks (Slack Socket Mode); None: served over HTTP
    connect: Callable[[], None] | None = None  # starts it in the background instead of `run`
    stop: Callable[[], None] | None = None


@dataclass(frozen=True)
class Platform:
    name: str
    wanted: Callable[[Settings], bool]
    check: Callable[[Settings, Options], None]
    start: Callable[[Settings, ChatCore, Options], Started]


# ---------------------------------------------------------------------------- Slack


def _slack_wanted(settings: Settings) -> bool:
    return bool(settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token)


def _slack_check(settings: Settings, options: Options) -> None:
    from bot.slack.server import check_slack_settings

    check_slack_settings(settings, options.socket_mode)


def _slack_start(settings: Settings, core: ChatCore, options: Options) -> Started:
    from bot.slack.http import EVENTS_PATH
    from bot.slack.server import StartupError as SlackStartupError
    from bot.slack.server import create_runtime

    try:
        runtime = create_runtime(
            settings,
            core.store,
            client=options.slack_client,
            token_verification=options.token_verification,
            core=core,
        )
    except SlackStartupError as exc:
        raise StartupError(str(exc)) from None
    started = Started("slack", lambda: {"status": "ok", "mode": "socket" if options.socket_mode else "http"})
    started.digest_client = runtime.client
    if options.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(runtime.app, settings.slack_app_token)
        started.run, started.connect, started.stop = handler.start, handler.connect, handler.close
    else:
        started.routes[EVENTS_PATH] = runtime.wsgi_app()
    return started


# ---------------------------------------------------------------------------- Feishu


def _feishu_wanted(settings: Settings) -> bool:
    from bot.feishu.settings import wanted

    return wanted(settings)


def _feishu_check(settings: Settings, options: Options) -> None:
    from bot.feishu.settings import check_feishu_settings

    check_feishu_settings(settings)


def _feishu_start(settings: Settings, core: ChatCore, options: Options) -> Started:
    from bot.feishu.digest import FeishuDigestClient
    from bot.feishu.server import FeishuStartupError, start_feishu

    try:
        runtime = start_feishu(settings, core)
    except FeishuStartupError as exc:
        raise StartupError(str(exc)) from None
    return Started("feishu", runtime.health, {runtime.path: runtime.wsgi}, FeishuDigestClient(runtime.api))


# ---------------------------------------------------------------------------- DingTalk


def _dingtalk_wanted(settings: Settings) -> bool:
    from bot.dingtalk.settings import wanted

    return wanted(settings)


def _dingtalk_check(settings: Settings, options: Options) -> None:
    from bot.dingtalk.settings import check_dingtalk_settings

    check_dingtalk_settings(settings)


def _dingtalk_start(settings: Settings, core: ChatCore, options: Options) -> Started:
    """Stream mode: no HTTP route; the SDK's client connects (in its own thread) once everything is up."""
    from bot.dingtalk.app import DingTalkStartupError, start
    from bot.dingtalk.digest_client import DingTalkDigestClient
    from bot.dingtalk.robot import RobotApi

    logging.getLogger("dingtalk_stream").setLevel(logging.WARNING)
    try:
        runtime = start(settings, core, digests=options.digests)
    except DingTalkStartupError as exc:
        raise StartupError(str(exc)) from None

    def connect() -> None:
        runtime.start()

    digests = DingTalkDigestClient(RobotApi(runtime.settings))
    return Started("dingtalk", runtime.health, digest_client=digests, connect=connect, stop=runtime.stop)


PLATFORMS: list[Platform] = [
    Platform("slack", _slack_wanted, _slack_check, _slack_start),
    Platform("feishu", _feishu_wanted, _feishu_check, _feishu_start),
    Platform("dingtalk", _dingtalk_wanted, _dingtalk_check, _dingtalk_start),
]


# ---------------------------------------------------------------------------- running them together


def configured(settings: Settings, options: Options, platforms: list[Platform] | None = None) -> list[Platform]:
    """The platforms whose settings are present; ConfigError lines (joined) for any that are wrong."""
    chosen, errors = [], []
    for platform in platforms or PLATFORMS:
        if not platform.wanted(settings):
            continue
        try:
            platform.check(settings, options)
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        chosen.append(platform)
    if errors:
        raise ConfigError("\n".join(errors))
    return chosen


@dataclass
class Services:
    core: ChatCore
    started: list[Started]

    def wsgi_app(self) -> Wsgi:
        """One HTTP app for every platform's callbacks (by path) and GET /healthz for them all."""
        routes: dict[str, Wsgi] = {}
        for started in self.started:
            routes.update(started.routes)

        def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO") or ""
            if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
                ok, report = self.health()
                body = json.dumps({"ok": ok, **report}, ensure_ascii=False, default=str).encode()
                status = "200 OK" if ok else "503 Service Unavailable"
                start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
                return [body]
            app = routes.get(path)
            if app is None:
                body = b"Not Found"
                start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
                return [body]
            return app(environ, start_response)

        return application

    def health(self) -> tuple[bool, dict[str, Any]]:
        ok, report = core_health(self.core)
        platforms: dict[str, Any] = {}
        for started in self.started:
            try:
                platforms[started.name] = started.health()
            except Exception as exc:  # a health check answers, whatever a platform does
                platforms[started.name] = {"status": f"error: {exc!r}"[:200]}
                ok = False
        report["platforms"] = platforms
        return ok, report

    def digest_client(self) -> Any:
        from bot.schedule.clients import RoutingClient

        clients = {started.name: started.digest_client for started in self.started if started.digest_client}
        return RoutingClient(clients)

    def close(self) -> None:
        for started in self.started:
            if started.stop is not None:
                try:
                    started.stop()
                except Exception:
                    log.exception("stopping %s", started.name)
        self.core.close()
        self.core.db.engine.dispose()


def start(
    settings: Settings,
    store: KnowledgeStore,
    platforms: list[Platform],
    options: Options | None = None,
) -> Services:
    """One core (database, queue, outbox) for all, then each platform on it; StartupError (one line)."""
    from bot.slack.server import StartupError as DatabaseError
    from bot.slack.server import open_database, prune

    options = options or Options()
    try:
        engine = open_database(settings.database_url)
    except DatabaseError as exc:
        raise StartupError(str(exc)) from None
    db = ChatStore(engine)
    prune(db)
    core = ChatCore(settings, store, db, timing=options.timing, work=options.work)
    started: list[Started] = []
    try:
        for platform in platforms:
            started.append(platform.start(settings, core, options))
    except BaseException:
        Services(core, started).close()
        raise
    core.outbox.start()  # delivers what a previous run left pending, then retries as they fall due
    return Services(core, started)


def serve_http(services: Services, host: str, port: int) -> None:
    """waitress (bot/slack/http.py's limits) for every platform's callbacks until SIGTERM/SIGINT."""
    from bot.slack.server import listen_until_signalled, redact, serve_until_stopped

    try:
        server = listen_until_signalled(services.wsgi_app(), host, port)
    except OSError as exc:
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    paths = sorted(path for started in services.started for path in started.routes)
    log.info(
        "listening on http://%s:%d (%s; health: %s), platforms: %s, %d entries, database %s",
        host,
        server.server_port,
        ", ".join(paths) or "no HTTP callbacks",
        HEALTH_PATH,
        ", ".join(started.name for started in services.started),
        len(services.core.store.answerer().kb.entries),
        redact(services.core.settings.database_url),
    )
    serve_until_stopped(server)

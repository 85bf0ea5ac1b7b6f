"""Everything DingTalk needs in `serve`, built from the settings: the bot, its Stream connection, digests."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.config import ConfigError, DingTalkSettings, Settings
from bot.dingtalk.api import DingTalkError
from bot.dingtalk.digest import DingTalkDigestRunner
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.reply import Replier
from bot.dingtalk.robot import RobotApi
from bot.dingtalk.service import DingTalkBot, Retry
from bot.dingtalk.stream import StreamRunner
from bot.dingtalk.webhook import WebhookSender
from bot.kb.store import KnowledgeStore
from bot.schedule.factory import deadline_store, document_titles, open_ledger
from bot.schedule.scheduler import DigestService
from bot.schedule.settings import DigestSettings
from bot.slack.store import SlackStore, ensure_tables

log = logging.getLogger(__name__)


class DingTalkStartupError(RuntimeError):
    """DingTalk cannot start; the message is one line for the operator."""


@dataclass
class DingTalkRuntime:
    settings: DingTalkSettings
    bot: DingTalkBot
    stream: StreamRunner
    digests: DigestService | None = None  # when DINGTALK_DIGEST_GROUPS is set

    def start(self) -> DingTalkRuntime:
        self.stream.start()
        log.info("DingTalk: Stream mode via %s (robot %s)", self.settings.openapi_endpoint, self.settings.robot_code)
        return self

    def stop(self) -> None:
        if self.digests is not None:
            self.digests.shutdown()
        self.stream.stop()
        self.bot.close()


def create_runtime(
    settings: Settings,
    dingtalk: DingTalkSettings,
    store: KnowledgeStore,
    engine: Engine,
    retry: Retry | None = None,
    limiter: RateLimiter | None = None,
) -> DingTalkRuntime:
    ensure_tables(engine)
    claims = SlackStore(engine)  # its claim table is keyed by string; DingTalk's keys are "dingtalk:<msgId>"
    limiter = limiter or RateLimiter()  # one count per conversation, whichever way a reply goes
    replier = Replier(WebhookSender(limiter), RobotApi(dingtalk, limiter))
    bot = DingTalkBot(store, claims.claim, engine=engine, retry=retry, replier=replier)
    return DingTalkRuntime(dingtalk, bot, StreamRunner(dingtalk, bot.receive))


def check_credentials(dingtalk: DingTalkSettings) -> None:
    """Ask DingTalk for an access token once, so wrong credentials are one line at start, not a silent
    reconnect loop in the SDK."""
    try:
        RobotApi(dingtalk, timeout=10).access_token()
    except DingTalkError as exc:
        if exc.code == "connection":
            raise DingTalkStartupError(f"cannot reach DingTalk at {dingtalk.openapi_endpoint}: {exc}") from None
        raise DingTalkStartupError(
            f"DingTalk did not accept DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET ({exc.code}): "
            "copy both from the app's Credentials page in the developer console"
        ) from None


def start_digests(settings: Settings, dingtalk: DingTalkSettings) -> DigestService | None:
    """The digest scheduler for DingTalk groups (its own, beside Slack's: one ledger keeps both once)."""
    if not dingtalk.digest_groups:
        log.info("DingTalk: no DINGTALK_DIGEST_GROUPS; no digests to DingTalk")
        return None
    try:
        digest = DigestSettings.from_settings(settings)
    except ConfigError as exc:
        log.error("DingTalk digest disabled: %s", exc)
        return None
    if not digest.enabled:
        return None
    try:
        runner = DingTalkDigestRunner(
            digest,
            dingtalk,
            deadline_store(settings, digest),
            open_ledger(settings, digest),
            RobotApi(dingtalk),
            document_titles(settings),
        )
        service = DigestService(runner, digest)  # type: ignore[arg-type]  (same run() as Slack's runner)
        service.start()
        return service
    except Exception:
        log.exception("DingTalk digest could not start")
        return None


def start(
    settings: Settings, dingtalk: DingTalkSettings, store: KnowledgeStore, engine: Engine, *, digests: bool = True
) -> DingTalkRuntime:
    """Check the credentials, connect, and start the digests; DingTalkStartupError (one line) if it cannot."""
    check_credentials(dingtalk)
    runtime = create_runtime(settings, dingtalk, store, engine).start()
    if digests:
        runtime.digests = start_digests(settings, dingtalk)
    return runtime

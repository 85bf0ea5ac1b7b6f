"""Everything DingTalk needs in `serve`, built from the settings: the bot, its Stream connection, digests."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.chat.core import ChatCore
from bot.config import ConfigError, DingTalkSettings, Settings
from bot.dingtalk.adapter import PLATFORM, DingTalkAdapter
from bot.dingtalk.api import DingTalkError
from bot.dingtalk.digest import DingTalkDigestRunner
from bot.dingtalk.ratelimit import RateLimiter
from bot.dingtalk.reply import Replier
from bot.dingtalk.robot import RobotApi
from bot.dingtalk.settings import check_dingtalk_settings
from bot.dingtalk.stream import StreamRunner
from bot.dingtalk.webhook import WebhookSender
from bot.schedule.factory import deadline_store, document_titles, open_ledger
from bot.schedule.scheduler import DigestService
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)


class DingTalkStartupError(RuntimeError):
    """DingTalk cannot start; the message is one line for the operator."""


@dataclass
class DingTalkRuntime:
    settings: DingTalkSettings
    adapter: DingTalkAdapter
    stream: StreamRunner
    digests: DigestService | None = None  # when DINGTALK_DIGEST_GROUPS is set

    def start(self) -> DingTalkRuntime:
        self.stream.start()
        log.info("DingTalk: Stream mode via %s (robot %s)", self.settings.openapi_endpoint, self.settings.robot_code)
        return self

    def health(self) -> dict[str, Any]:
        return {"status": "ok" if self.stream.running else "stopped", "mode": "stream", **self.stream.state()}

    def stop(self) -> None:
        """Stop receiving and the digests; the shared core is closed by whoever built it."""
        if self.digests is not None:
            self.digests.shutdown()
        self.stream.stop()


def create_runtime(dingtalk: DingTalkSettings, core: ChatCore, limiter: RateLimiter | None = None) -> DingTalkRuntime:
    """DingTalk on the shared core: its replies go through the core's outbox, its claims in its tables."""
    limiter = limiter or RateLimiter()  # one count per conversation, whichever way a reply goes
    adapter = DingTalkAdapter(core, Replier(WebhookSender(limiter), RobotApi(dingtalk, limiter)))
    core.conversation.admins[PLATFORM] = dingtalk.admins
    return DingTalkRuntime(dingtalk, adapter, StreamRunner(dingtalk, adapter.receive))


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


def start(settings: Settings, core: ChatCore, *, digests: bool = True) -> DingTalkRuntime:
    """Check the credentials and register on the core (connecting is `runtime.start`); the group digests
    of DINGTALK_DIGEST_GROUPS. DingTalkStartupError (one line) if DingTalk refuses."""
    dingtalk = check_dingtalk_settings(settings)
    check_credentials(dingtalk)
    runtime = create_runtime(dingtalk, core)
    if digests:
        runtime.digests = start_digests(settings, dingtalk)
    return runtime

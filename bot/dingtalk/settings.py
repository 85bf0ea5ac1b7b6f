"""Whether DingTalk is configured, and its settings checked: light (bot.config only), so that `serve`
deciding which platforms to start never loads the DingTalk SDK for a deployment without DingTalk."""

from __future__ import annotations

from bot.config import ConfigError, DingTalkSettings, Settings


def wanted(settings: Settings) -> bool:
    """Any DingTalk credential present: DingTalk is meant to run (and a missing one is an error)."""
    return any((settings.env.get(name) or "").strip() for name in ("DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET"))


def check_dingtalk_settings(settings: Settings) -> DingTalkSettings:
    """DingTalk's settings, or ConfigError with one line for the first missing or wrong one."""
    dingtalk = DingTalkSettings.from_env(settings.env)
    if dingtalk is None:
        raise ConfigError("DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET are not set (docs/dingtalk.md)")
    return dingtalk

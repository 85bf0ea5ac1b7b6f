"""Feishu's settings checked without importing lark-oapi (a large SDK): `serve` reads these for every
start, Slack-only ones included."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.config import ConfigError, Settings

ENV_NAMES = ("FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_VERIFICATION_TOKEN", "FEISHU_ENCRYPT_KEY")


def wanted(settings: Settings) -> bool:
    """Any Feishu setting present: the operator means to run Feishu (a missing one is then an error)."""
    return any(settings.env.get(name) for name in ENV_NAMES) or bool(settings.feishu_app_id)


def check_feishu_settings(settings: Settings) -> None:
    """ConfigError (one line, saying where to find it) for the first missing or malformed setting."""
    where = {
        "FEISHU_APP_ID": ("feishu_app_id", "the app's 凭证与基础信息 (Credentials & Basic Info) page, cli_..."),
        "FEISHU_APP_SECRET": ("feishu_app_secret", "the same page, App Secret"),
        "FEISHU_VERIFICATION_TOKEN": ("feishu_verification_token", "事件与回调 > 加密策略 (Encryption strategy)"),
        "FEISHU_ENCRYPT_KEY": (
            "feishu_encrypt_key",
            "事件与回调 > 加密策略 (Encryption strategy); required: without it Feishu does not sign callbacks",
        ),
    }
    for name, (field, hint) in where.items():
        if not getattr(settings, field):
            raise ConfigError(f"{name} is not set: copy it from {hint}")
    if not (settings.feishu_app_id or "").startswith("cli_"):
        raise ConfigError(f"FEISHU_APP_ID must be an app id starting with cli_, got {settings.feishu_app_id!r}")
    url = urlsplit(settings.feishu_api_url)
    local = url.scheme == "http" and url.hostname in ("127.0.0.1", "localhost", "::1")
    if not (url.scheme == "https" or local) or not url.netloc or url.path not in ("", "/"):
        raise ConfigError(
            "FEISHU_API_URL must be an origin such as https://open.feishu.cn or https://open.larksuite.com, "
            f"got {settings.feishu_api_url!r}"
        )
    for admin in sorted(settings.feishu_admins):
        if not admin.startswith("ou_"):
            raise ConfigError(f"FEISHU_ADMINS must be open_ids such as ou_..., got {admin!r}")

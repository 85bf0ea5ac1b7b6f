"""Settings from the environment, read in one place so every entry point agrees on defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KB_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_DATABASE_URL = "sqlite:///policy_bot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_FEISHU_API_URL = "https://open.feishu.cn"  # Lark (international): https://open.larksuite.com


class ConfigError(ValueError):
    """A setting is missing or invalid; the message is one line meant for the operator."""


def _split_ids(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def _parse_port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"PORT must be a number between 1 and 65535, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"PORT must be a number between 1 and 65535, got {raw!r}")
    return port


def parse_bool(name: str, raw: str) -> bool:
    """A yes/no setting; anything unclear is an error rather than a silent default."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the defaults a local run needs (no Slack credentials)."""

    kb_dir: Path = DEFAULT_KB_DIR
    seeds_dir: Path = DEFAULT_SEEDS_DIR
    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    bot_admins: frozenset[str] = field(default_factory=frozenset)
    thread_followups: bool = True
    feishu_app_id: str | None = None
    feishu_app_secret: str | None = field(default=None, repr=False)
    feishu_verification_token: str | None = field(default=None, repr=False)
    feishu_encrypt_key: str | None = field(default=None, repr=False)
    feishu_api_url: str = DEFAULT_FEISHU_API_URL
    feishu_admins: frozenset[str] = field(default_factory=frozenset)
    env: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        api_url = env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise ConfigError(f"SLACK_API_URL must start with http:// or https://, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(
            kb_dir=Path(env.get("BOT_KB_DIR") or DEFAULT_KB_DIR),
            seeds_dir=Path(env.get("BOT_SEEDS_DIR") or DEFAULT_SEEDS_DIR),
            database_url=normalise_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=api_url,
            port=_parse_port(env.get("PORT") or "3000"),
            bot_admins=_split_ids(env.get("BOT_ADMINS", "")),
            thread_followups=parse_bool("BOT_THREAD_FOLLOWUPS", env.get("BOT_THREAD_FOLLOWUPS", "true")),
            feishu_app_id=env.get("FEISHU_APP_ID") or None,
            feishu_app_secret=env.get("FEISHU_APP_SECRET") or None,
            feishu_verification_token=env.get("FEISHU_VERIFICATION_TOKEN") or None,
            feishu_encrypt_key=env.get("FEISHU_ENCRYPT_KEY") or None,
            feishu_api_url=(env.get("FEISHU_API_URL") or DEFAULT_FEISHU_API_URL).rstrip("/"),
            feishu_admins=_split_ids(env.get("FEISHU_ADMINS", "")),
            env=env,
        )


def normalise_database_url(url: str) -> str:
    """Point plain Postgres URLs (as Heroku-style hosts give them) at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        raise ConfigError(f"DATABASE_URL must be a URL such as sqlite:///bot.db, got {url!r}")
    return url


DEFAULT_DINGTALK_ENDPOINT = "https://api.dingtalk.com"
DINGTALK_GROUPS_PREFIX = "DINGTALK_DIGEST_GROUPS_"


def _split_list(raw: str) -> tuple[str, ...]:
    """Comma-separated ids; DingTalk's openConversationIds (cid...==) never hold a comma."""
    return tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))


@dataclass(frozen=True)
class DingTalkSettings:
    """DingTalk's settings, read apart from `Settings` so that a bad DingTalk value stops only DingTalk.

    `robot_code` defaults to the client id: for an organisation's internal app the robot code is the
    app's AppKey. `digest_groups` maps a deadlines-file channel name to the group chats it posts to."""

    client_id: str
    client_secret: str
    openapi_endpoint: str = DEFAULT_DINGTALK_ENDPOINT
    robot_code: str = ""
    digest_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    admins: frozenset[str] = field(default_factory=frozenset)  # staff ids allowed `reload` and `stats`

    @classmethod
    def from_env(cls, env: dict[str, str]) -> DingTalkSettings | None:
        """None when DingTalk is not configured at all; ConfigError (one line) when half or wrongly so."""
        client_id = (env.get("DINGTALK_CLIENT_ID") or "").strip()
        secret = (env.get("DINGTALK_CLIENT_SECRET") or "").strip()
        if not client_id and not secret:
            return None
        if not client_id:
            raise ConfigError("DINGTALK_CLIENT_ID is missing (the app's Client ID), but DINGTALK_CLIENT_SECRET is set")
        if not secret:
            raise ConfigError("DINGTALK_CLIENT_SECRET is missing (the Client Secret), but DINGTALK_CLIENT_ID is set")
        endpoint = (env.get("DINGTALK_OPENAPI_ENDPOINT") or DEFAULT_DINGTALK_ENDPOINT).strip().rstrip("/")
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigError(f"DINGTALK_OPENAPI_ENDPOINT must start with http:// or https://, got {endpoint!r}")
        groups: dict[str, tuple[str, ...]] = {}
        default = _split_list(env.get("DINGTALK_DIGEST_GROUPS") or "")
        if default:
            groups["default"] = default
        for key, value in env.items():
            if key.startswith(DINGTALK_GROUPS_PREFIX) and _split_list(value):
                groups[key[len(DINGTALK_GROUPS_PREFIX) :].lower()] = _split_list(value)
        for name, ids in groups.items():
            for group in ids:
                if not group.startswith("cid") or any(ch.isspace() for ch in group) or len(group) > 150:
                    variable = "DINGTALK_DIGEST_GROUPS" if name == "default" else DINGTALK_GROUPS_PREFIX + name.upper()
                    raise ConfigError(
                        f"{variable} must list group openConversationIds (they start with cid), got {group!r}"
                    )
        return cls(
            client_id=client_id,
            client_secret=secret,
            openapi_endpoint=endpoint,
            robot_code=(env.get("DINGTALK_ROBOT_CODE") or "").strip() or client_id,
            digest_groups=groups,
            admins=_split_ids(env.get("DINGTALK_ADMINS", "")),
        )

    def groups_for(self, logical: str) -> tuple[str, ...]:
        """The group chats a deadlines-file channel name posts to (unmapped names use the default)."""
        return self.digest_groups.get(logical) or self.digest_groups.get("default", ())

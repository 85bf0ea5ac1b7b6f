"""The real Feishu app on 127.0.0.1 for end-to-end tests: what `python -m bot serve` builds for the
Feishu platform (bot/platforms.py), served by the same waitress server, talking to a FakeFeishu."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import platforms
from bot.config import Settings
from bot.slack.server import make_http_server
from tests.support import feishu_requests as fr
from tests.support.fake_feishu import FakeFeishu
from tests.support.slack_app import FAST, shipped_store

ADMIN = "ou_admin00000000000000000000000001"
_apps = itertools.count(1)


def feishu_settings(fake: FakeFeishu, database: Path, **overrides: Any) -> Settings:
    """A fresh app id each time: lark-oapi caches tenant tokens per app id for the whole process."""
    values = {
        "database_url": f"sqlite:///{database}",
        "feishu_app_id": f"cli_test{next(_apps):012d}",
        "feishu_app_secret": "secret",
        "feishu_verification_token": fr.VERIFICATION_TOKEN,
        "feishu_encrypt_key": fr.ENCRYPT_KEY,
        "feishu_api_url": fake.url,
        "feishu_admins": frozenset({ADMIN}),
    }
    return Settings(**(values | overrides))


@dataclass
class RunningFeishu:
    services: platforms.Services
    fake: FakeFeishu
    url: str
    sender: fr.FeishuSender


@contextmanager
def running_feishu(fake: FakeFeishu, database: Path, **overrides: Any) -> Iterator[RunningFeishu]:
    settings = overrides.pop("settings", None) or feishu_settings(fake, database, **overrides)
    feishu = [p for p in platforms.PLATFORMS if p.name == "feishu"]
    services = platforms.start(settings, shipped_store(), feishu, platforms.Options(timing=FAST))
    server = make_http_server(services.wsgi_app(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield RunningFeishu(services, fake, url, fr.FeishuSender(url))
    finally:
        server.shutdown()
        server.server_close()
        services.close()

"""Starting Feishu inside `serve`: settings checked, the Open API reached once (the bot's open_id, which
also proves the app id and secret), the service registered on the shared core."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.chat.core import ChatCore
from bot.config import Settings
from bot.feishu.api import FeishuError, OpenApi, make_client
from bot.feishu.http import EVENTS_PATH, make_wsgi_app
from bot.feishu.service import FeishuService


@dataclass
class FeishuRuntime:
    service: FeishuService
    api: OpenApi
    wsgi: Callable[..., Iterable[bytes]]
    path: str = EVENTS_PATH

    def health(self) -> dict[str, Any]:
        return {"status": "ok", "path": self.path, "bot_open_id": self.service.bot_open_id}


class FeishuStartupError(RuntimeError):
    """Feishu cannot start; one line for the operator."""


def start_feishu(settings: Settings, core: ChatCore, timeout: float = 10) -> FeishuRuntime:
    api = OpenApi(make_client(settings, timeout=timeout))
    try:
        bot_open_id = api.bot_open_id()
    except FeishuError as exc:
        raise FeishuStartupError(
            f"Feishu did not accept FEISHU_APP_ID/FEISHU_APP_SECRET or cannot be reached at {settings.feishu_api_url}: "
            f"{exc}"
        ) from None
    service = FeishuService(core, api, bot_open_id)
    return FeishuRuntime(service, api, make_wsgi_app(settings, service))

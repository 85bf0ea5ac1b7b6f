"""POST /feishu/events: Feishu's event and card callbacks, through the gate (bot/feishu/gate.py) to
lark-oapi's dispatcher, which decrypts, checks the verification token and calls our handlers.

One URL serves both kinds: set it as the event request URL and as the card callback URL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import lark_oapi as lark
from lark_oapi.core.model import RawRequest

from bot.chat.request_body import Rejected, read_body
from bot.config import Settings
from bot.feishu.gate import verify
from bot.feishu.service import FeishuService

log = logging.getLogger(__name__)

EVENTS_PATH = "/feishu/events"
StartResponse = Callable[..., Any]


def make_dispatcher(settings: Settings, service: FeishuService) -> lark.EventDispatcherHandler:
    return (
        lark.EventDispatcherHandler.builder(settings.feishu_encrypt_key or "", settings.feishu_verification_token or "")
        .register_p2_im_message_receive_v1(service.on_message)
        .register_p2_card_action_trigger(service.on_card_action)
        .build()
    )


def make_wsgi_app(settings: Settings, service: FeishuService) -> Callable[..., Iterable[bytes]]:
    dispatcher = make_dispatcher(settings, service)
    encrypt_key = settings.feishu_encrypt_key or ""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, 404, b"Not Found", "text/plain")
        try:
            body = read_body(environ)
            headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
            verify(headers, body, encrypt_key, time.time())
        except Rejected as rejected:
            log.info("rejected a request to %s: %d %s", EVENTS_PATH, rejected.status, rejected.reason)
            return _reply(start_response, rejected.status, rejected.reason.encode(), "text/plain")
        request = RawRequest()
        request.uri = EVENTS_PATH
        request.body = body
        request.headers = {_sdk_header(name): value for name, value in headers.items()}
        response = dispatcher.do(request)
        content_type = (response.headers or {}).get("Content-Type", "application/json")
        return _reply(start_response, response.status_code or 500, response.content or b"", content_type)

    return application


def _sdk_header(name: str) -> str:
    """The SDK reads headers by their canonical names (X-Lark-Signature)."""
    return "-".join(part.capitalize() for part in name.split("-"))


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
}


def _reply(start_response: StartResponse, status: int, body: bytes, content_type: str) -> Iterable[bytes]:
    start_response(
        f"{status} {_REASONS.get(status, 'Status')}",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
    )
    return [body]

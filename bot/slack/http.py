"""HTTP mode: the WSGI application in front of bolt, and the production server (waitress) that runs it.

Every POST to /slack/events passes a gate before bolt sees it, cheapest check first:

1. size: a body over `MAX_BODY_BYTES` is answered 413 without being read (waitress refuses it while
   parsing the headers; the gate checks `Content-Length` again for any other WSGI server);
2. signature: Slack's `v0` HMAC of `v0:{timestamp}:{body}` and a timestamp within five minutes, else
   401. Nothing is parsed before this, and nothing of the body is ever logged;
3. shape: UTF-8, a JSON object (or a form whose `payload` is one) of a kind Slack sends, else 400.

Only then does bolt dispatch it. Our listeners only route and enqueue (see `bot/slack/work.py`), so
the answer to Slack (the ack) never waits for an answer to the user.

Why waitress: pure Python (installs from PyPI anywhere `pip` does, Windows included), one process with
a thread pool, so the in-process work queue, outbox deliverer and digest scheduler are not forked into
copies the way gunicorn's pre-fork workers would be; it buffers each request in its I/O loop before a
worker thread sees it, so slow or half-sent requests hold no thread and time out (`channel_timeout`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.chat.request_body import MAX_BODY_BYTES, Rejected, read_body

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

READ_TIMEOUT = 10  # seconds a connection may stay idle (a half-sent request included) before it is closed
HTTP_THREADS = 16  # WSGI threads: the gate and the ack only, so a few are plenty
CONNECTION_LIMIT = 1000
SIGNATURE_MAX_AGE = 5 * 60  # seconds, as Slack recommends (replays of older requests are refused)

# Payload types Slack sends to the request URL (Events API, interactivity, slash commands have none).
EVENT_TYPES = frozenset({"event_callback", "url_verification", "app_rate_limited"})
INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "workflow_step_edit",
    }
)

Health = Callable[[], tuple[bool, dict[str, Any]]]
StartResponse = Callable[..., Any]


_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _status(code: int) -> str:
    return f"{code} {_STATUS_TEXT.get(code, 'Status')}"


# ---------------------------------------------------------------------------- the gate


def verify_signature(secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float) -> None:
    """Raise Rejected(401) unless `signature` is Slack's v0 signature of this body and timestamp."""
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise Rejected(401, "missing or malformed signature headers")
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE:
        raise Rejected(401, "stale timestamp")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Rejected(401, "invalid signature")


def check_payload(text: str, content_type: str) -> dict[str, Any]:
    """The parsed payload if it has a shape Slack sends; Rejected(400) otherwise."""
    if "application/x-www-form-urlencoded" in content_type:
        try:
            form = {
                key: values[-1] for key, values in parse_qs(text, keep_blank_values=True, strict_parsing=True).items()
            }
        except ValueError:
            raise Rejected(400, "malformed form body") from None
        if "payload" in form:
            payload = _json_object(form["payload"])
            if not isinstance(payload.get("type"), str) or payload["type"] not in INTERACTIVE_TYPES:
                raise Rejected(400, "unknown interactive payload type")
            _check_interactive(payload)
            return payload
        if form.get("ssl_check") == "1":
            return form
        if not form.get("command", "").startswith("/"):
            raise Rejected(400, "a form without a command or payload")
        return form
    payload = _json_object(text)
    kind = payload.get("type")
    if kind not in EVENT_TYPES:
        raise Rejected(400, "unknown payload type")
    if kind == "url_verification" and not isinstance(payload.get("challenge"), str):
        raise Rejected(400, "url_verification without a challenge")
    if kind == "event_callback":
        event = payload.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise Rejected(400, "event_callback without an event")
        if not isinstance(payload.get("event_id"), str):
            raise Rejected(400, "event_callback without an event_id")
        for key in ("user", "channel", "ts", "thread_ts", "text", "channel_type", "subtype", "bot_id"):
            if key in event and event[key] is not None and not isinstance(event[key], str):
                raise Rejected(400, f"event.{key} is not a string")
    return payload


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Rejected(400, "body is not JSON") from None
    if not isinstance(value, dict):
        raise Rejected(400, "body is not a JSON object")
    return value


def _check_interactive(payload: dict[str, Any]) -> None:
    for key in ("user", "channel", "container", "team", "view", "message"):
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            raise Rejected(400, f"{key} is not an object")
    actions = payload.get("actions")
    if actions is not None and (not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions)):
        raise Rejected(400, "actions is not a list of objects")


# ---------------------------------------------------------------------------- the WSGI application


def make_wsgi_app(app: App, health: Health, signing_secret: str) -> Callable[..., Iterable[bytes]]:
    """POST /slack/events through the gate to bolt, GET /healthz to `health`, anything else 404."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        method = environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _health(health, start_response)
        if path != EVENTS_PATH or method != "POST":
            return _plain(start_response, 404, "Not Found")
        try:
            return _slack(app, signing_secret, environ, start_response)
        except Rejected as rejected:
            log.info("rejected a request to %s: %d %s", EVENTS_PATH, rejected.status, rejected.reason)
            return _plain(start_response, rejected.status, _STATUS_TEXT.get(rejected.status, "Rejected"))

    return application


def _slack(app: App, secret: str, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    body = read_body(environ)
    verify_signature(
        secret, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"), environ.get("HTTP_X_SLACK_SIGNATURE"), time.time()
    )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None
    check_payload(text, environ.get("CONTENT_TYPE") or "")
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    headers["content-type"] = environ.get("CONTENT_TYPE") or ""
    response = app.dispatch(BoltRequest(body=text, query=environ.get("QUERY_STRING") or "", headers=headers))
    payload = (response.body or "").encode()
    out = [(name, value) for name, values in response.headers.items() for value in values if name != "content-length"]
    out.append(("content-length", str(len(payload))))
    start_response(_status(response.status), out)
    return [payload]


def _health(health: Health, start_response: StartResponse) -> Iterable[bytes]:
    try:
        ok, report = health()
    except Exception as exc:  # a health check must answer, not crash
        ok, report = False, {"error": repr(exc)}
    body = json.dumps({"ok": ok, **report}, ensure_ascii=False).encode()
    start_response(
        _status(200 if ok else 503), [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _plain(start_response: StartResponse, status: int, text: str) -> Iterable[bytes]:
    body = text.encode()
    start_response(_status(status), [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


# ---------------------------------------------------------------------------- the server


class HttpServer:
    """waitress on (host, port) with the limits above; `serve_forever()` / `shutdown()` like socketserver."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], host: str, port: int) -> None:
        from waitress.server import create_server

        self._server = create_server(
            wsgi_app,
            host=host,
            port=port,
            threads=HTTP_THREADS,
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=64 * 1024,
            channel_timeout=READ_TIMEOUT,
            cleanup_interval=2,
            connection_limit=CONNECTION_LIMIT,
            backlog=1024,
            ident=None,
            expose_tracebacks=False,
            clear_untrusted_proxy_headers=True,
        )
        self.server_port = int(self._server.effective_port)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._serving = False
        self._closed = False

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        from waitress import wasyncore

        self._serving = True
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=poll_interval, map=self._server._map, use_poll=True, count=1)
        finally:
            self._close()
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        if self._serving:
            # Wakes the loop; a loop that saw the stop first has already closed the trigger.
            with contextlib.suppress(OSError):
                self._server.pull_trigger()
            self._stopped.wait(timeout=30)

    def server_close(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # Worker threads first: one finishing a request pulls the trigger, which must still be open.
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        for channel in list(self._server._map.values()):
            with contextlib.suppress(OSError):
                channel.close()

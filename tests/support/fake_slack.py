"""A local stand-in for Slack's Web API, the way bolt-python's own tests do it.

A real `ThreadingHTTPServer` on 127.0.0.1 (a free port) answers Web API calls with plausible
`{"ok": true, ...}` payloads and records every request, so a test points `SLACK_API_URL` (or a
WebClient's `base_url`) at `fake.url` and asserts on what Slack would have received. Per method it
can be scripted to fail: a 429 with `Retry-After`, a 5xx, or `{"ok": false, "error": ...}`.

It also accepts the POSTs bolt's `respond()` makes to a slash command's or an action's
`response_url`: use `fake.response_url("any-id")` as that URL; they are recorded under the method
name `response_url`.

    fake = FakeSlack().start()
    fake.rate_limit("chat.postMessage", retry_after=1)      # the next call gets one 429
    fake.fail("chat.postMessage", status=500, times=2)      # then two 500s
    fake.error("chat.postMessage", "channel_not_found")     # then one ok:false
    ...
    [call] = fake.wait_for("chat.postMessage", count=1)
    assert call.body["thread_ts"] == "1700000000.000100"
    fake.stop()
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

RESPONSE_URL_METHOD = "response_url"
BOT_USER_ID = "UBOTFAKE01"
BOT_ID = "BBOTFAKE01"
TEAM_ID = "TFAKE0001"
# Form-encoded Web API calls carry these as JSON strings; decode them so tests can assert on structure.
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata")


@dataclass(frozen=True)
class Call:
    """One request the fake received (a Web API method call or a response_url post)."""

    method: str  # "chat.postMessage", or "response_url"
    path: str  # the full request path, e.g. "/api/chat.postMessage" or "/response/abc"
    http_method: str  # "POST" / "GET"
    body: dict[str, Any]  # parsed JSON or form body, merged with query parameters
    headers: dict[str, str]  # header names lower-cased
    status: int  # the HTTP status the fake answered with
    reply: dict[str, Any]  # the JSON the fake answered with
    at: float  # time.monotonic() when it arrived

    @property
    def ok(self) -> bool:
        """The call succeeded from the client's point of view (HTTP 200 and `ok: true`)."""
        return self.status == 200 and bool(self.reply.get("ok"))

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[len("Bearer ") :] if auth.startswith("Bearer ") else self.body.get("token")


@dataclass
class Scripted:
    """A canned reply for the next `times` calls of one method (`times=None`: every call)."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1


Handler = Callable[[Call], dict[str, Any]]


class FakeSlack:
    """Slack's Web API on 127.0.0.1; thread-safe recording, scripted failures per method."""

    def __init__(self, require_token: bool = True, latency: float = 0.0) -> None:
        self.require_token = require_token
        self.latency = latency  # seconds each call takes (to model a slow Slack)
        self._calls: list[Call] = []
        self._scripts: dict[str, list[Scripted]] = {}
        self._handlers: dict[str, Handler] = {}
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeSlack:
        fake = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "call start() first"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The Web API base URL (ends with '/'), for SLACK_API_URL or WebClient(base_url=...)."""
        return f"{self.base}/api/"

    def response_url(self, key: str = "r1") -> str:
        """A URL to put in a slash command's or action's `response_url`; posts to it are recorded."""
        return f"{self.base}/response/{key}"

    # ----------------------------------------------------------------- scripting

    def script(self, method: str, reply: Scripted) -> None:
        """Queue a canned reply for `method`; queued replies are used in order, then the default."""
        with self._cond:
            self._scripts.setdefault(method, []).append(reply)

    def rate_limit(self, method: str, retry_after: int = 1, times: int | None = 1) -> None:
        self.script(
            method,
            Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}, times),
        )

    def fail(self, method: str, status: int = 500, times: int | None = 1) -> None:
        self.script(method, Scripted(status, {"ok": False, "error": "internal_error"}, {}, times))

    def error(self, method: str, error: str = "channel_not_found", times: int | None = 1) -> None:
        self.script(method, Scripted(200, {"ok": False, "error": error}, {}, times))

    def on(self, method: str, handler: Handler) -> None:
        """Compute the success payload of `method` yourself (`{"ok": True}` is added if missing)."""
        with self._cond:
            self._handlers[method] = handler

    def reset(self) -> None:
        """Forget recorded calls and scripted replies."""
        with self._cond:
            self._calls.clear()
            self._scripts.clear()
            self._handlers.clear()

    # ----------------------------------------------------------------- assertions

    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if c.method == method and (c.ok or not ok_only)]

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0, *, ok_only: bool = True) -> list[Call]:
        """Block until at least `count` calls to `method` arrived (successful ones by default).

        Raises AssertionError on timeout, naming what did arrive, so a failing test says why."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method and (c.ok or not ok_only)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(found)} within {timeout}s; all calls: {seen}"
                    )
                self._cond.wait(remaining)

    def assert_quiet(self, method: str, within: float = 0.3) -> None:
        """Assert no (further) call to `method` arrives within `within` seconds."""
        before = len(self.calls_to(method))
        time.sleep(within)
        after = self.calls_to(method)
        assert len(after) == before, f"unexpected call(s) to {method}: {[c.body for c in after[before:]]}"

    # ----------------------------------------------------------------- serving

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        split = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in request.headers.items()}
        body = _parse_body(raw, headers.get("content-type", ""))
        for key, value in parse_qsl(split.query, keep_blank_values=True):
            body.setdefault(key, value)
        method = RESPONSE_URL_METHOD if split.path.startswith("/response/") else split.path.rsplit("/", 1)[-1]

        if self.latency:
            time.sleep(self.latency)
        status, reply, extra_headers = self._reply(method, body, headers)
        call = Call(method, request.path, request.command, body, headers, status, reply, time.monotonic())

        # Recorded before the reply is written: once a client has its answer, the call is visible here.
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
        payload = json.dumps(reply).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        for key, value in extra_headers.items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(payload)

    def _reply(
        self, method: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._cond:
            queue = self._scripts.get(method)
            if queue:
                scripted = queue[0]
                if scripted.times is not None:
                    scripted.times -= 1
                    if scripted.times <= 0:
                        queue.pop(0)
                return (
                    scripted.status,
                    dict(scripted.body or {"ok": scripted.status == 200}),
                    scripted.headers,
                )
            handler = self._handlers.get(method)
        if method != RESPONSE_URL_METHOD and self.require_token and not _has_token(headers, body):
            return 200, {"ok": False, "error": "not_authed"}, {}
        if handler is not None:
            provisional = Call(method, "", "POST", body, headers, 200, {}, time.monotonic())
            return 200, {"ok": True, **handler(provisional)}, {}
        return 200, self._default_payload(method, body), {}

    def _next_ts(self) -> str:
        with self._cond:
            n = next(self._ts)
        return f"{1_700_000_000 + n // 1_000_000}.{n % 1_000_000:06d}"

    def _default_payload(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        channel = body.get("channel", "C0FAKE0001")
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake-workspace.slack.com/",
                "team": "Fake Workspace",
                "user": "policybot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.scheduleMessage"):
            ts = self._next_ts()
            message = {k: body[k] for k in ("text", "blocks", "thread_ts") if k in body}
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "message": {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, **message},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            return {
                "ok": True,
                "channel": channel,
                "ts": body.get("ts", self._next_ts()),
                "text": body.get("text"),
            }
        if method == "chat.delete":
            return {"ok": True, "channel": channel, "ts": body.get("ts")}
        if method in ("views.publish", "views.open", "views.update", "views.push"):
            view = body.get("view") if isinstance(body.get("view"), dict) else {}
            return {"ok": True, "view": {"id": "VFAKE0001", **view}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "DFAKE0001"}}
        if method == "conversations.replies":
            return {"ok": True, "messages": [], "has_more": False}
        if method == "users.info":
            user = body.get("user", "U0FAKE0001")
            return {"ok": True, "user": {"id": user, "name": user.lower(), "is_bot": False}}
        if method == "bots.info":
            return {"ok": True, "bot": {"id": body.get("bot", BOT_ID), "user_id": BOT_USER_ID}}
        return {"ok": True}


def _has_token(headers: dict[str, str], body: dict[str, Any]) -> bool:
    return headers.get("authorization", "").startswith("Bearer ") or bool(body.get("token"))


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return {"_raw": text}
        return parsed if isinstance(parsed, dict) else {"_json": parsed}
    body: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_FIELDS:
        value = body.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(json.JSONDecodeError):
                body[key] = json.loads(value)
    return body

"""A local stand-in for Feishu's Open API: a real ThreadingHTTPServer on 127.0.0.1 that lark-oapi's
client talks to when its `domain` (FEISHU_API_URL) is `fake.url`.

It issues tenant_access_tokens (and refuses calls without one), answers bot/v3/info, and records
replies and messages. Like Feishu, it keeps each request `uuid`: a second message with a uuid it has
seen is answered with the first message and not posted again (`posted()` counts what people see).
Scripted failures: `rate_limit(kind, reset)` answers the next call of that kind with a 429 and
`x-ogw-ratelimit-reset`; `error(kind, code)` with a business error.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_OPEN_ID = "ou_bot00000000000000000000000000000"
TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"


@dataclass(frozen=True)
class Call:
    kind: str  # "token", "bot_info", "reply", "send"
    path: str
    body: dict[str, Any]
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    at: float
    message_id: str | None = None  # the id of the message the fake answered with
    new: bool = False  # a message people see (not a uuid repeat, not a failure)

    @property
    def card(self) -> dict[str, Any]:
        return json.loads(self.body.get("content") or "{}")


class FakeFeishu:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self._calls: list[Call] = []
        self._scripts: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._uuids: dict[str, str] = {}
        self._tokens: set[str] = set()
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeFeishu:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ----------------------------------------------------------------- scripting

    def rate_limit(self, kind: str, reset: int = 1, times: int = 1) -> None:
        body = {"code": 99991400, "msg": "request trigger frequency limit"}
        self._script(kind, [(429, body, {"x-ogw-ratelimit-reset": str(reset)})] * times)

    def error(self, kind: str, code: int = 230002, msg: str = "Bot/User can NOT be out of the chat.") -> None:
        self._script(kind, [(400, {"code": code, "msg": msg}, {})])

    def _script(self, kind: str, replies: list[tuple[int, dict[str, Any], dict[str, str]]]) -> None:
        with self._cond:
            self._scripts.setdefault(kind, []).extend(replies)

    # ----------------------------------------------------------------- assertions

    def calls(self, kind: str | None = None) -> list[Call]:
        with self._cond:
            return [call for call in self._calls if kind is None or call.kind == kind]

    def posted(self, kind: str | None = None) -> list[Call]:
        """Messages people see: successful replies/sends, a uuid repeat counted once."""
        return [call for call in self.calls(kind) if call.new]

    def wait_for_posts(self, count: int = 1, kind: str | None = None, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len([c for c in self._calls if c.new and (kind is None or c.kind == kind)]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.kind, c.status) for c in self._calls]
                    raise AssertionError(
                        f"expected {count} posted {kind or 'message'}(s) within {timeout} s; saw {seen}"
                    )
                self._cond.wait(left)
            return [c for c in self._calls if c.new and (kind is None or c.kind == kind)]

    def assert_quiet(self, within: float, kind: str | None = None) -> None:
        before = len(self.posted(kind))
        time.sleep(within)
        assert len(self.posted(kind)) == before, f"unexpected posts: {self.posted(kind)[before:]}"

    # ----------------------------------------------------------------- serving

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else {}
        headers = {name.lower(): value for name, value in request.headers.items()}
        kind = self._kind(request.command, parts.path)
        if self.latency and kind in ("reply", "send"):
            time.sleep(self.latency)
        status, reply, extra, message_id, new = self._answer(kind, parts.path, body, headers)
        call = Call(
            kind, parts.path, body, dict(parse_qsl(parts.query)), headers, status, time.monotonic(), message_id, new
        )
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
        data = json.dumps(reply).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    @staticmethod
    def _kind(method: str, path: str) -> str:
        if path == TOKEN_PATH:
            return "token"
        if path == "/open-apis/bot/v3/info":
            return "bot_info"
        if path.startswith("/open-apis/im/v1/messages/") and path.endswith("/reply"):
            return "reply"
        if path == "/open-apis/im/v1/messages" and method == "POST":
            return "send"
        return "unknown"

    def _answer(
        self, kind: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str], str | None, bool]:
        if kind == "token":
            token = f"t-fake-{next(self._ids)}"
            with self._cond:
                self._tokens.add(token)
            return 200, {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200}, {}, None, False
        if kind == "unknown":
            return 404, {"code": 404, "msg": "not found"}, {}, None, False
        token = headers.get("authorization", "").removeprefix("Bearer ")
        with self._cond:
            if token not in self._tokens:
                return 401, {"code": 99991663, "msg": "Invalid access token for authorization."}, {}, None, False
            scripted = self._scripts.get(kind) or []
            if scripted:
                status, reply, extra = scripted.pop(0)
                return status, reply, extra, None, False
        if kind == "bot_info":
            return (
                200,
                {"code": 0, "msg": "ok", "bot": {"open_id": BOT_OPEN_ID, "app_name": "policy-bot"}},
                {},
                None,
                False,
            )
        uuid = body.get("uuid")
        with self._cond:
            known = self._uuids.get(uuid) if uuid else None
            message_id = known or f"om_fake{next(self._ids):027d}"
            if uuid and not known:
                self._uuids[uuid] = message_id
        data = {"message_id": message_id, "msg_type": body.get("msg_type")}
        if kind == "reply":
            data["parent_id"] = path.split("/")[-2]
        return 200, {"code": 0, "msg": "success", "data": data}, {}, message_id, known is None

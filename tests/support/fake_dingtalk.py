"""A local stand-in for DingTalk: the Stream gateway, its WebSocket, sessionWebhooks and the robot OpenAPI.

- `POST /v1.0/gateway/connections/open` checks the app's credentials and answers with the WebSocket
  endpoint and a one-time ticket, as DingTalk does; point DINGTALK_OPENAPI_ENDPOINT at `fake.url`.
- The WebSocket speaks the SDK's JSON frames: `push()` sends a CALLBACK frame on
  /v1.0/im/bot/messages/get to a connected client; the client's ACK frames are recorded.
- `fake.webhook_url(name)` is a sessionWebhook: each POST is recorded and answered `{"errcode": 0}`.
- `POST /v1.0/oauth2/accessToken`, `POST /v1.0/robot/groupMessages/send` and
  `POST /v1.0/robot/oToMessages/batchSend` (these two check the token). Webhooks and the robot API
  enforce DingTalk's 20 messages a minute (a 21st within the window gets errcode 130101 / HTTP 429),
  and can be scripted to be "too fast" for the next calls.

    fake = FakeDingTalk().start()
    fake.push(chatbot_payload("天津技改补贴多少", webhook=fake.webhook_url("s1")))
    [call] = fake.wait_for("webhook", 1)
    fake.stop()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

CLIENT_ID = "dingfakeclientid"
CLIENT_SECRET = "fake-secret"
ROBOT_CODE = CLIENT_ID
TOPIC = "/v1.0/im/bot/messages/get"
PER_MINUTE = 20


@dataclass(frozen=True)
class Call:
    kind: str  # "open", "token", "group_send", "private_send", "webhook"
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    status: int
    reply: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.reply.get("errcode", 0) == 0


def chatbot_payload(
    text: str,
    *,
    webhook: str,
    group: bool = True,
    msg_id: str | None = None,
    sender: str = "user001",
    nick: str = "张三",
    conversation: str = "cidGroupFake001==",
    at_bot: bool = True,
    expires_in: float = 5400,
) -> dict[str, Any]:
    """What DingTalk puts in a ChatbotMessage frame's `data` (field names as in its documentation)."""
    return {
        "conversationId": conversation if group else f"cidPrivate{sender}==",
        "atUsers": [{"dingtalkId": "$:LWCP_v1:$botfake"}] if group and at_bot else [],
        "chatbotCorpId": "dingcorpfake",
        "chatbotUserId": "$:LWCP_v1:$botfake",
        "msgId": msg_id or f"msg{uuid.uuid4().hex[:20]}",
        "senderNick": nick,
        "isAdmin": False,
        "senderStaffId": sender,
        "sessionWebhookExpiredTime": int((time.time() + expires_in) * 1000),
        "createAt": int(time.time() * 1000),
        "senderCorpId": "dingcorpfake",
        "conversationType": "2" if group else "1",
        "senderId": f"$:LWCP_v1:${sender}",
        "conversationTitle": "产业政策交流群" if group else None,
        "isInAtList": bool(group and at_bot),
        "sessionWebhook": webhook,
        "text": {"content": text},
        "robotCode": ROBOT_CODE,
        "msgtype": "text",
    }


class FakeDingTalk:
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET, window: float = 60.0) -> None:
        self.window = window  # DingTalk's is a minute; tests of the limit shrink it
        self.client_id = client_id
        self.client_secret = client_secret
        self.calls: list[Call] = []
        self.acks: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self._tickets: set[str] = set()
        self._sent: dict[str, deque[float]] = {}  # per robot / webhook: times of accepted messages
        self._too_fast = 0  # the next N sends answer "too fast" whatever the count
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._http: ThreadingHTTPServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ws_server: Any = None
        self.ws_port = 0

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def webhook_url(self, session: str) -> str:
        return f"{self.url}/robot/sendBySession?session={session}"

    def start(self) -> FakeDingTalk:
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="fake-dingtalk-http"
        ).start()
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run_ws, args=(ready,), daemon=True, name="fake-dingtalk-ws").start()
        if not ready.wait(10):
            raise RuntimeError("the fake DingTalk WebSocket did not start")
        return self

    def _run_ws(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)

        async def begin() -> None:
            self._ws_server = await serve(self._serve_connection, "127.0.0.1", 0)
            self.ws_port = self._ws_server.sockets[0].getsockname()[1]
            ready.set()

        self._loop.run_until_complete(begin())
        self._loop.run_forever()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        if self._loop is not None and self._ws_server is not None:

            async def end() -> None:
                self._ws_server.close()
                await self._ws_server.wait_closed()

            asyncio.run_coroutine_threadsafe(end(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    # ------------------------------------------------------------------ the WebSocket

    async def _serve_connection(self, connection: ServerConnection) -> None:
        query = dict(parse_qsl(urlsplit(connection.request.path if connection.request else "").query))
        with self._cond:
            if query.get("ticket") not in self._tickets:
                await connection.close(code=4001, reason="bad ticket")
                return
            self._tickets.discard(query["ticket"])
            self.connections.append(connection)
            self._cond.notify_all()
        try:
            async for raw in connection:
                with self._cond:
                    self.acks.append(json.loads(raw))
                    self._cond.notify_all()
        except ConnectionClosed:
            pass  # the client went away (a bot process stopped): DingTalk would simply drop it too
        finally:
            with self._cond:
                if connection in self.connections:
                    self.connections.remove(connection)

    def wait_connected(self, count: int = 1, timeout: float = 15) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.connections) >= count, timeout):
                raise AssertionError(f"{len(self.connections)} of {count} stream clients connected")

    def push(self, data: dict[str, Any], *, connection: int = 0, message_id: str | None = None) -> str:
        """Send a ChatbotMessage frame to one connected client; returns the frame's messageId."""
        message_id = message_id or f"frame-{next(self._ids)}"
        frame = {
            "specVersion": "1.0",
            "type": "CALLBACK",
            "headers": {
                "appId": "fake-app",
                "connectionId": f"conn-{connection}",
                "contentType": "application/json",
                "messageId": message_id,
                "time": str(int(time.time() * 1000)),
                "topic": TOPIC,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }
        with self._cond:
            target = self.connections[connection]
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(target.send(json.dumps(frame, ensure_ascii=False)), self._loop).result(10)
        return message_id

    def wait_acks(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.acks) >= count, timeout):
                raise AssertionError(f"{len(self.acks)} of {count} ACK frames arrived")
            return list(self.acks)

    # ------------------------------------------------------------------ HTTP calls

    def too_fast(self, times: int = 1) -> None:
        """The next `times` sends (webhook or robot API) are refused as DingTalk's rate limit."""
        with self._cond:
            self._too_fast += times

    def record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def of(self, kind: str, ok: bool | None = None) -> list[Call]:
        with self._cond:
            return [call for call in self.calls if call.kind == kind and (ok is None or call.ok == ok)]

    def wait_for(self, kind: str, count: int, timeout: float = 15, ok: bool | None = True) -> list[Call]:
        with self._cond:
            found = self._cond.wait_for(lambda: len(self.of(kind, ok)) >= count, timeout)
            calls = self.of(kind, ok)
        if not found:
            raise AssertionError(f"{len(calls)} of {count} {kind} calls arrived: {calls}")
        return calls

    def admit(self, key: str) -> bool:
        """Whether DingTalk would take one more message from `key` now (20 a minute, or scripted)."""
        with self._cond:
            if self._too_fast > 0:
                self._too_fast -= 1
                return False
            now = time.monotonic()
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - self.window:
                sent.popleft()
            if len(sent) >= PER_MINUTE:
                return False
            sent.append(now)
            return True

    def ticket(self) -> str:
        ticket = uuid.uuid4().hex
        with self._cond:
            self._tickets.add(ticket)
        return ticket


def _handler(fake: FakeDingTalk) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
            except ValueError:
                body = {}
            headers = {name.lower(): value for name, value in self.headers.items()}
            path = urlsplit(self.path).path
            kind, status, reply = self.route(path, body, headers)
            fake.record(Call(kind, self.path, body, headers, status, reply, time.monotonic()))
            data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def route(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[str, int, dict[str, Any]]:
            if path == "/v1.0/gateway/connections/open":
                if body.get("clientId") != fake.client_id or body.get("clientSecret") != fake.client_secret:
                    return "open", 401, {"code": "InvalidAuthentication", "message": "bad client id or secret"}
                return "open", 200, {"endpoint": f"ws://127.0.0.1:{fake.ws_port}/connect", "ticket": fake.ticket()}
            if path == "/v1.0/oauth2/accessToken":
                if body.get("appKey") != fake.client_id or body.get("appSecret") != fake.client_secret:
                    return "token", 400, {"code": "invalidClientIdOrSecret", "message": "bad appKey or appSecret"}
                return "token", 200, {"accessToken": "fake-access-token", "expireIn": 7200}
            if path == "/v1.0/robot/groupMessages/send":
                if headers.get("x-acs-dingtalk-access-token") != "fake-access-token":
                    return "group_send", 401, {"code": "InvalidAuthentication", "message": "bad token"}
                if not fake.admit(f"robot:{body.get('robotCode')}"):
                    return "group_send", 429, {"code": "Throttling.Api", "message": "send too fast"}
                return "group_send", 200, {"processQueryKey": f"pqk-{next(fake._ids)}"}
            if path == "/v1.0/robot/oToMessages/batchSend":
                if headers.get("x-acs-dingtalk-access-token") != "fake-access-token":
                    return "private_send", 401, {"code": "InvalidAuthentication", "message": "bad token"}
                if not fake.admit(f"robot:{body.get('robotCode')}:{body.get('userIds')}"):
                    return "private_send", 429, {"code": "Throttling.Api", "message": "send too fast"}
                return "private_send", 200, {"processQueryKey": f"pqk-{next(fake._ids)}"}
            if path == "/robot/sendBySession":
                if not fake.admit(f"robot:{ROBOT_CODE}:{self.path}"):
                    return "webhook", 200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
                return "webhook", 200, {"errcode": 0, "errmsg": "ok"}
            return "unknown", 404, {"code": "NotFound", "message": path}

    return Handler

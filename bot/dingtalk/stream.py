"""Receiving: the official `dingtalk-stream` SDK in Stream mode, in a thread of its own.

The SDK opens a connection (POST {endpoint}/v1.0/gateway/connections/open with the app's credentials
and its subscriptions, answered with a WebSocket endpoint and a ticket), then reads JSON frames and
sends an ACK for each. A ChatbotMessage arrives as a CALLBACK frame on /v1.0/im/bot/messages/get.

`process` only hands the parsed message to `on_message` (which records it and queues the work) and
acks: DingTalk redelivers a message it thinks was not handled in time, so the ack must be quick, and
an error (the database is down) is acked with 500 so that DingTalk sends it again later.

The SDK reads DINGTALK_OPENAPI_ENDPOINT once, when it is imported, into a class attribute; `StreamRunner`
sets that attribute from our settings so the endpoint is a setting like any other (one per process).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

import dingtalk_stream
from dingtalk_stream import AckMessage, CallbackMessage, ChatbotMessage

from bot.config import DingTalkSettings
from bot.dingtalk.message import DingTalkMessage, parse

log = logging.getLogger(__name__)

OPEN_CONNECTION_PATH = "/v1.0/gateway/connections/open"


class ChatbotListener(dingtalk_stream.ChatbotHandler):
    """The SDK's handler for chatbot messages: parse, hand over, ack."""

    def __init__(self, on_message: Callable[[DingTalkMessage], None]) -> None:
        super().__init__()
        self.on_message = on_message

    async def process(self, callback: CallbackMessage) -> tuple[int, str]:  # type: ignore[override]
        message = parse(callback.data or {})
        if message is None:
            log.info("DingTalk frame %s is not a chat message; acked and ignored", callback.headers.message_id)
            return AckMessage.STATUS_OK, "ignored"
        try:
            await asyncio.to_thread(self.on_message, message)
        except Exception as exc:
            log.error("DingTalk message %s not recorded, DingTalk will redeliver it: %r", message.msg_id, exc)
            return AckMessage.STATUS_SYSTEM_EXCEPTION, "not recorded; retry later"
        return AckMessage.STATUS_OK, "OK"


class StreamRunner:
    """The SDK client in a daemon thread with its own event loop; `stop` ends it."""

    def __init__(self, settings: DingTalkSettings, on_message: Callable[[DingTalkMessage], None]) -> None:
        # The SDK keeps the endpoint in a class attribute read at import time; ours is a setting.
        dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = settings.openapi_endpoint + OPEN_CONNECTION_PATH
        credential = dingtalk_stream.Credential(settings.client_id, settings.client_secret)
        self.client = dingtalk_stream.DingTalkStreamClient(credential, logger=logging.getLogger("dingtalk_stream"))
        self.client.register_callback_handler(ChatbotMessage.TOPIC, ChatbotListener(on_message))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> StreamRunner:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="dingtalk-stream", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.client.start())
        except asyncio.CancelledError:
            pass
        finally:
            self._loop.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel the SDK's loop. Its `start` catches one cancellation (to reconnect after a network
        error), so cancel until the thread has ended."""
        if self._loop is None or self._thread is None:
            return
        waited = 0.0
        while self._thread.is_alive() and waited < timeout:
            try:
                self._loop.call_soon_threadsafe(_cancel_all, self._loop)
            except RuntimeError:  # the loop is already closed
                break
            self._thread.join(0.1)
            waited += 0.1

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def state(self) -> dict[str, bool]:
        """For /healthz: whether the SDK's WebSocket is open right now (it reconnects on its own)."""
        websocket = self.client.websocket
        state = getattr(websocket, "state", None)
        return {"connected": bool(websocket is not None and getattr(state, "name", "") == "OPEN")}


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()

"""Feishu callbacks as Feishu sends them: schema 2.0 JSON, AES-encrypted with the encrypt key, signed
(X-Lark-Signature = sha256(timestamp + nonce + encrypt key + body)), POSTed over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import AES

from tests.support.fake_feishu import BOT_OPEN_ID

APP_ID = "cli_test00000000001"
VERIFICATION_TOKEN = "verification-token-for-tests"
ENCRYPT_KEY = "encrypt-key-for-tests"
TENANT = "tenant-test"
_ids = itertools.count(1)


def encrypt(plaintext: bytes, key: str = ENCRYPT_KEY) -> str:
    iv = os.urandom(16)
    pad = 16 - len(plaintext) % 16
    cipher = AES.new(hashlib.sha256(key.encode()).digest(), AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(plaintext + bytes([pad]) * pad)).decode()


def new_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):032d}"


def _header(event_type: str, event_id: str | None = None) -> dict[str, Any]:
    return {
        "event_id": event_id or new_id("ev"),
        "token": VERIFICATION_TOKEN,
        "create_time": str(int(time.time() * 1000)),
        "event_type": event_type,
        "tenant_key": TENANT,
        "app_id": APP_ID,
    }


def message_event(
    text: str,
    *,
    chat_type: str = "group",
    chat_id: str = "oc_group0000000000000000000000000001",
    message_id: str | None = None,
    root_id: str | None = None,
    mention_bot: bool = True,
    sender: str = "ou_asker00000000000000000000000001",
    event_id: str | None = None,
) -> dict[str, Any]:
    """An im.message.receive_v1 event; in a group the bot's @mention leads the text as Feishu writes it."""
    mentions = []
    if mention_bot:
        text = f"@_user_1 {text}"
        mentions.append(
            {
                "key": "@_user_1",
                "id": {"open_id": BOT_OPEN_ID, "user_id": None},
                "name": "policy-bot",
                "tenant_key": TENANT,
            }
        )
    message = {
        "message_id": message_id or new_id("om_"),
        "chat_id": chat_id,
        "chat_type": chat_type,
        "message_type": "text",
        "content": json.dumps({"text": text}, ensure_ascii=False),
        "create_time": str(int(time.time() * 1000)),
        "mentions": mentions,
    }
    if root_id:
        message["root_id"] = message["parent_id"] = root_id
    return {
        "schema": "2.0",
        "header": _header("im.message.receive_v1", event_id),
        "event": {
            "sender": {"sender_id": {"open_id": sender}, "sender_type": "user", "tenant_key": TENANT},
            "message": message,
        },
    }


def card_action(value: dict[str, Any], *, message_id: str, chat_id: str, user: str) -> dict[str, Any]:
    return {
        "schema": "2.0",
        "header": _header("card.action.trigger"),
        "event": {
            "operator": {"open_id": user, "tenant_key": TENANT},
            "token": "c-" + new_id(""),
            "action": {"tag": "button", "value": value},
            "host": "im_message",
            "context": {"open_message_id": message_id, "open_chat_id": chat_id},
        },
    }


def url_verification(challenge: str = "challenge-123", token: str = VERIFICATION_TOKEN) -> dict[str, Any]:
    return {"challenge": challenge, "token": token, "type": "url_verification"}


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class FeishuSender:
    """Posts callbacks to the app at `url`/feishu/events, encrypted and signed unless told otherwise."""

    def __init__(self, url: str, encrypt_key: str = ENCRYPT_KEY) -> None:
        self.url = url.rstrip("/") + "/feishu/events"
        self.encrypt_key = encrypt_key

    def body(self, payload: dict[str, Any]) -> bytes:
        return json.dumps(
            {"encrypt": encrypt(json.dumps(payload, ensure_ascii=False).encode(), self.encrypt_key)}
        ).encode()

    def post(
        self,
        payload: dict[str, Any] | None = None,
        *,
        body: bytes | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
        signed: bool = True,
    ) -> Response:
        data = body if body is not None else self.body(payload or {})
        headers = {"Content-Type": "application/json"}
        if signed:
            ts = str(int(time.time()) if timestamp is None else timestamp)
            nonce = new_id("n")
            digest = hashlib.sha256((ts + nonce + self.encrypt_key).encode() + data).hexdigest()
            headers |= {
                "X-Lark-Request-Timestamp": ts,
                "X-Lark-Request-Nonce": nonce,
                "X-Lark-Signature": signature if signature is not None else digest,
            }
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Response(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read())

"""The checks a Feishu callback passes before the SDK sees it, cheapest first.

lark-oapi's dispatcher decrypts, checks the verification token (constant time) and the signature, but
compares the signature with `!=` and accepts any timestamp, so a captured request can be replayed
forever. Here: a size limit, then the signature (sha256 of timestamp + nonce + encrypt key + body, as
Feishu signs) compared with `hmac.compare_digest`, within a five-minute window. The one request Feishu
does not sign, the URL-verification challenge, is let through to the SDK, which answers it only with
the right verification token.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from lark_oapi.core.utils import AESCipher

from bot.chat.request_body import Rejected

SIGNATURE_MAX_AGE = 5 * 60  # seconds


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """Feishu's X-Lark-Signature of a request body."""
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def plaintext(body: bytes, encrypt_key: str) -> dict:
    """The callback's JSON, decrypted when Feishu encrypted it; Rejected(400) if it is neither."""
    try:
        outer = json.loads(body)
        if isinstance(outer, dict) and isinstance(outer.get("encrypt"), str):
            outer = json.loads(AESCipher(encrypt_key).decrypt_str(outer["encrypt"]))
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body is neither JSON nor encrypted with FEISHU_ENCRYPT_KEY") from None
    if not isinstance(outer, dict):
        raise Rejected(400, "body is not a JSON object")
    return outer


def is_url_verification(payload: dict) -> bool:
    return payload.get("type") == "url_verification" and isinstance(payload.get("challenge"), str)


def verify(headers: dict[str, str], body: bytes, encrypt_key: str, now: float) -> dict:
    """The decrypted payload if the request is Feishu's; Rejected(401/400) otherwise. `headers`: lower-case names."""
    payload = plaintext(body, encrypt_key)
    if is_url_verification(payload):
        return payload  # unsigned by Feishu; the SDK checks its verification token
    timestamp = headers.get("x-lark-request-timestamp") or ""
    nonce = headers.get("x-lark-request-nonce") or ""
    given = headers.get("x-lark-signature") or ""
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12 or not given:
        raise Rejected(401, "missing or malformed signature headers")
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE:
        raise Rejected(401, "stale timestamp")
    expected = signature(timestamp, nonce, encrypt_key, body)
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise Rejected(401, "invalid signature")
    return payload

"""One JSON POST to DingTalk and what its answer means: done, try again later (and when), or never.

DingTalk reports errors two ways. Webhooks (sessionWebhook, custom robots) answer HTTP 200 with
`{"errcode": N, "errmsg": ...}`; errcode 130101 is "send too fast, exceed 20 times per minute" (the
robot is then throttled for a while). The OpenAPI (api.dingtalk.com/v1.0/...) answers 4xx/5xx with
`{"code": ..., "message": ...}`; a 429 or a throttling code means the same as 130101.
The stdlib client keeps this free of another HTTP dependency; calls are few and small.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

SEND_TOO_FAST = 130101
RATE_LIMIT_WAIT = 60.0  # seconds, when DingTalk says "too fast" without saying for how long
BUSY_ERRCODES = frozenset({-1})  # "系统繁忙": try again
THROTTLE_WORDS = ("throttl", "qpslimit", "toofast", "too fast", "ratelimit", "flowcontrol")


class DingTalkError(Exception):
    """A call DingTalk did not accept. `retryable`: the same call may work later (after `retry_after`)."""

    def __init__(self, code: str, message: str, *, retryable: bool, retry_after: float = 0.0) -> None:
        super().__init__(f"{code}: {message}"[:300])
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after

    @property
    def rate_limited(self) -> bool:
        return self.retry_after > 0


def post_json(url: str, body: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 10) -> Any:
    """POST `body` as JSON; the decoded answer, or DingTalkError (connection errors are retryable)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("Accept", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise http_error(exc.code, exc.read(), exc.headers.get("Retry-After")) from None
    except (urllib.error.URLError, OSError) as exc:
        raise DingTalkError("connection", repr(exc), retryable=True) from None
    answer = _decode(raw)
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if errcode not in (None, 0, "0"):
        raise errcode_error(errcode, str(answer.get("errmsg") or ""))
    return answer


def errcode_error(errcode: Any, message: str) -> DingTalkError:
    """A webhook's `errcode`: 130101 is the rate limit; -1 is busy; the rest will not change on retry."""
    try:
        code = int(errcode)
    except (TypeError, ValueError):
        code = None
    if code == SEND_TOO_FAST or _throttling(message):
        return DingTalkError(str(errcode), message, retryable=True, retry_after=RATE_LIMIT_WAIT)
    return DingTalkError(str(errcode), message, retryable=code in BUSY_ERRCODES)


def http_error(status: int, raw: bytes, retry_after: str | None) -> DingTalkError:
    answer = _decode(raw)
    answer = answer if isinstance(answer, dict) else {}
    code = str(answer.get("code") or answer.get("errcode") or f"HTTP {status}")
    message = str(answer.get("message") or answer.get("errmsg") or "")[:200]
    if status == 429 or _throttling(code) or str(answer.get("errcode")) == str(SEND_TOO_FAST):
        return DingTalkError(code, message, retryable=True, retry_after=_seconds(retry_after) or RATE_LIMIT_WAIT)
    return DingTalkError(code, message, retryable=status >= 500 or status in (401, 408))


def _throttling(text: str) -> bool:
    lowered = text.lower().replace(".", "").replace("_", "")
    return any(word in lowered for word in THROTTLE_WORDS)


def _seconds(raw: str | None) -> float:
    try:
        return min(max(float(raw or 0), 0.0), 3600.0)
    except ValueError:
        return 0.0


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {}

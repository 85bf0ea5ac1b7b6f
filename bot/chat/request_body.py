"""Reading a platform callback's body safely: every HTTP door (Slack, Feishu) refuses the same way.

A body is read only when its declared length is usable and within the limit, so an oversized or
lying request costs nothing; the error carries the HTTP status to answer with.
"""

from __future__ import annotations

from typing import Any

MAX_BODY_BYTES = 1024 * 1024  # callbacks are a few kB; a message with 50 blocks or a card stays well below


class Rejected(Exception):
    """A request refused before any parsing, with the status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_body(environ: dict[str, Any]) -> bytes:
    """The WSGI request body; Rejected(411/400/413) when its length is missing, wrong or too large."""
    raw_length = environ.get("CONTENT_LENGTH") or ""
    if not raw_length.isdigit():
        raise Rejected(411 if not raw_length else 400, "no usable Content-Length")
    length = int(raw_length)
    if length > MAX_BODY_BYTES:
        raise Rejected(413, f"body of {length} bytes")
    body = environ["wsgi.input"].read(length) if length else b""
    if len(body) != length:
        raise Rejected(400, "body shorter than Content-Length")
    return body

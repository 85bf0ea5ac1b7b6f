"""A disk cache of what indexing computes, so a restart neither segments nor normalises any entry.

What is cached is data, never code: JSON (lists, strings, integers), read with `json.loads` and checked
field by field (match/stored.py). It is content-addressed: a file (`index-<hash>.json`) is named by
the tokenizer's signature (jieba's version, the words the knowledge base adds to its dictionary, the
synonym map, the tokenizer's source) and the indexing code, and holds each entry's index data under a
digest of the entry's texts, so a restart re-indexes only entries it has not seen with this code.

Files are also signed (HMAC-SHA256) with a secret that is not derived from anything public
(`BOT_CACHE_KEY`, or a random key created once in a private file outside the cache folder): a file
someone altered, or one that is truncated or corrupt, fails the check and is ignored, and the data
is rebuilt. Without a usable secret nothing is cached. Files of older formats (the pickles
`answerer-*.pickle` and `answerer-*.signed`, the segmentations `tokens-*.json`) are never read;
storing deletes them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.match.stored import Derived, from_json, to_json

log = logging.getLogger(__name__)

_MAGIC = b"policy-bot-cache-v4 json\n"
_NAME = re.compile(r"[0-9a-z-]{1,80}")
# Files of older versions, deleted and never read: pickles, and the segmentations-only JSON of v3.
_LEGACY = ("answerer-*.pickle", "answerer-*.signed", "tokens-*.json")
_SIGNATURE_BYTES = 32


def cache_dir() -> Path:
    explicit = os.environ.get("BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policy-bot"


def key_file() -> Path:
    """Where the signing secret lives: the config folder, not the cache folder it protects."""
    explicit = os.environ.get("BOT_CACHE_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "policy-bot" / "cache-signing.key"


def signing_key() -> bytes | None:
    """The secret, created on first use; None when there is no private place to keep one."""
    explicit = os.environ.get("BOT_CACHE_KEY")
    if explicit:
        return explicit.encode()
    path = key_file()
    if path.resolve().parent == cache_dir().resolve():
        log.debug("cache key file %s sits in the cache folder: not caching", path)
        return None
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        mode = path.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH | stat.S_IRGRP | stat.S_IROTH):
            log.debug("cache key file %s is readable or writable by others: not caching", path)
            return None
        key = path.read_bytes()
    except OSError as exc:
        log.debug("no cache key (%s): not caching", exc)
        return None
    return key if len(key) >= 16 else None


def _path(name: str) -> Path:
    return cache_dir() / f"{name}.json"


def _signature(secret: bytes, name: str, pieces: Sequence[bytes | bytearray]) -> bytes:
    """The HMAC under `name` of a payload, given in pieces to be read one after the other."""
    mac = hmac.new(secret, name.encode() + b"\0", hashlib.sha256)
    for piece in pieces:
        mac.update(piece)
    return mac.digest()


_PARTIAL = ".tmp"  # a cache file being written, renamed into place when whole
# A partial file this old was left by a process killed while writing (a build child at 100k writes for
# seconds, not minutes); a younger one may be another instance's, still being written.
_ABANDONED_AFTER_SECONDS = 600


def _abandoned(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > _ABANDONED_AFTER_SECONDS
    except OSError:
        return False


def load(name: str) -> Any | None:
    """The JSON value stored under `name`, or None when absent, unsigned, altered or unreadable."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad cache name {name!r}")
    secret = signing_key()
    if secret is None:
        return None
    path = _path(name)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(_MAGIC) + _SIGNATURE_BYTES
    signature, payload = data[len(_MAGIC) : header], data[header:]
    if not data.startswith(_MAGIC) or not hmac.compare_digest(signature, _signature(secret, name, [payload])):
        log.warning("ignoring cache file %s: its signature does not verify", path)
        return None
    try:
        return json.loads(payload.decode("utf-8"))
    except ValueError as exc:  # cannot happen for a file we signed, but a miss is always safe
        log.debug("ignoring unreadable cache %s: %s", path, exc)
        return None


def store(name: str, value: Any, prefix: str | None = None) -> None:
    """Write `value` as signed JSON under `name`; with `prefix`, other files of that prefix go (one
    knowledge-base version at a time is enough)."""
    _write(name, [json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")], prefix)


def _write(name: str, pieces: Sequence[bytes | bytearray], prefix: str | None) -> None:
    """Write a JSON text, given in pieces to be written one after the other, signed under `name` (see
    `store`)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad cache name {name!r}")
    secret = signing_key()
    if secret is None:
        return
    directory = cache_dir()
    written: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stale = [path for pattern in _LEGACY for path in directory.glob(pattern)]
        if prefix:
            stale += [path for path in directory.glob(f"{prefix}*.json") if path.name != f"{name}.json"]
        stale += [path for path in directory.glob(f"*{_PARTIAL}") if _abandoned(path)]
        for old in stale:
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=_PARTIAL) as handle:
            written = handle.name
            handle.write(_MAGIC + _signature(secret, name, pieces))
            for piece in pieces:
                handle.write(piece)  # not joined: a copy of tens of MB
        os.replace(handle.name, _path(name))
    except Exception as exc:
        log.debug("could not write cache in %s: %s", directory, exc)
        if written is not None:
            with contextlib.suppress(OSError):
                os.unlink(written)  # gone if it was renamed


def load_entries(name: str) -> dict[str, Derived] | None:
    """Entries' index data stored under `name` (see match/stored.py); anything not of exactly the
    expected shape makes the whole file a miss."""
    return from_json(load(name))


def store_entries(name: str, entries: Mapping[str, Derived]) -> None:
    store(name, to_json(entries), prefix="index-")


def store_file_pieces(name: str, pieces: Sequence[bytes | bytearray]) -> None:
    """Entries encoded in parts (`stored.encode_part_bytes`, by build workers), written as one cache
    file's JSON text from its pieces (`stored.file_pieces`)."""
    _write(name, pieces, prefix="index-")

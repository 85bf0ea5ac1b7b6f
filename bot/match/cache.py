"""A disk cache of built answerers, so a cold `python -m bot ask` skips re-indexing an unchanged KB.

The key hashes every knowledge file, every seed and the matcher's own source, so an edit to any of
them builds afresh. A cache that cannot be read or written is ignored: it only ever saves time.

The cache is a pickle, so it is signed: HMAC-SHA256 with a secret that is not derived from anything
public (`BOT_CACHE_KEY`, or a random key created once in a private file outside the cache folder).
A file whose signature does not verify is never unpickled, so whoever can write the cache folder
cannot make the bot run code. Without a usable secret nothing is cached.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_CODE_DIRS = ("kb", "match", "text")
_PACKAGE = Path(__file__).resolve().parent.parent
_MAGIC = b"policy-bot-cache-v2\n"
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


def cache_key(files: Iterable[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    code = [*sorted(p for d in _CODE_DIRS for p in (_PACKAGE / d).glob("*.py")), _PACKAGE / "engine.py"]
    for path in [*sorted(files), *code]:
        digest.update(str(path.name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:32]


def _path(key: str) -> Path:
    return cache_dir() / f"answerer-{key}.signed"


def _signature(secret: bytes, key: str, payload: bytes) -> bytes:
    return hmac.new(secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()


def load(key: str) -> Any | None:
    secret = signing_key()
    if secret is None:
        return None
    path = _path(key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(_MAGIC) + _SIGNATURE_BYTES
    signature, payload = data[len(_MAGIC) : header], data[header:]
    if not data.startswith(_MAGIC) or not hmac.compare_digest(signature, _signature(secret, key, payload)):
        log.warning("ignoring cache file %s: its signature does not verify", path)
        return None
    try:
        return pickle.loads(payload)  # signed with our own secret above
    except Exception as exc:  # an incompatible cache is just a miss
        log.debug("ignoring unreadable cache %s: %s", path, exc)
        return None


def store(key: str, value: Any) -> None:
    secret = signing_key()
    if secret is None:
        return
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in [*directory.glob("answerer-*.signed"), *directory.glob("answerer-*.pickle")]:
            old.unlink(missing_ok=True)  # one KB version at a time is enough; old unsigned files go
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
            handle.write(_MAGIC + _signature(secret, key, payload) + payload)
        os.replace(handle.name, _path(key))
    except Exception as exc:
        log.debug("could not write cache in %s: %s", directory, exc)

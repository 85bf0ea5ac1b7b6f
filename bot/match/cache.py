"""A disk cache of built answerers, so a cold `python -m bot ask` skips re-indexing an unchanged KB.

The key hashes every knowledge file, every seed and the matcher's own source, so an edit to any of
them builds afresh. A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_CODE_DIRS = ("kb", "match", "text")
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    explicit = os.environ.get("BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policy-bot"


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


def load(key: str) -> Any | None:
    path = cache_dir() / f"answerer-{key}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a corrupt or incompatible cache is just a miss
        log.debug("ignoring unreadable cache %s: %s", path, exc)
        return None


def store(key: str, value: Any) -> None:
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("answerer-*.pickle"):  # one KB version at a time is enough
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, directory / f"answerer-{key}.pickle")
    except Exception as exc:
        log.debug("could not write cache in %s: %s", directory, exc)

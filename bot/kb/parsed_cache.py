"""FAQ files as parsed and validated before, kept in the index cache so a restart reads no YAML.

At 10,000 entries, parsing the YAML with line numbers is most of a start (4-5 s of CPU), and what it
yields depends only on the file's bytes and the seeds its quotes are checked against. A file that
read without issues is kept as its entries (their fields, as validated) and the lines issues would
cite, under a digest of both inputs; the cache file's name covers the code that reads them. Entries
come back through the schema again (`model_validate`: its checks are idempotent), so whatever the
file says, only a valid entry can come out of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.kb.loader import FaqFile, ParsedEntry
from bot.kb.schema import FaqEntry
from bot.match import cache

FORMAT = 1
_SOURCES = [Path(__file__).with_name(name) for name in ("loader.py", "schema.py", "yaml_lines.py", "parsed_cache.py")]


def cache_name() -> str:
    import pydantic
    import yaml

    digest = hashlib.sha256(f"pydantic {pydantic.VERSION} yaml {yaml.__version__}\n".encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    return f"faqs-{digest.hexdigest()[:40]}"


def file_key(file_digest: bytes, seeds_digest: bytes) -> str:
    return hashlib.sha256(file_digest + b"\0" + seeds_digest).hexdigest()[:40]


def load() -> dict[str, list[Any]]:
    """Parsed files by `file_key`, as stored (each checked when used, by `restore`)."""
    value = cache.load(cache_name())
    if not isinstance(value, dict) or value.get("format") != FORMAT or not isinstance(value.get("files"), dict):
        return {}
    return value["files"]


def store(files: Mapping[str, FaqFile]) -> None:
    """Keep these parsed files (those without issues) by `file_key`."""
    rows = {
        key: [
            [parsed.entry.model_dump(), parsed.line, parsed.id_line, list(parsed.alternative_lines)]
            for parsed in faq.entries
        ]
        for key, faq in files.items()
        if not faq.issues
    }
    cache.store(cache_name(), {"format": FORMAT, "files": rows}, prefix="faqs-")


def restore(path: Path, rows: Any) -> FaqFile | None:
    """The FaqFile a stored value describes, or None if it is not exactly of the stored shape."""
    if not isinstance(rows, list):
        return None
    entries = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 4 and isinstance(row[0], dict)):
            return None
        fields, line, id_line, alternative_lines = row
        if not (_line(line) and _line(id_line) and isinstance(alternative_lines, list)):
            return None
        if not all(_line(alternative) for alternative in alternative_lines):
            return None
        try:
            entry = FaqEntry.model_validate(fields)
        except ValidationError:
            return None
        if len(alternative_lines) != len(entry.alternatives) or entry.draft:
            return None
        entries.append(ParsedEntry(entry, line, id_line, tuple(alternative_lines)))
    return FaqFile(path, tuple(entries), ())


def _line(value: Any) -> bool:
    return type(value) is int and value >= 1

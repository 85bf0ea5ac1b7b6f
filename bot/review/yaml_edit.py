"""Edit FAQ files as text, so a curator's comments and layout survive: add phrasings to an entry,
append draft entries to a file."""

from __future__ import annotations

from pathlib import Path

from bot.kb.loader import faq_paths
from bot.kb.yaml_lines import load_yaml_with_lines
from bot.review.draft import scalar


class EditError(ValueError):
    """The edit cannot be made safely (entry not found, a flow-style list); one line for the curator."""


def find_entry(kb_dir: Path, entry_id: str) -> tuple[Path, int]:
    """The FAQ file holding an entry and the entry's position in its `entries:` list."""
    for path in faq_paths(kb_dir):
        loaded = load_yaml_with_lines(path)
        entries = (loaded.data or {}).get("entries") if isinstance(loaded.data, dict) else None
        for index, entry in enumerate(entries or []):
            if isinstance(entry, dict) and entry.get("id") == entry_id:
                return path, index
    raise EditError(f"no entry {entry_id!r} in {kb_dir / 'faq'}")


def add_alternatives(kb_dir: Path, entry_id: str, phrasings: list[str]) -> tuple[Path, list[str]]:
    """Add phrasings the entry does not have yet to its `alternatives:`; returns the file and what was added."""
    path, index = find_entry(kb_dir, entry_id)
    loaded = load_yaml_with_lines(path)
    entry = loaded.data["entries"][index]
    known = {"".join(text.split()) for text in [entry.get("question", ""), *(entry.get("alternatives") or [])]}
    new = [text for text in dict.fromkeys(p.strip() for p in phrasings) if text and "".join(text.split()) not in known]
    if not new:
        return path, []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    base = ("entries", index)
    id_line = loaded.line_of((*base, "id"))
    key_indent = " " * (len(lines[id_line - 1]) - len(lines[id_line - 1].lstrip(" -")))
    alternatives = entry.get("alternatives")
    if alternatives:
        first = loaded.line_of((*base, "alternatives", 0))
        if first == loaded.line_of((*base, "alternatives")):
            raise EditError(f"{path}:{first}: [{entry_id}] alternatives: a [flow] list; write it one item a line first")
        last = loaded.line_of((*base, "alternatives", len(alternatives) - 1))
        item_indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        at = last  # insert after the last item (a one-line scalar)
        added = [f"{item_indent}- {scalar(text)}\n" for text in new]
    else:
        keys = list(entry)
        position = keys.index("question") + 1 if "question" in keys else len(keys)
        after = keys[position] if position < len(keys) else None
        at = (loaded.line_of((*base, after)) - 1) if after else len(lines)
        added = [f"{key_indent}alternatives:\n", *(f"{key_indent}  - {scalar(text)}\n" for text in new)]
    lines[at:at] = added
    path.write_text("".join(lines), encoding="utf-8")
    return path, new


def append_entries(path: Path, entries_yaml: list[str], header: str = "") -> None:
    """Append entries to a FAQ file, creating it (with `entries:`) when missing."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = header + "entries:\n"
    text += "".join(("\n" if i or path.exists() else "") + entry for i, entry in enumerate(entries_yaml))
    path.write_text(text, encoding="utf-8")

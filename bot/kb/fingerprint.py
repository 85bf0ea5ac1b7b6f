"""Has a watched file changed? Hot reload asks this often, so it only stats the files."""

from __future__ import annotations

from pathlib import Path

Fingerprint = tuple[tuple[str, int, int], ...]


def file_fingerprint(paths: list[Path]) -> Fingerprint:
    """Modification time and size of each file (-1 when missing): cheap to take on every question."""
    marks = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            marks.append((str(path), -1, -1))
            continue
        marks.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(marks)

"""Load `deadlines.yaml` with the knowledge base's file:line issues, and keep the last good version.

`load_deadlines` is what `python -m bot validate` calls; `DeadlineStore` is what the digest runs use:
it re-reads an edited file at the next run and keeps the last good version when an edit is invalid.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.kb.fingerprint import file_fingerprint
from bot.kb.issues import Issue
from bot.kb.loader import check_quotes, read_yaml, validate_model
from bot.kb.seeds import SeedLibrary
from bot.schedule.schema import Deadline, DeadlinesFile, Defaults

log = logging.getLogger(__name__)

DEADLINES_FILE = "deadlines.yaml"
LIST_KEY = "deadlines"
DEFAULTS_KEY = "defaults"


def load_deadlines(path: Path, seeds: SeedLibrary, issues: list[Issue]) -> DeadlinesFile | None:
    """Parse and check one deadlines file; appends every problem to `issues`, returns None if any.

    Each deadline is validated on its own, so one bad entry hides no other's errors."""
    before = len(issues)
    if not path.is_file():
        issues.append(Issue(path, 1, "deadlines file not found"))
        return None
    loaded = read_yaml(path, issues)  # an impossible date (2020-13-01) is reported at its line there
    if loaded is None:
        return None
    data = loaded.data
    if data is None:
        issues.append(Issue(path, 1, "file is empty"))
        return None
    if not isinstance(data, dict) or not isinstance(data.get(LIST_KEY), list):
        issues.append(Issue(path, loaded.line_of((LIST_KEY,)), f"expected a mapping with a list `{LIST_KEY}:`"))
        return None
    for key in sorted(str(key) for key in data if key not in (LIST_KEY, DEFAULTS_KEY)):
        issues.append(Issue(path, loaded.line_of((key,)), f"unknown top-level key {key!r}"))
    defaults = validate_model(loaded, Defaults, None, issues, data=data.get(DEFAULTS_KEY) or {}, prefix=(DEFAULTS_KEY,))
    valid: list[tuple[int, Deadline]] = []
    for index, item in enumerate(data[LIST_KEY]):
        deadline = validate_model(loaded, Deadline, LIST_KEY, issues, data=item, prefix=(LIST_KEY, index))
        if deadline is not None:
            valid.append((index, deadline))
    check_quotes(loaded, LIST_KEY, valid, seeds, issues)
    first_line: dict[str, int] = {}
    settings_seen: dict[str, tuple[str, int]] = {}
    for index, deadline in valid:
        id_line = loaded.line_of((LIST_KEY, index, "id"))
        if deadline.id in first_line:
            issues.append(
                Issue(
                    path,
                    id_line,
                    f"duplicate id, first defined at {path}:{first_line[deadline.id]}",
                    entry_id=deadline.id,
                    field="id",
                )
            )
        else:
            first_line[deadline.id] = id_line
        for place, setting in deadline.due.settings():
            line = loaded.line_of((LIST_KEY, index, "due", place, "setting"))
            known = settings_seen.get(setting.setting)
            if known is None:
                settings_seen[setting.setting] = (setting.default.isoformat(), line)
            elif known[0] != setting.default.isoformat():
                issues.append(
                    Issue(
                        path,
                        line,
                        f"setting {setting.setting!r} has default {known[0]} at line {known[1]}; "
                        "one setting needs one default",
                        entry_id=deadline.id,
                        field=f"due.{place}.default",
                    )
                )
    if len(issues) != before or defaults is None:
        return None
    return DeadlinesFile(defaults=defaults, deadlines=[deadline for _, deadline in valid])


class DeadlineStore:
    """The current deadlines file; `current()` reloads an edited file and keeps the last good one."""

    def __init__(self, path: Path, seeds_dir: Path) -> None:
        self.path = path
        self.seeds_dir = seeds_dir
        self.errors: list[Issue] = []
        self._lock = threading.Lock()
        self._good: DeadlinesFile | None = None
        self._fingerprint: tuple[tuple[str, int, int], ...] | None = None

    def _watched(self) -> list[Path]:
        return [self.path, *sorted(self.seeds_dir.glob("*.txt"))]

    def current(self) -> DeadlinesFile | None:
        """The last good deadlines (None only if no version was ever valid); errors in `self.errors`."""
        with self._lock:
            fingerprint = file_fingerprint(self._watched())
            if fingerprint == self._fingerprint:
                return self._good
            self._fingerprint = fingerprint
            issues: list[Issue] = []
            loaded = load_deadlines(self.path, SeedLibrary.load(self.seeds_dir), issues)
            self.errors = issues
            if loaded is None:
                what = "keeping the last good version" if self._good else "no valid version to use"
                log.error("deadlines file %s is invalid; %s:\n%s", self.path, what, "\n".join(map(str, issues)))
            else:
                if self._good is not None:
                    log.info("deadlines file reloaded: %d deadlines", len(loaded.deadlines))
                self._good = loaded
            return self._good

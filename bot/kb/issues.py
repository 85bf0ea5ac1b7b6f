"""A validation problem, located precisely enough for a curator to jump to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    """One problem in the knowledge base: `file:line: [entry id] field: message`."""

    path: Path
    line: int
    message: str
    entry_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        who = f" [{self.entry_id}]" if self.entry_id else ""
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{who}{what} {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues

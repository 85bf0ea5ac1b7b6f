"""Small builders for the digest tests: deadlines files, moments, a controllable clock."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR
from bot.kb.seeds import SeedLibrary
from bot.schedule.deadlines_file import load_deadlines
from bot.schedule.schema import DeadlinesFile

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIPPED = DEFAULT_KB_DIR / "deadlines.yaml"
SEEDS = DEFAULT_SEEDS_DIR
SEED_003 = "003-southwest-sme-arrears-clearing-speech.txt"
QUOTE_003 = "上半年要完成X万元以下无争议欠款清零工作"  # verbatim in SEED_003


def at(text: str, zone: ZoneInfo = SHANGHAI) -> datetime:
    """A moment from ISO text; naive text is Shanghai time."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def deadline(
    id: str,
    due: str,
    *,
    channels: str | None = None,
    remind: str | None = None,
    overdue: str | None = None,
    timezone: str | None = None,
    quote: str = QUOTE_003,
) -> str:
    """One deadline entry as YAML (indented for the `deadlines:` list)."""
    lines = [
        f"  - id: {id}",
        f"    title: {id} title",
        f"    action: do {id}",
        f"    due: {due}",
    ]
    for key, value in (
        ("channels", channels),
        ("remind_days", remind),
        ("overdue_days", overdue),
        ("timezone", timezone),
    ):
        if value is not None:
            lines.append(f"    {key}: {value}")
    lines += [
        "    source:",
        f"      seed: {SEED_003}",
        f"      quotes: [{quote}]",
    ]
    return "\n".join(lines) + "\n"


def write_deadlines(path: Path, *entries: str, defaults: str = "") -> Path:
    text = (textwrap.dedent(defaults) if defaults else "") + "deadlines:\n" + "".join(entries)
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path) -> DeadlinesFile:
    issues: list = []
    loaded = load_deadlines(path, SeedLibrary.load(SEEDS), issues)
    assert loaded is not None, "\n".join(map(str, issues))
    return loaded


class Clock:
    """Wall-clock seconds for claim leases, moved by the test instead of by sleeping."""

    def __init__(self, start: float = 1_600_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

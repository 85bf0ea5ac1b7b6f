"""Hot reload: a running bot picks up edited YAML within seconds and keeps its last good version
when an edit is invalid."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.engine import Answerer
from bot.kb.fingerprint import Fingerprint, file_fingerprint
from bot.kb.issues import Issue, KnowledgeError
from bot.kb.loader import SPECIAL_FILES, faq_paths, load_knowledge
from bot.kb.seeds import SeedLibrary
from bot.match import cache
from bot.match.params import MatchParams

log = logging.getLogger(__name__)


def _fingerprint(kb_dir: Path, seeds_dir: Path) -> Fingerprint:
    return file_fingerprint(_source_files(kb_dir, seeds_dir))


def _source_files(kb_dir: Path, seeds_dir: Path) -> list[Path]:
    return [
        *faq_paths(kb_dir),
        *(kb_dir / name for name in SPECIAL_FILES),
        *sorted(seeds_dir.glob("*.txt")),
    ]


def build_answerer(
    kb_dir: Path, seeds_dir: Path, params: MatchParams | None = None, use_cache: bool = True
) -> tuple[Answerer | None, list[Issue]]:
    """Load and index a knowledge folder; (None, issues) when it is invalid.

    Only a valid KB is cached, so a cache hit needs no re-validation."""
    key = cache.cache_key(_source_files(kb_dir, seeds_dir), repr(params)) if use_cache else ""
    cached = cache.load(key) if use_cache else None
    if isinstance(cached, Answerer):
        return cached, []
    kb, issues = load_knowledge(kb_dir, SeedLibrary.load(seeds_dir))
    if kb is None:
        return None, issues
    answerer = Answerer(kb, params)
    if use_cache:
        cache.store(key, answerer)
    return answerer, []


class KnowledgeStore:
    """Holds the current Answerer; `answerer()` swaps in a new one when the files have changed."""

    def __init__(
        self,
        kb_dir: Path,
        seeds_dir: Path,
        params: MatchParams | None = None,
        check_interval: float = 1.0,
        on_reload: Callable[[list[Issue]], None] | None = None,
    ) -> None:
        self.kb_dir = kb_dir
        self.seeds_dir = seeds_dir
        self.params = params
        self.check_interval = check_interval
        self.on_reload = on_reload
        self.errors: list[Issue] = []
        self._lock = threading.Lock()
        self._fingerprint = _fingerprint(kb_dir, seeds_dir)
        answerer, issues = build_answerer(kb_dir, seeds_dir, params)
        if answerer is None:
            raise KnowledgeError(issues)
        self._answerer = answerer
        self._checked_at = time.monotonic()

    def answerer(self) -> Answerer:
        """The current answerer, after a cheap check (at most once per interval) for edited files."""
        if time.monotonic() - self._checked_at >= self.check_interval:
            self.refresh()
        return self._answerer

    def refresh(self, force: bool = False) -> list[Issue]:
        """Reload if the files changed (or `force`); returns the issues of an invalid edit, if any."""
        with self._lock:
            self._checked_at = time.monotonic()
            fingerprint = _fingerprint(self.kb_dir, self.seeds_dir)
            if fingerprint == self._fingerprint and not force:
                return self.errors
            self._fingerprint = fingerprint
            answerer, issues = build_answerer(self.kb_dir, self.seeds_dir, self.params)
            self.errors = issues
            if answerer is None:
                log.error(
                    "knowledge base edit is invalid; keeping the last good version:\n%s",
                    "\n".join(map(str, issues)),
                )
            else:
                self._answerer = answerer
                log.info("knowledge base reloaded: %d entries", len(answerer.kb.entries))
            if self.on_reload is not None:
                self.on_reload(issues)
            return issues

    def watch(self, interval: float = 2.0) -> threading.Thread:
        """Poll in the background so errors are logged even when nobody is asking."""

        def loop() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.refresh()
                except Exception:  # a watcher must never die
                    log.exception("knowledge base watcher failed")

        thread = threading.Thread(target=loop, name="kb-watcher", daemon=True)
        thread.start()
        return thread

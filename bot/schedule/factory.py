"""Build the digest's parts from the settings: one place shared by the CLI and `serve`."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.db import make_engine, sqlite_file_missing
from bot.kb.issues import Issue
from bot.kb.loader import DOCUMENTS_FILE, load_documents
from bot.kb.seeds import SeedLibrary
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.ledger import Ledger
from bot.schedule.runner import DigestRunner
from bot.schedule.settings import DigestSettings

_engines: dict[str, Engine] = {}
_stores: dict[tuple[Path, Path], DeadlineStore] = {}
_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per database URL in a process (the scheduler, App Home and actions share it)."""
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        return _engines[url]


def open_ledger(settings: Settings, digest: DigestSettings) -> Ledger:
    ledger = Ledger(engine_for(settings.database_url), lease_seconds=digest.claim_lease_seconds)
    ledger.ensure_tables()
    return ledger


def read_done(url: str) -> set[tuple[str, date]]:
    """The done marks in the database at `url`, read without creating anything: a missing SQLite file or
    a database no digest has run against has none. Other database errors propagate."""
    if sqlite_file_missing(url):
        return set()
    try:
        return Ledger(engine_for(url)).done()
    except SQLAlchemyError as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return set()
        raise


def deadline_store(settings: Settings, digest: DigestSettings, path: Path | None = None) -> DeadlineStore:
    """A shared store per (file, seeds) so hot reload state survives between runs."""
    key = ((path or digest.deadlines_path).resolve(), settings.seeds_dir.resolve())
    with _lock:
        if key not in _stores:
            _stores[key] = DeadlineStore(key[0], key[1])
        return _stores[key]


def document_titles(settings: Settings) -> dict[str, str]:
    """Seed file -> short title from knowledge/documents.yaml (empty if absent or invalid)."""
    issues: list[Issue] = []
    path = settings.kb_dir / DOCUMENTS_FILE
    try:
        documents = load_documents(path, SeedLibrary.load(settings.seeds_dir), issues)
    except OSError:
        return {}
    return {seed: document.short_title for seed, document in documents.items()}


def make_runner(
    settings: Settings,
    digest: DigestSettings,
    client: Any,
    store: DeadlineStore | None = None,
    ledger: Ledger | None = None,
) -> DigestRunner:
    return DigestRunner(
        digest,
        store or deadline_store(settings, digest),
        ledger or open_ledger(settings, digest),
        client,
        admins=settings.bot_admins,
        documents=document_titles(settings),
    )

"""Hot reload: a running bot picks up edited YAML within seconds and keeps its last good version
when an edit is invalid."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bot.engine import Answerer
from bot.kb import child_build, handover, parsed_cache
from bot.kb.fingerprint import Fingerprint, file_fingerprint
from bot.kb.issues import Issue, KnowledgeError
from bot.kb.loader import (
    SPECIAL_FILES,
    FaqFile,
    FaqReader,
    KnowledgeBase,
    faq_paths,
    load_knowledge,
    read_faq_file,
)
from bot.kb.memory import collection_paused, keep_for_good, map_large_blocks, trim
from bot.kb.schema import FaqEntry
from bot.kb.seeds import SeedLibrary
from bot.match import cache
from bot.match.index import derive, tokenizer_for
from bot.match.params import MatchParams
from bot.match.stored import Derived, cache_name, encode_part_bytes, file_pieces, from_json_text

log = logging.getLogger(__name__)
Dealt = TypeVar("Dealt")
# The threads a build or reload leaves writing caches after it returns (bench/latency.py waits for them).
INDEX_CACHE_THREAD = "index-cache"
FAQ_CACHE_THREAD = "faq-cache"


def _fingerprint(kb_dir: Path, seeds_dir: Path) -> Fingerprint:
    return file_fingerprint(_source_files(kb_dir, seeds_dir))


def _source_files(kb_dir: Path, seeds_dir: Path) -> list[Path]:
    return [
        *faq_paths(kb_dir),
        *(kb_dir / name for name in SPECIAL_FILES),
        *sorted(seeds_dir.glob("*.txt")),
    ]


@collection_paused()  # a build makes no garbage cycles (kb/memory.py)
def build_answerer(
    kb_dir: Path,
    seeds_dir: Path,
    params: MatchParams | None = None,
    use_cache: bool = True,
    previous: Answerer | None = None,
    read: FaqReader = read_faq_file,
    cache_in_background: bool = False,
    build_in_child: bool = False,
    after_build: Callable[[], None] | None = None,
) -> tuple[Answerer | None, list[Issue]]:
    """Load and index a knowledge folder; (None, issues) when it is invalid.

    With `previous` (the answerer of the last good version), entries that did not change keep their
    index data; with `use_cache`, a fresh build takes each unchanged entry's data from the index cache
    (signed JSON, see match/cache.py) and writes the cache again when entries changed (after returning,
    with `cache_in_background`: a reload need not wait for the write). `read` reads one FAQ file.
    `build_in_child`: a large build from nothing is done by a child process (kb/child_build.py), which
    writes the index cache after handing the index over and is not waited for (`child_build.reap`).
    `after_build`: done once the knowledge base is indexed, by the build child if there is one (while
    this process reads the index on another core), else here."""
    child_build.reap(wait=False)  # the child of a build before, if it has written its caches by now
    answerer, issues, done_after = _build_answerer(
        kb_dir, seeds_dir, params, use_cache, previous, read, cache_in_background, build_in_child, after_build
    )
    if after_build is not None and answerer is not None and not done_after:
        after_build()
    return answerer, issues


def _build_answerer(
    kb_dir: Path,
    seeds_dir: Path,
    params: MatchParams | None,
    use_cache: bool,
    previous: Answerer | None,
    read: FaqReader,
    cache_in_background: bool,
    build_in_child: bool,
    after_build: Callable[[], None] | None,
) -> tuple[Answerer | None, list[Issue], bool]:
    """`build_answerer`; the last item says whether a build child did `after_build`."""
    kb, issues = load_knowledge(kb_dir, SeedLibrary.load(seeds_dir), read)
    if kb is None:
        return None, issues, False
    if not use_cache:
        return Answerer(kb, params, previous=previous), [], False
    name = cache_name(tokenizer_for(kb).signature)
    stored = cache.load_entries(name) if previous is None else None  # a reload reuses the running version
    from_child = (
        build_in_child
        and previous is None
        and child_build.worth_a_child(len(kb.entries), len(stored or {}))
        and cache.signing_key() is not None  # else the child could not write the index cache
        and _derive_in_child(name, kb, stored or {}, after_build)
    )
    done_after = bool(from_child)
    keys = None  # each entry's key in order, when the build child's workers computed them
    if from_child:
        stored, keys = from_child[0], _in_entry_order(kb, from_child[1])
    from_file = stored
    pieces = None  # the cache file's JSON text, when forked workers derived the entries
    if previous is None and child_build.worth_sharing(len(kb.entries), len(stored or {})):
        parts = _try_derive_in_shares(kb, stored or {})
        if parts is not None:
            pieces = file_pieces(parts)
            stored = from_json_text(b"".join(pieces))
    answerer = Answerer(kb, params, previous=previous, stored=stored, keys=keys)
    if from_file is not None and from_file.keys() == set(answerer.index.derived_keys()):
        return answerer, [], done_after  # the file holds exactly this version already
    if pieces is not None:  # every entry's data, encoded by the workers already
        with _cache_lock:
            cache.store_file_pieces(name, pieces)
    elif cache_in_background:
        writer = threading.Thread(target=_store_entries_and_release, args=(name, answerer), name=INDEX_CACHE_THREAD)
        writer.daemon = True
        writer.start()
    else:
        _store_entries(name, answerer)
    return answerer, [], done_after


_cache_lock = threading.Lock()


def _try_derive_in_shares(kb: KnowledgeBase, stored: Mapping[str, Derived]) -> list[bytes | bytearray] | None:
    """Every entry's index data, derived by this process and a forked worker per other core, as cache
    file parts; None when no worker could be forked (the caller then builds alone)."""
    if child_build.workers() < 2 or not child_build.can_fork():
        return None
    try:
        return _derive_in_shares(kb, stored)
    except (OSError, RuntimeError):
        log.exception("index build in shares failed; building in this process")
        return None


def _derive_in_child(
    name: str, kb: KnowledgeBase, stored: Mapping[str, Derived], after_build: Callable[[], None] | None
) -> tuple[dict[str, Derived], list[list[str]]] | None:
    """Every entry's index data, derived in shares by a build child, which hands it over through a pipe
    and then, while this process reads it, writes it to the index cache (and does `after_build`); None if
    the child failed. Read from the pipe, the data is not read back from the file nor its signature checked
    (a tenth of what reading it cost at 10,000 entries), and the write is no longer waited for. The shares
    travel as kb/handover.py's bytes, and the child makes the cache's JSON of them after handing them
    over, while this process reads them."""
    shares: list[bytes | bytearray] = []  # each worker's entries (kb/handover.py), kept for `then`

    def work() -> list[bytes | bytearray]:
        shares[:] = child_build.map_in_children(
            lambda share: handover.share_bytes(derive(kb, share, stored, child_build.kept_until_exit())),
            _shares(kb),
        )
        return handover.pieces(shares)

    def then() -> None:
        child_build.release_kept()  # this share's memos: their memory is what the cache's encoding needs
        encoded = _cache_parts(shares)  # one share at a time: each read back, encoded and let go
        if encoded is None:
            log.error("a build worker's share could not be read back; the index cache is not written")
        else:
            with _cache_lock:
                cache.store_file_pieces(name, file_pieces(encoded))
        if after_build is not None:
            after_build()

    data = child_build.result_from_child(work, then)
    return None if data is None else handover.entries_of(data)


def _cache_parts(shares: list[bytes | bytearray]) -> list[bytes] | None:
    """The index cache's parts of the shares handed over, emptying `shares` as it goes (the entries of
    every share read back at once were 110 MB more of the build child's peak at 10,000 entries); None if
    one cannot be read back."""
    encoded = []
    while shares:
        entries = handover.share_entries(shares.pop(0))
        if entries is None:
            shares.clear()
            return None
        encoded.append(encode_part_bytes(entries))
    return encoded


def _shares(kb: KnowledgeBase) -> list[list[FaqEntry]]:
    """The entries dealt out to as many processes as there are cores (`_dealt`)."""
    return _dealt(kb.entries)


def _dealt(items: Sequence[Dealt]) -> list[list[Dealt]]:
    """Items dealt out in turn to as many processes as there are cores, in runs of neighbours, so that
    each share has a like mix of entries (some files' entries take longer than others') while a forked
    worker touches (and so copies) few memory pages of the entries it does not index: dealt one by one,
    each worker copied every page of the 100,000 entries the serving process had loaded."""
    count = child_build.workers()
    run = max(1, min(_DEALT_RUN, len(items) // (count * _RUNS_PER_SHARE)))
    starts = range(0, len(items), run)
    return [[item for at in starts[turn::count] for item in items[at : at + run]] for turn in range(count)]


def _in_entry_order(kb: KnowledgeBase, share_keys: list[list[str]]) -> list[str] | None:
    """The keys of the entries as `_shares` dealt them, put back in the entries' order; None if they are
    not as many as the entries of each share."""
    dealt = _dealt(range(len(kb.entries)))
    if [len(share) for share in dealt] != [len(keys) for keys in share_keys]:
        return None
    keys = [""] * len(kb.entries)
    for positions, in_share in zip(dealt, share_keys, strict=True):
        for position, key in zip(positions, in_share, strict=True):
            keys[position] = key
    return keys


_DEALT_RUN = 256  # entries dealt at once: a run of neighbours shares memory pages
_RUNS_PER_SHARE = 64  # at least, so that a small knowledge base is still dealt evenly


def _derive_in_shares(kb: KnowledgeBase, stored: Mapping[str, Derived]) -> list[bytes | bytearray]:
    """Every entry's index data, derived by as many processes as there are cores (`_shares`), each share
    encoded as a part of the cache file by the process that derived it (`stored.encode_part_bytes`: what
    comes back through the pipe is a few strings, not a pickle of every entry's data). Raises
    RuntimeError when a worker fails."""
    return child_build.map_in_children(
        lambda share: encode_part_bytes(derive(kb, share, stored, child_build.kept_until_exit())), _shares(kb)
    )


def _store_entries(name: str, answerer: Answerer) -> None:
    with _cache_lock:
        cache.store_entries(name, answerer.index.derived())


def _store_entries_and_release(name: str, answerer: Answerer) -> None:
    """After a reload: writing the file made tens of MB of temporaries (its rows, its text), which
    would otherwise stay resident (30 MB at 10,000 entries)."""
    _store_entries(name, answerer)
    trim()


class FaqFiles:
    """Reads FAQ files for successive reloads, parsing and validating again only a file whose bytes
    (or the seeds its quotes are checked against) changed: at 10,000 entries parsing is most of a
    reload."""

    def __init__(self, seeds_dir: Path, use_cache: bool = False) -> None:
        """`use_cache`: files parsed by an earlier process come from the index cache (parsed_cache.py)."""
        self.seeds_dir = seeds_dir
        self._seeds_digest = b""
        self._read: dict[Path, tuple[bytes, bytes, FaqFile]] = {}
        self._stored: dict[str, Any] | None = None if use_cache else {}
        self._unsaved = False

    def start(self, paths: list[Path]) -> None:
        """Before each load: note the seeds' version and forget files that are gone."""
        digest = hashlib.sha256()
        for path in sorted(self.seeds_dir.glob("*.txt")):
            digest.update(path.name.encode() + b"\0" + _digest(path) + b"\0")
        self._seeds_digest = digest.digest()
        present = set(paths)
        self._read = {path: value for path, value in self._read.items() if path in present}

    def read(self, path: Path, seeds: SeedLibrary) -> FaqFile:
        before = _digest(path)
        remembered = self._read.get(path)
        if remembered is not None and remembered[:2] == (before, self._seeds_digest):
            return remembered[2]
        if self._stored is None:
            self._stored = parsed_cache.load()
        stored = self._stored.get(parsed_cache.file_key(before, self._seeds_digest)) if before else None
        faq = parsed_cache.restore(path, stored) if stored is not None else None
        if faq is None:
            faq = read_faq_file(path, seeds)
            self._unsaved = True
        if before and _digest(path) == before:  # not rewritten while we read it
            self._read[path] = (before, self._seeds_digest, faq)
        return faq

    def forget_stored(self) -> None:
        """Drop the cache file's parsed files once the first version is read: every later read is of a
        file edited since, which the file does not hold (at 10,000 entries the copy held 15 MB)."""
        if self._stored is not None:
            self._stored = {}

    def saved(self) -> None:
        """Note that the files read so far are in the cache (written by a build child from its copy)."""
        self._unsaved = False

    def save(self) -> None:
        """Write the files read so far to the index cache, if some were parsed (not restored)."""
        if self._stored is None or not self._unsaved:
            return
        self._unsaved = False
        read = list(self._read.values())  # a snapshot: a reload may read files meanwhile
        files = {parsed_cache.file_key(digest, seeds): faq for digest, seeds, faq in read}
        parsed_cache.store(files)


def _digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b""


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
        map_large_blocks()  # before the cache's large temporaries
        self._fingerprint = _fingerprint(kb_dir, seeds_dir)
        self._faq_files = FaqFiles(seeds_dir, use_cache=True)
        self._faq_files.start(faq_paths(kb_dir))
        # Held off until what the build made is frozen: else the first allocation after the pause would go
        # through every object of it (kb/memory.keep_for_good).
        with collection_paused():
            answerer, issues = build_answerer(
                kb_dir,
                seeds_dir,
                params,
                read=self._faq_files.read,
                build_in_child=True,
                after_build=self._faq_files.save,
            )
            if answerer is None:
                raise KnowledgeError(issues)
            self._faq_files.saved()  # by the build child, if there was one
            self._faq_files.forget_stored()
            keep_for_good()
        map_large_blocks(keep_in_heap=answerer.index.question_bytes())
        self._answerer = answerer
        self._checked_at = time.monotonic()
        self._watching = False  # a watched store (a serving process) prepares each version fully

    def answerer(self) -> Answerer:
        """The current answerer, after a cheap check (at most once per interval) for edited files.
        A question never waits for a reload another thread (the watcher) is doing: it gets the
        current version, and the next question the new one."""
        if time.monotonic() - self._checked_at >= self.check_interval:
            self.refresh(wait=False)
        return self._answerer

    def refresh(self, force: bool = False, wait: bool = True) -> list[Issue]:
        """Reload if the files changed (or `force`); returns the issues of an invalid edit, if any.
        Reloading rebuilds only what the edit changed (FaqFiles; the index reuses unchanged entries)."""
        if not self._lock.acquire(blocking=wait):
            return self.errors
        try:
            return self._refresh(force)
        finally:
            self._lock.release()

    def _refresh(self, force: bool) -> list[Issue]:
        self._checked_at = time.monotonic()
        child_build.reap(wait=False)  # the first build's child, once it has written the caches
        fingerprint = _fingerprint(self.kb_dir, self.seeds_dir)
        if fingerprint == self._fingerprint and not force:
            return self.errors
        self._fingerprint = fingerprint
        self._faq_files.start(faq_paths(self.kb_dir))
        map_large_blocks()  # a build's temporaries are mapped, not left in the heap (questions meanwhile fault)
        answerer, issues = build_answerer(
            self.kb_dir,
            self.seeds_dir,
            self.params,
            previous=self._answerer,
            read=self._faq_files.read,
            cache_in_background=True,
        )
        self.errors = issues
        threading.Thread(target=self._save_faq_files, name=FAQ_CACHE_THREAD, daemon=True).start()
        if answerer is None:
            log.error(
                "knowledge base edit is invalid; keeping the last good version:\n%s",
                "\n".join(map(str, issues)),
            )
        else:
            if self._watching:
                answerer.warm()
            self._answerer = answerer
            log.info("knowledge base reloaded: %d entries", len(answerer.kb.entries))
        keep_for_good()  # the new version, as a start's; the replaced one was freed with its last reference
        map_large_blocks(keep_in_heap=self._answerer.index.question_bytes())
        if self.on_reload is not None:
            self.on_reload(issues)
        return issues

    def _save_faq_files(self) -> None:
        self._faq_files.save()
        trim()  # as after the index cache's write

    def watch(self, interval: float = 0.5) -> threading.Thread:
        """Poll in the background (a stat of each file), so an edit is live within `interval` plus
        the reload, and errors are logged even when nobody is asking."""

        def loop() -> None:
            self._answerer.warm()
            while True:
                time.sleep(interval)
                try:
                    self.refresh()
                except Exception:  # a watcher must never die
                    log.exception("knowledge base watcher failed")

        self._watching = True
        thread = threading.Thread(target=loop, name="kb-watcher", daemon=True)
        thread.start()
        return thread

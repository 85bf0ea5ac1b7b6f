"""What a long-running process does so that memory a build or a cache load freed leaves its RSS.

A serving process reads the index cache (tens of MB of JSON) and builds large temporaries (the decoded
text, lists of a million items); glibc keeps freed memory for reuse unless told otherwise.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import threading
from collections.abc import Iterator

_M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers (malloc.h)
_M_MMAP_THRESHOLD = -3
_LARGE_BLOCK = 128 * 1024  # glibc's initial threshold
_PAGE = 4096
_pause_lock = threading.Lock()
_pauses = 0  # builds running with the collector held off
_collector_was_enabled = True


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, loaded once: each load makes a CDLL object that is a garbage cycle once dropped."""
    with contextlib.suppress(OSError):
        return ctypes.CDLL("libc.so.6")
    return None


def map_large_blocks(keep_in_heap: int = 0) -> None:
    """Serve every block of 128 KiB or more (or more than `keep_in_heap` bytes) with its own mapping,
    unmapped when freed. By default glibc raises that threshold (up to 32 MiB) each time such a block is
    freed, so after the first large temporary the next ones land in the heap, where what they leave behind
    stays resident: 20 MB more at 10,000 entries. Not glibc: nothing to do.

    `keep_in_heap`: the size of the arrays every question makes (its scores over every entry); they are
    served from the heap, and as much is kept free at its top (glibc would hand it back past 128 KiB): a
    mapped block is faulted in page by page at every question, 500 faults and 1.2 ms at 100,000 entries."""
    threshold = max(_LARGE_BLOCK, keep_in_heap + _PAGE)
    libc = _libc()
    with contextlib.suppress(AttributeError):
        if libc is not None:
            libc.mallopt(_M_MMAP_THRESHOLD, threshold)
            libc.mallopt(_M_TRIM_THRESHOLD, 2 * threshold)  # glibc's own rule when it moves the threshold


def keep_for_good() -> None:
    """After a build (a start's or a reload's): hand back what it freed (`trim`) and exempt what the process
    holds from the cyclic collector (`gc.freeze`), which would otherwise go through every one of its
    objects at each full collection (0.1-0.17 s at 10,000 entries, each time; the first at the first
    allocation once the build's pause ends). A build makes next to no garbage cycles, and the version a
    reload replaces is freed as its last reference goes (tests/kb/test_memory.py checks both), so that
    nothing that should be collected stays frozen. (A reload that left the heap unfrozen held a serving
    process 0.16 s at 10,000 entries at every full collection after a curator's edit.)"""
    trim()
    gc.freeze()


def trim() -> None:
    """glibc's malloc_trim alone: what was freed without cycles (a written file's rows and text) goes back
    to the system without a collection, which holds the interpreter 0.25 s at 10,000 entries."""
    libc = _libc()
    with contextlib.suppress(AttributeError):
        if libc is not None:
            libc.malloc_trim(0)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Hold CPython's cyclic garbage collector off while a knowledge base is loaded and indexed. A build
    makes hundreds of thousands of objects (YAML nodes, entries, segmentations and their memos) and no
    garbage cycles, and the collector, run every 700 new objects and now and then over the whole heap,
    went through them for nothing: 0.1 s of a cold `ask`. It runs again when the last build running
    ends (and was on before the first), and then finds whatever it would have found meanwhile."""
    global _pauses, _collector_was_enabled
    with _pause_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                gc.enable()

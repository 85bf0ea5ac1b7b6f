"""A large first build, done in a child process: a serving process then holds what a restart holds.

Indexing 10,000 entries makes some 300 MB of short-lived objects (segmentations and their memos)
between the index's own; once they are freed, CPython's allocator cannot hand back the pools the index
still has objects in, so a process that built its index from nothing stayed near 490 MB against
300 MB for one that read the same index from the cache. Forked, the child builds and writes the index
cache, then exits; the parent reads the index from the cache as a restart does (about 2 s at 10,000
entries).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

MIN_ENTRIES = 2_000  # below this a build leaves too little behind to be worth a process


def worth_a_child(entries: int, cached: int) -> bool:
    """A build of many entries, most of them not in the index cache."""
    return entries >= MIN_ENTRIES and cached < entries // 2


def run_in_child(work: Callable[[], None]) -> bool:
    """Run `work` in a forked child and wait for it; True when it finished without an error. Not forked
    (False) where there is no fork, or when other threads run: a child would inherit their locks."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # or the child's exit would write what is buffered a second time
    pid = os.fork()
    if pid == 0:  # the child: never return into the parent's code
        code = 1
        try:
            work()
            code = 0
        except BaseException:
            log.exception("index build in a child process failed")
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0

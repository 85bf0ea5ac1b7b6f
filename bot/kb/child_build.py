"""A large first build, done in a child process: a serving process then holds what a restart holds.

Indexing 10,000 entries makes some 300 MB of short-lived objects (segmentations and their memos)
between the index's own; once they are freed, CPython's allocator cannot hand back the pools the index
still has objects in, so a process that built its index from nothing stayed near 490 MB against
300 MB for one that read the same index from the cache. Forked, the child builds, hands the index data
to the parent through a pipe (in the cache file's format), then writes the index cache and exits; the
parent reads the index from those bytes as a restart reads the file (about 1.5 s at 10,000 entries).

The child shares the entries out among the machine's cores: each entry's index data depends only on its
own texts (`bot.match.index.derive`), so forked workers each derive a share and send it back through a
pipe (bytes the work made, sent as they are: a pickle of them was two more copies of tens of megabytes).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

log = logging.getLogger(__name__)

MIN_ENTRIES = 2_000  # below this a build leaves too little behind to be worth a process
MIN_SHARED_ENTRIES = 200  # below this, forking a worker costs more than the share it takes
_PIPE_BYTES = 1 << 20  # what an unprivileged process may ask for (/proc/sys/fs/pipe-max-size)
MAX_WORKERS = 4  # each holds its share's segmentations: more would cost memory for little time

Part = TypeVar("Part")


def worth_a_child(entries: int, cached: int) -> bool:
    """A build of many entries, most of them not in the index cache."""
    return entries >= MIN_ENTRIES and cached < entries // 2


def worth_sharing(entries: int, cached: int) -> bool:
    """A build from nothing too small for a child of its own, whose entries workers can still share out:
    a first `python -m bot ask` on a new machine waits for every entry of the shipped knowledge base."""
    return MIN_SHARED_ENTRIES <= entries < MIN_ENTRIES and cached < entries // 2


def can_fork() -> bool:
    """Where there is fork and no other thread runs (a child would inherit their locks)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _fork_with_pipe() -> tuple[int, int, int]:
    """Fork with a pipe from the child to this process: (pid, read end, write end), pid 0 in the child."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # or the child's exit would write what is buffered a second time
    read_end, write_end = os.pipe()
    with contextlib.suppress(ImportError, OSError, AttributeError):  # Linux: a larger pipe, fewer switches
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    return os.fork(), read_end, write_end


_kept_until_exit: list[object] | None = None  # in a forked child, see `kept_until_exit`


def kept_until_exit() -> list[object] | None:
    """In a forked child (whose life ends with os._exit), a list to hold what its work made rather than
    free it: a build worker freed its memos and its share's data object by object (0.1 s of 5,000
    entries' 2.8 s), memory its exit hands back at once. None in any other process."""
    return _kept_until_exit


def release_kept() -> None:
    """Free now what `kept_until_exit` holds: for a child with more to do after its work, which needs the
    memory (the build child writing the index cache after a 10,000-entry build: peak 526 -> 496 MB)."""
    if _kept_until_exit is not None:
        _kept_until_exit.clear()


def _yield_to_parent() -> None:
    """Run at a lower priority from now on: what a child does once it has handed its result over should
    not take a core from the parent, which reads that result meanwhile and is waited for."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(_AFTER_HAND_OVER_NICENESS)


_AFTER_HAND_OVER_NICENESS = 10


def _exit_after(body: Callable[[], None], failure: str) -> NoReturn:
    """A forked child's whole life: run `body`, then exit (0, or 1 after logging `failure`), never
    returning into the code that forked it."""
    global _kept_until_exit
    _kept_until_exit = []
    code = 1
    try:
        body()
        code = 0
    except BaseException:
        log.exception(failure)
    finally:
        os._exit(code)


def run_in_child(work: Callable[[], None], then: Callable[[], None] | None = None) -> bool:
    """Run `work` in a forked child and wait for it; True when it finished without an error. Not forked
    (False) where there is no fork, or when other threads run: a child would inherit their locks.
    `then`: more for the child to do after `work`, which this process does not wait for (it goes on as
    soon as `work` is done, on another core): `reap` collects it."""

    def work_making_nothing() -> list[bytes]:
        work()
        return []

    return result_from_child(work_making_nothing, then) is not None


def result_from_child(
    work: Callable[[], Sequence[bytes | bytearray]], then: Callable[[], None] | None = None
) -> bytearray | None:
    """`run_in_child` for work that makes bytes: they come back through the pipe (from a process this one
    forked, never from a file), None when the child failed or could not be forked."""
    if not can_fork():
        return None
    pid, read_end, write_end = _fork_with_pipe()
    if pid == 0:

        def child() -> None:
            os.close(read_end)
            pieces = work()  # sent one after the other, not joined: a copy of tens of megabytes
            with os.fdopen(write_end, "wb", buffering=0) as pipe:  # closed: the parent goes on
                _write_all(pipe, _DONE + sum(map(len, pieces)).to_bytes(8, "little"))
                for piece in pieces:
                    _write_all(pipe, piece)
            del pieces  # what `then` needs, it keeps itself
            if then is not None:
                _yield_to_parent()
                then()

        _exit_after(child, "index build in a child process failed")
    os.close(write_end)
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        header = _read_exactly(pipe, len(_DONE) + 8)  # once `work` is done (or the child is gone)
        size = int.from_bytes(header[len(_DONE) :], "little") if header[: len(_DONE)] == _DONE else -1
        data = _read_exactly(pipe, size) if size >= 0 else bytearray()
    done = size == len(data)
    if done and then is not None:
        _unreaped.append(pid)
        return data
    _, status = os.waitpid(pid, 0)
    return data if done and os.waitstatus_to_exitcode(status) == 0 else None


_DONE = b"done"


def _write_all(pipe: io.FileIO, data: bytes | bytearray) -> None:
    """All of `data`, through an unbuffered pipe (a write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[pipe.write(view) :]


def _read_exactly(pipe: io.FileIO, size: int) -> bytearray:
    """`size` bytes from an unbuffered pipe, into one buffer made at its full size (a read to the end
    grows its buffer, copying tens of megabytes); fewer if the writer closed its end first."""
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        read = pipe.readinto(view[got:])
        if not read:
            break
        got += read
    del view
    return data if got == size else data[:got]


_unreaped: list[int] = []


def reap(wait: bool = True) -> None:
    """Collect the children doing what `run_in_child` gave them to do after their work: wait for each, or
    (not `wait`) only those already done, so that none is left a zombie for long."""
    for pid in list(_unreaped):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # collected by someone else
            done = pid
        if done:
            _unreaped.remove(pid)


def workers() -> int:
    """How many processes a build can keep busy: the cores this process may run on, up to MAX_WORKERS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS)) if hasattr(os, "fork") else 1


def _send_share(work: Callable[[Part], bytes], part: Part, read_end: int, write_end: int, others: list[int]) -> None:
    """A forked child's share of `map_in_children`: `work(part)`, down the pipe to the parent after
    its length."""
    os.close(read_end)
    for other in others:  # the earlier children's pipes, inherited: only the parent reads them
        os.close(other)
    made = work(part)
    with os.fdopen(write_end, "wb", buffering=0) as pipe:
        _write_all(pipe, len(made).to_bytes(8, "little"))
        _write_all(pipe, made)


def map_in_children(work: Callable[[Part], bytes], parts: Sequence[Part]) -> list[bytes | bytearray]:
    """`work(part)` for each part, in order: the first part in this process while each other part is
    worked on by a forked child. Raises RuntimeError if a child fails. Only for a process whose other
    threads (if any) hold no lock the work needs, as in `run_in_child`'s child."""
    children: list[tuple[int, int]] = []
    for part in parts[1:]:
        pid, read_end, write_end = _fork_with_pipe()
        if pid == 0:
            others = [other for _, other in children]
            share = functools.partial(_send_share, work, part, read_end, write_end, others)
            _exit_after(share, "a share of the index build failed in a child process")
        os.close(write_end)
        children.append((pid, read_end))
    try:
        results: list[bytes | bytearray] = [work(parts[0])] if parts else []
    finally:  # the children are waited for even when this share failed
        shares = [_share(pid, read_end) for pid, read_end in children]
    if any(share is None for share in shares):
        raise RuntimeError("a child process failed its share of the work")
    return [*results, *(share for share in shares if share is not None)]


def _share(pid: int, read_end: int) -> bytearray | None:
    """What the child `pid` sent through the pipe; None unless it sent all it said and exited cleanly."""
    with os.fdopen(read_end, "rb", buffering=0) as pipe:  # read before waiting: a child blocks until then
        header = _read_exactly(pipe, 8)
        data = _read_exactly(pipe, int.from_bytes(header, "little")) if len(header) == 8 else None
    _, status = os.waitpid(pid, 0)
    if data is None or len(data) != int.from_bytes(header, "little") or os.waitstatus_to_exitcode(status) != 0:
        return None
    return data

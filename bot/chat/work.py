"""The bounded work queue: listeners only route and enqueue, a fixed set of threads answers.

A platform must get its answer (the ack) within 3 seconds (Slack and Feishu alike), whatever the bot
is busy with. The request handlers of every platform do nothing slow: they check the request, put a
job here and return. When the queue is full, `submit` says so at once and
the listener tells the user the bot is busy, so the time to an answer stays bounded instead of
growing with the backlog.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

WORKERS = 32  # answering is quick; the threads mostly wait on the Web API
QUEUE_LIMIT = 512  # at 0.3 s per Web API call, 32 workers drain this in about 5 s

Job = Callable[[], None]
_STOP = object()


class WorkQueue:
    def __init__(self, workers: int = WORKERS, limit: int = QUEUE_LIMIT, name: str = "chat-work") -> None:
        self.limit = limit
        self._queue: queue.Queue[object] = queue.Queue(maxsize=limit)
        self._threads = [threading.Thread(target=self._run, name=f"{name}-{n}", daemon=True) for n in range(workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Job) -> bool:
        """Queue `job`; False at once when the queue is full (the caller says the bot is busy)."""
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            return False
        return True

    @property
    def depth(self) -> int:
        return self._queue.qsize()

    def full(self) -> bool:
        return self._queue.full()

    def shutdown(self, wait: bool = True) -> None:
        for _ in self._threads:
            self._queue.put(_STOP)
        if wait:
            for thread in self._threads:
                thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            try:
                job()  # type: ignore[operator]
            except Exception:
                # the job's name only: its arguments hold what users wrote, which is not for the log
                func = getattr(job, "func", job)
                log.exception("a queued job failed: %s", getattr(func, "__qualname__", type(func).__name__))

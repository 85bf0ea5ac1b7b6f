"""At most N messages a minute per robot (DingTalk allows 20, then throttles the robot for minutes).

A sliding window per key: `try_acquire` takes a slot now or says how long until one is free, without
blocking, so that a reply worker can hand the wait to the outbox's retry and a digest sender can sleep.
When DingTalk answers "too fast" anyway (another process sends with the same robot), `pause` holds the
key back for the time DingTalk asked for.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

PER_MINUTE = 20
WINDOW = 62.0  # DingTalk's minute, plus a margin: our clock starts a slot before DingTalk sees the message


class RateLimiter:
    def __init__(self, limit: int = PER_MINUTE, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._sent: dict[str, deque[float]] = {}
        self._paused: dict[str, float] = {}
        self._lock = threading.Lock()

    def try_acquire(self, key: str) -> float:
        """0.0: a slot is taken, send now. Otherwise the seconds to wait before asking again."""
        with self._lock:
            now = self.clock()
            paused = self._paused.get(key, 0.0) - now
            if paused > 0:
                return paused
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - self.window:
                sent.popleft()
            if len(sent) >= self.limit:
                return max(sent[0] + self.window - now, 0.001)
            sent.append(now)
            return 0.0

    def wait_for_slot(self, key: str, max_wait: float, sleep: Callable[[float], None] = time.sleep) -> float:
        """Sleep until a slot is taken (a digest sender can wait): 0.0. If that would take longer than
        `max_wait`, take nothing and return the seconds still needed."""
        waited = 0.0
        while True:
            wait = self.try_acquire(key)
            if wait == 0.0:
                return 0.0
            if waited + wait > max_wait:
                return wait
            sleep(wait)
            waited += wait

    def pause(self, key: str, seconds: float) -> None:
        """DingTalk said "too fast": no slot for `key` until `seconds` from now."""
        with self._lock:
            until = self.clock() + seconds
            self._paused[key] = max(self._paused.get(key, 0.0), until)

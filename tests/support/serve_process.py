"""Waiting for a `python -m bot serve` subprocess to listen."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request


def wait_healthy(process: subprocess.Popen[str], port: int, timeout: float = 120) -> dict:
    """/healthz once the HTTP server listens (a platform's client may connect, and even answer, before it
    does); fails if the process exits or the endpoint never comes up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                return json.loads(response.read())
        except OSError:
            assert process.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)

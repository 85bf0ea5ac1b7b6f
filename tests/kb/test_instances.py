"""Several bot processes over one knowledge folder: an edit reaches every one of them.

Each instance (`serve` behind a load balancer) runs its own KnowledgeStore watcher over the same
files; nothing else needs to tell it (docs/scale.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bot.config import PROJECT_ROOT
from tests.kb.test_hot_reload import NEW_ENTRY, bump_mtime
from tests.support.kb import copy_knowledge, write_faq

# One instance: the store and its background watcher, as `serve` has them, answering stdin lines.
INSTANCE = """
import json, sys
from pathlib import Path
from bot.kb.store import KnowledgeStore
store = KnowledgeStore(Path(sys.argv[1]), Path(sys.argv[2]), check_interval=3600)  # only the watcher reloads
store.watch(interval=0.2)
print("ready", flush=True)
for line in sys.stdin:
    print(json.dumps(store.answerer().ask(line.strip()).to_json(), ensure_ascii=False), flush=True)
"""

QUESTION = "商丘表彰奖励名单"


def start_instance(kb_dir, tmp_path, name: str) -> subprocess.Popen[str]:
    env_cache = {"BOT_CACHE_DIR": str(tmp_path / f"cache-{name}"), "BOT_CACHE_KEY": "test-key-" + name}
    process = subprocess.Popen(
        [sys.executable, "-c", INSTANCE, str(kb_dir), str(kb_dir.parent / "seeds")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **env_cache},
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def ask(process: subprocess.Popen[str], question: str) -> dict:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(question + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def test_an_edit_reaches_every_instance(tmp_path):
    kb_dir = copy_knowledge(tmp_path)
    instances = [start_instance(kb_dir, tmp_path, name) for name in ("a", "b")]
    try:
        assert all(ask(process, QUESTION)["id"] != "hot-new-entry" for process in instances)
        bump_mtime(write_faq(kb_dir, "zz_hot.yaml", NEW_ENTRY))
        seen = set()
        deadline = time.monotonic() + 60
        while len(seen) < len(instances) and time.monotonic() < deadline:
            for number, process in enumerate(instances):
                if ask(process, QUESTION)["id"] == "hot-new-entry":
                    seen.add(number)
            time.sleep(0.1)
        assert seen == {0, 1}, "an instance never saw the edit"
    finally:
        for process in instances:
            process.kill()
            process.wait()

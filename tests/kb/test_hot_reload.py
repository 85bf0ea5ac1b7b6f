"""A running process picks up edited YAML without a restart and keeps the last good KB on a bad edit."""

from __future__ import annotations

import os

from bot.kb.store import KnowledgeStore
from tests.support.kb import SEED_000, copy_knowledge, write_faq

NEW_ENTRY = f"""entries:
  - id: hot-new-entry
    question: 商丘表彰了哪些智能制造成效突出的县和企业？
    alternatives: [商丘表彰奖励名单]
    keywords: [表彰奖励, 阿诗丹顿, 嘉鸿鞋业]
    answer: 商丘市对智能制造成效突出的睢县、民权县和阿诗丹顿、嘉鸿鞋业进行了表彰奖励。
    source:
      seed: {SEED_000}
      quotes:
        - 对智能制造成效突出的睢县、民权县和阿诗丹顿、嘉鸿鞋业进行了表彰奖励
"""


def bump_mtime(path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_valid_edit_is_picked_up_and_invalid_edit_keeps_last_good(tmp_path):
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    before = len(store.answerer().kb.entries)

    path = write_faq(kb_dir, "zz_hot.yaml", NEW_ENTRY)
    bump_mtime(path)
    answerer = store.answerer()
    assert len(answerer.kb.entries) == before + 1
    assert answerer.kb.by_id("hot-new-entry") is not None
    assert store.errors == []

    path.write_text(NEW_ENTRY.replace("answer:", "answr:"), encoding="utf-8")
    bump_mtime(path)
    kept = store.answerer()
    assert kept is answerer  # the last good version keeps answering
    assert any(f"{path}:" in str(issue) and "hot-new-entry" in str(issue) for issue in store.errors)


def test_every_knowledge_file_is_watched(tmp_path):
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    for name in ("synonyms.yaml", "documents.yaml", "question_types.yaml", "places.yaml"):
        path = kb_dir / name
        good = path.read_text(encoding="utf-8")
        path.write_text(good + "\nunexpected: 1\n", encoding="utf-8")
        bump_mtime(path)
        store.answerer()
        assert any(f"{path}:" in str(issue) for issue in store.errors), name
        path.write_text(good, encoding="utf-8")
        bump_mtime(path)
        store.answerer()
        assert store.errors == [], name

"""FAQ files parsed by an earlier process come from the signed index cache, and only a signed, well-formed
one: an altered, corrupt or malformed file is parsed from its YAML again."""

from __future__ import annotations

import pytest

from bot.kb import parsed_cache
from bot.kb.store import KnowledgeStore
from bot.match import cache
from tests.support.kb import copy_knowledge

MARK = "（缓存中的答案）"


@pytest.fixture
def kb_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY", "test-key")
    return copy_knowledge(tmp_path)


def start(kb_dir) -> KnowledgeStore:
    return KnowledgeStore(kb_dir, kb_dir.parent / "seeds", check_interval=3600)


def cache_file(kb_dir):
    (path,) = (kb_dir.parent / "cache").glob("faqs-*.json")
    return path


def mark_answers(kb_dir) -> None:
    """Rewrite every cached entry's answer and sign the result with the real key."""
    files = parsed_cache.load()
    for rows in files.values():
        for row in rows:
            row[0]["answer"] += MARK
    cache.store(cache_file(kb_dir).stem, {"format": parsed_cache.FORMAT, "files": files})


def answers_marked(store: KnowledgeStore) -> bool:
    return all(entry.answer.endswith(MARK) for entry in store.answerer().kb.entries)


def test_a_second_start_reads_the_parsed_files_from_the_cache(kb_dir):
    first = start(kb_dir).answerer().kb
    assert start(kb_dir).answerer().kb.entries == first.entries
    mark_answers(kb_dir)
    assert answers_marked(start(kb_dir))  # what the (signed) file said, so it was read rather than the YAML


def test_an_altered_or_corrupt_file_is_ignored(kb_dir):
    expected = start(kb_dir).answerer().kb.entries
    path = cache_file(kb_dir)
    data = path.read_bytes()
    for broken in (data.replace("天津".encode(), "深圳".encode()), data[:-7], b"{}"):
        path.write_bytes(broken)
        assert start(kb_dir).answerer().kb.entries == expected


def test_a_signed_entry_the_schema_rejects_is_parsed_again(kb_dir):
    expected = start(kb_dir).answerer().kb.entries
    files = parsed_cache.load()
    for rows in files.values():
        rows[0][0]["id"] = "Not An Id!"
    cache.store(cache_file(kb_dir).stem, {"format": parsed_cache.FORMAT, "files": files})
    assert start(kb_dir).answerer().kb.entries == expected


def test_an_edited_file_is_parsed_and_the_others_come_from_the_cache(kb_dir):
    start(kb_dir)
    mark_answers(kb_dir)
    path = kb_dir / "faq" / "tianjin.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("question:", "question: 请问", 1), encoding="utf-8")
    kb = start(kb_dir).answerer().kb
    edited = [entry for entry in kb.entries if kb.origins[entry.id].path == path]
    others = [entry for entry in kb.entries if kb.origins[entry.id].path != path]
    assert edited and not any(entry.answer.endswith(MARK) for entry in edited)
    assert edited[0].question.startswith("请问")
    assert others and all(entry.answer.endswith(MARK) for entry in others)

"""A reload reuses what did not change (parsed files, indexed entries, segmentations) and answers
exactly as a build from nothing would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace

import pytest

from bench.datasets import load
from bot.config import PROJECT_ROOT
from bot.kb.seeds import SeedLibrary
from bot.kb.store import INDEX_CACHE_THREAD, FaqFiles, KnowledgeStore, build_answerer
from bot.match import cache
from bot.match.stored import cache_name
from tests.kb.test_hot_reload import NEW_ENTRY, bump_mtime
from tests.support.kb import copy_knowledge, write_faq

QUESTIONS = [item.question for item in load(PROJECT_ROOT / "bench" / "devset.yaml")]


@pytest.fixture
def no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY", "test-key")


def answers(answerer) -> list[dict]:
    return [answerer.ask(question).to_json() for question in QUESTIONS]


def fresh(kb_dir):
    answerer, issues = build_answerer(kb_dir, kb_dir.parent / "seeds", use_cache=False)
    assert answerer is not None, issues
    return answerer


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    bump_mtime(path)


def test_unchanged_files_are_not_read_again(tmp_path):
    kb_dir = copy_knowledge(tmp_path)
    seeds = SeedLibrary.load(tmp_path / "seeds")
    files = FaqFiles(tmp_path / "seeds")
    paths = sorted((kb_dir / "faq").glob("*.yaml"))
    files.start(paths)
    first = {path: files.read(path, seeds) for path in paths}
    edit(paths[0], "question:", "question: 请问")
    files.start(paths)
    again = {path: files.read(path, seeds) for path in paths}
    assert again[paths[0]] is not first[paths[0]]
    assert again[paths[0]].entries[0].entry.question.startswith("请问")
    assert all(again[path] is first[path] for path in paths[1:])
    seed = sorted((tmp_path / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    files.start(paths)  # quotes are checked against the seeds: a seed edit re-reads every file
    assert all(files.read(path, seeds) is not again[path] for path in paths)


def test_a_one_entry_edit_answers_as_a_fresh_build(tmp_path, no_cache):
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    before = answers(store.answerer())
    path = kb_dir / "faq" / "tianjin.yaml"
    edit(path, "question:", "question: 天津市政府：")  # the first entry's question reworded
    reloaded = store.answerer()
    assert reloaded is not None and any(e.question.startswith("天津市政府：") for e in reloaded.kb.entries)
    expected = answers(fresh(kb_dir))
    assert answers(reloaded) == expected
    assert expected != before  # the edit mattered


def test_new_words_and_entries_answer_as_a_fresh_build(tmp_path, no_cache):
    """A new entry brings new keywords: jieba's dictionary changes, and the texts that hold one of them are
    segmented anew; the rest are reused. A restart from the index cache written after it answers alike."""
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    before = store.answerer()
    bump_mtime(write_faq(kb_dir, "zz_hot.yaml", NEW_ENTRY.replace("嘉鸿鞋业]", "嘉鸿鞋业, 智造表彰名单]")))
    reloaded = store.answerer()
    assert reloaded.kb.by_id("hot-new-entry") is not None
    assert reloaded.index.tokenizer.is_knowledge_word("智造表彰名单")
    assert reloaded.index.tokenizer is not before.index.tokenizer
    reused = {id(indexed) for indexed in before.index.entries}
    assert sum(id(indexed) in reused for indexed in reloaded.index.entries) > len(before.index.entries) * 0.9
    expected = answers(fresh(kb_dir))
    assert answers(reloaded) == expected
    for thread in threading.enumerate():  # the reload writes the index cache in the background
        if thread.name == INDEX_CACHE_THREAD:
            thread.join()
    written = cache.load_entries(cache_name(reloaded.index.tokenizer.signature))
    assert written is not None and set(written) == set(reloaded.index.derived_keys())
    assert restart(kb_dir, tmp_path) == expected


def test_a_new_synonym_group_answers_as_a_fresh_build(tmp_path, no_cache):
    """A curator's new synonym group rewrites the texts that hold its terms; the other entries are reused, and
    the bot answers as a build from nothing would, the new wording included."""
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    before = store.answerer()
    synonyms = kb_dir / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "  - [示范企业, 样板企业]\n", encoding="utf-8")
    bump_mtime(synonyms)
    reloaded = store.answerer()
    assert reloaded is not before and reloaded.index.canonical("样板企业") == "示范企业"
    reused = {id(indexed) for indexed in before.index.entries}
    assert sum(id(indexed) in reused for indexed in reloaded.index.entries) > len(before.index.entries) * 0.9
    assert answers(reloaded) == answers(fresh(kb_dir))


def test_a_duplicate_id_across_a_reused_and_an_edited_file_is_still_caught(tmp_path, no_cache):
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    good = store.answerer()
    duplicate = NEW_ENTRY.replace("hot-new-entry", good.kb.entries[0].id)
    bump_mtime(write_faq(kb_dir, "zz_hot.yaml", duplicate))
    assert store.answerer() is good
    assert any("duplicate id" in str(issue) and "zz_hot.yaml" in str(issue) for issue in store.errors)


def test_an_alternative_shared_by_a_reused_and_an_edited_file_is_still_caught(tmp_path, no_cache):
    """Each file knows its own alternatives; shared ones across files are still compared one by one."""
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    good = store.answerer()
    taken = next(entry for entry in good.kb.entries if entry.alternatives)
    spaced = " ".join(taken.alternatives[0])  # compared without whitespace
    bump_mtime(
        write_faq(kb_dir, "zz_hot.yaml", NEW_ENTRY.replace("[商丘表彰奖励名单]", f"[商丘表彰奖励名单, '{spaced}']"))
    )
    assert store.answerer() is good
    assert any(
        "is also under entry" in str(issue) and taken.id in str(issue) and "zz_hot.yaml" in str(issue)
        for issue in store.errors
    )


def test_an_edit_keeps_the_keys_of_the_entries_it_did_not_touch_and_makes_the_others(tmp_path, no_cache):
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=0)
    before = store.answerer().index.derived_keys()
    edit(kb_dir / "faq" / "tianjin.yaml", "question:", "question: 天津市政府：")
    reloaded = store.answerer()
    assert reloaded.index.derived_keys() == fresh(kb_dir).index.derived_keys()
    assert sum(old != new for old, new in zip(before, reloaded.index.derived_keys(), strict=True)) == 1


RESTART = """
import json, sys
from pathlib import Path
from bench.datasets import load
from bot.config import PROJECT_ROOT
from bot.kb.store import build_answerer
answerer, _ = build_answerer(Path(sys.argv[1]), Path(sys.argv[2]))
for item in load(PROJECT_ROOT / "bench" / "devset.yaml"):
    print(json.dumps(answerer.ask(item.question).to_json(), ensure_ascii=False))
"""


def restart(kb_dir, tmp_path) -> list[dict]:
    """Answers of a new process (nothing reused in memory) over the same cache folder."""
    env = {**os.environ, "BOT_CACHE_DIR": str(tmp_path / "cache"), "BOT_CACHE_KEY": "test-key"}
    command = [sys.executable, "-c", RESTART, str(kb_dir), str(tmp_path / "seeds")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=300, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_restart_reads_the_index_cache_and_only_a_signed_one(tmp_path, no_cache):
    kb_dir = copy_knowledge(tmp_path)
    build_answerer(kb_dir, tmp_path / "seeds")
    (path,) = (tmp_path / "cache").glob("index-*.json")
    name = path.stem
    expected = answers(fresh(kb_dir))
    assert restart(kb_dir, tmp_path) == expected
    # Rewrite the cached entries (no words, no terms) and sign them with the real key: the restart now
    # answers differently, so it did read the file...
    emptied = {
        key: replace(derived, vocabulary=(), terms=(), tf=()) for key, derived in cache.load_entries(name).items()
    }
    cache.store_entries(name, emptied)
    assert restart(kb_dir, tmp_path) != expected
    # ...and the same change without the key is ignored: the restart answers as a fresh build.
    data = path.read_bytes()
    altered = data[:-1] + b" " + data[-1:]  # the same JSON meaning, other bytes
    assert altered != data
    path.write_bytes(altered)
    assert restart(kb_dir, tmp_path) == expected


def test_a_start_after_an_edit_takes_the_other_entries_from_the_cache(tmp_path, no_cache):
    """The cache holds entries by content: after an edit between two runs, the unchanged entries come
    from the file, the edited one is indexed anew, and the answers are a fresh build's."""
    kb_dir = copy_knowledge(tmp_path)
    build_answerer(kb_dir, tmp_path / "seeds")
    edit(kb_dir / "faq" / "tianjin.yaml", "question:", "question: 天津市政府：")
    answerer, _ = build_answerer(kb_dir, tmp_path / "seeds")
    (path,) = (tmp_path / "cache").glob("index-*.json")
    stored = cache.load_entries(path.stem)
    assert stored is not None and set(stored) == set(answerer.index.derived_keys())  # rewritten with the edit
    assert answers(answerer) == answers(fresh(kb_dir))

"""The collector is held off during a build and comes back as it was; a started store's index is frozen."""

from __future__ import annotations

import gc
import weakref

from bot.config import DEFAULT_SEEDS_DIR
from bot.kb.memory import collection_paused
from bot.kb.store import KnowledgeStore, build_answerer
from tests.support.kb import copy_knowledge


def test_a_build_holds_the_collector_off_and_turns_it_back_on():
    seen = []

    @collection_paused()
    def build() -> None:
        seen.append(gc.isenabled())
        with collection_paused():  # a reload while another build runs
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())

    assert gc.isenabled()
    build()
    assert seen == [False, False, False] and gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_after_a_build_even_of_an_invalid_knowledge_base(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "bad.yaml").write_text("entries: [\n", encoding="utf-8")
    answerer, issues = build_answerer(tmp_path, DEFAULT_SEEDS_DIR, use_cache=False)
    assert answerer is None and issues and gc.isenabled()


def test_a_store_keeps_its_index_out_of_the_collectors_way_and_a_reload_frees_the_replaced_version(
    tmp_path, monkeypatch
):
    """Unfrozen, a 10,000-entry index cost every full collection 0.16 s; a reload freezes the new version as
    a start does, which is safe only if the version it replaces goes with its last reference, without a
    collection (a version in a garbage cycle would stay frozen, and be held for good)."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    kb_dir = copy_knowledge(tmp_path)  # the autouse fixture (tests/conftest.py) unfreezes after each test
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=3600)
    entry = store.answerer().index.entries[0]
    assert gc.is_tracked(entry) and gc.get_freeze_count() > 0
    assert not any(entry is young for young in gc.get_objects()), "the index is still in the collector's way"
    replaced = weakref.ref(store.answerer())
    faq = next((kb_dir / "faq").glob("*.yaml"))
    faq.write_text(faq.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.refresh(force=True)
    assert replaced() is None, "the replaced version outlived its last reference (a cycle, now frozen)"
    new = store.answerer()
    assert not any(young is new or young is new.index for young in gc.get_objects()), "the new version is not frozen"
    assert gc.isenabled()

"""A large first build is done by a forked child through the index cache, and answers as one made
in the process."""

from __future__ import annotations

import os
import time
from types import SimpleNamespace

import pytest

from bot.kb import child_build, handover
from bot.kb import store as kb_store
from bot.kb.child_build import map_in_children, reap, result_from_child, run_in_child, worth_a_child
from bot.kb.store import KnowledgeStore, build_answerer
from bot.match import cache
from bot.match.index import MatchIndex
from bot.match.stored import cache_name
from tests.kb.test_incremental_reload import answers, fresh
from tests.support.kb import copy_knowledge, shipped_answerer

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def test_the_child_does_the_work_and_says_whether_it_finished(tmp_path):
    out = tmp_path / "out"
    assert run_in_child(lambda: out.write_text("built"))
    assert out.read_text() == "built"
    assert not run_in_child(lambda: 1 / 0)


def test_what_the_child_does_after_its_work_is_not_waited_for_until_reaped(tmp_path):
    out = tmp_path / "out"
    assert run_in_child(lambda: out.write_text("built"), then=lambda: (time.sleep(0.5), out.write_text("then")))
    assert out.read_text() == "built"  # back as soon as the work is done
    reap()
    assert out.read_text() == "then"
    assert not run_in_child(lambda: 1 / 0, then=lambda: out.write_text("not after a failure"))
    reap()
    assert out.read_text() == "then"


def test_only_a_large_mostly_uncached_build_is_worth_a_child():
    assert worth_a_child(10_000, 0) and worth_a_child(10_000, 4_999)
    assert not worth_a_child(10_000, 5_000)  # mostly read from the cache: little to build
    assert not worth_a_child(child_build.MIN_ENTRIES - 1, 0)


def test_a_store_built_by_a_child_answers_as_a_build_in_the_process(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY", "test-key")
    monkeypatch.setattr(child_build, "MIN_ENTRIES", 1)
    monkeypatch.setattr(child_build, "workers", lambda: 3)  # the child shares the build out, whatever the cores
    forks: list[bool] = []

    def counted(work, then=None):
        data = result_from_child(work, then)
        forks.append(data is not None)
        return data

    monkeypatch.setattr(child_build, "result_from_child", counted)
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=3600)
    assert forks == [True], "the build was not done by a child"
    alone = fresh(kb_dir)
    assert store.answerer().index.derived_keys() == alone.index.derived_keys()  # the workers' keys, in order
    assert answers(store.answerer()) == answers(alone)
    deadline = time.monotonic() + 60
    while child_build._unreaped and time.monotonic() < deadline:  # collected by the store's checks for edits
        store.refresh()
        time.sleep(0.05)
    assert not child_build._unreaped, "the build child was never collected"
    assert list((tmp_path / "cache").glob("faqs-*.json")), "the child wrote the parsed files too"
    assert list((tmp_path / "cache").glob("index-*.json")), "the child wrote the index cache too"


def test_a_hand_over_that_cannot_be_read_is_built_again_in_the_process(tmp_path, monkeypatch):
    """Workers whose shares come back unreadable: the serving process builds the index itself (slower,
    the same), and the build child writes no index cache of them."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY", "test-key")
    monkeypatch.setattr(child_build, "MIN_ENTRIES", 1)
    monkeypatch.setattr(child_build, "workers", lambda: 2)
    monkeypatch.setattr(handover, "share_bytes", lambda entries: b"\x00 not marshal")
    kb_dir = copy_knowledge(tmp_path)
    store = KnowledgeStore(kb_dir, tmp_path / "seeds", check_interval=3600)
    assert answers(store.answerer()) == answers(fresh(kb_dir))
    reap()
    index = store.answerer().index
    stored = cache.load_entries(cache_name(index.tokenizer.signature))
    assert stored is not None and set(stored) == set(index.derived_keys())  # what this process built


def test_what_the_child_makes_comes_back_whole_and_a_failure_is_none(tmp_path):
    made = [b"x" * 1_000_000, b"", bytearray(b"y" * 70_000)]  # more than a pipe holds at once, in pieces
    assert result_from_child(lambda: made) == b"".join(made)
    assert result_from_child(lambda: []) == b""
    assert result_from_child(lambda: 1 / 0) is None


def test_a_child_that_exits_midway_through_its_pieces_is_a_failure():
    class ExitsWhileWriting:
        """Two pieces counted in the header; the child exits (cleanly) after writing the first."""

        def __init__(self) -> None:
            self.passes = 0

        def __iter__(self):
            self.passes += 1
            yield b"x" * 200_000
            if self.passes > 1:
                os._exit(0)
            yield b"y" * 10

    assert result_from_child(ExitsWhileWriting) is None


def test_a_first_build_shared_out_among_workers_is_the_build_of_one_process(tmp_path, monkeypatch):
    """A first `ask` on a new machine: the shipped entries are indexed by two processes, one share each."""
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY", "test-key")
    monkeypatch.setattr(child_build, "workers", lambda: 2)
    shares: list[int] = []
    share_out = child_build.map_in_children

    def counted(work, parts):
        shares.append(len(parts))
        return share_out(work, parts)

    monkeypatch.setattr(child_build, "map_in_children", counted)
    kb_dir = copy_knowledge(tmp_path)
    answerer, issues = build_answerer(kb_dir, tmp_path / "seeds")
    assert answerer is not None, issues
    assert shares == [2], "the build was not shared out"
    alone = fresh(kb_dir)
    assert answerer.index.derived() == alone.index.derived()
    assert answers(answerer) == answers(alone)
    assert list((tmp_path / "cache").glob("index-*.json")), "the shared build is cached as any build"
    assert not child_build.worth_sharing(child_build.MIN_SHARED_ENTRIES - 1, 0)
    assert not child_build.worth_sharing(300, 200)  # mostly cached already


def test_each_share_is_worked_on_by_its_own_process_and_comes_back_in_order():
    results = map_in_children(lambda part: f"{part} {os.getpid()} ".encode() * 30_000, ["a", "b", "c"])
    heads = [bytes(result).split()[:2] for result in results]  # 300 KB each: more than a pipe holds at once
    assert [part for part, _ in heads] == [b"a", b"b", b"c"]
    pids = [int(pid) for _, pid in heads]
    assert pids[0] == os.getpid() and len(set(pids)) == 3


def test_a_share_that_fails_in_a_child_fails_the_whole():
    with pytest.raises(RuntimeError):
        map_in_children(lambda part: 1 / part, [1, 0])


def test_only_a_forked_child_keeps_what_it_made_until_it_exits():
    assert child_build.kept_until_exit() is None  # this process frees what it is done with
    assert result_from_child(lambda: [b"kept" if child_build.kept_until_exit() == [] else b"freed"]) == b"kept"
    shares = map_in_children(lambda part: b"%d" % (child_build.kept_until_exit() is not None), ["first", "second"])
    assert shares == [b"0", b"1"]  # the first share is worked on in this process


def test_a_child_with_more_to_do_lets_go_of_what_it_kept():
    def keeps_then_releases() -> list[bytes]:
        kept = child_build.kept_until_exit()
        assert kept is not None
        kept.append(bytearray(1_000))
        child_build.release_kept()
        return [b"released" if kept == [] else b"still kept"]

    assert result_from_child(keeps_then_releases) == b"released"
    child_build.release_kept()  # in this process, nothing kept and nothing to do
    assert child_build.kept_until_exit() is None


def test_the_keys_of_entries_dealt_out_come_back_in_the_entries_order(monkeypatch):
    monkeypatch.setattr(child_build, "workers", lambda: 3)
    kb = SimpleNamespace(entries=[f"e{number}" for number in range(1_000)])
    shares = kb_store._shares(kb)
    assert len(shares) == 3 and sorted(entry for share in shares for entry in share) == sorted(kb.entries)
    keys = [[entry.replace("e", "k") for entry in share] for share in shares]
    assert kb_store._in_entry_order(kb, keys) == [f"k{number}" for number in range(1_000)]
    assert kb_store._in_entry_order(kb, keys[:2]) is None  # a share missing: the index computes the keys


def test_an_index_computes_again_keys_handed_to_it_that_are_not_the_entries_own():
    kb = shipped_answerer().kb
    right = shipped_answerer().index.derived_keys()
    wrong = list(right)
    wrong[0], wrong[1] = wrong[1], wrong[0]
    assert MatchIndex(kb, keys=wrong).derived_keys() == right

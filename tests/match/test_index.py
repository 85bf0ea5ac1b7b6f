"""Rebuilding the index after an edit reuses what did not change, and answers exactly as a full build."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.datasets import load
from bot.config import DEFAULT_KB_DIR
from bot.engine import Answerer
from bot.kb.loader import KnowledgeBase
from bot.match import index
from bot.match.index import IndexedEntry, derive
from tests.support.kb import shipped_answerer

NEW_PHRASING = "厂里用机械手替掉工人的做法叫什么"
EDITED = "sq-three-swaps"


def _questions() -> list[str]:
    items = load(DEFAULT_KB_DIR.parent / "bench" / "devset.yaml")
    return [item.question for item in items[::4]] + [NEW_PHRASING]


def _with_phrasing(kb: KnowledgeBase) -> KnowledgeBase:
    entry = kb.by_id(EDITED)
    entries = tuple(
        e.model_copy(update={"alternatives": [*e.alternatives, NEW_PHRASING]}) if e is entry else e for e in kb.entries
    )
    return replace(kb, entries=entries)


def _answers(answerer: Answerer) -> list[dict]:
    return [answerer.ask(question).to_json() for question in _questions()]


@pytest.fixture(scope="module")
def before() -> Answerer:
    return shipped_answerer()


def test_an_edited_entry_answers_its_new_phrasing_and_the_rest_is_reused(before):
    assert before.ask(NEW_PHRASING).entry_id != EDITED  # the test means something
    kb = _with_phrasing(before.kb)
    after = Answerer(kb, before.params, previous=before)
    assert after.ask(NEW_PHRASING).entry_id == EDITED
    assert after.index.tokenizer is before.index.tokenizer
    for old, new in zip(before.index.entries, after.index.entries, strict=True):
        assert (new is old) == (new.entry.id != EDITED)  # only the edited entry was indexed again


def _rebuilt_as_a_full_build(kb: KnowledgeBase, previous: Answerer) -> Answerer:
    """The index of `kb` rebuilt from `previous`, checked against one built from nothing: every entry, its BM25
    terms, the IDF and the answers are the same."""
    incremental = Answerer(kb, previous.params, previous=previous)
    full = Answerer(kb, previous.params)
    assert incremental.index.entries == full.index.entries
    assert _bm25_terms(incremental) == _bm25_terms(full)
    assert incremental.index.word_idf == full.index.word_idf
    assert _answers(incremental) == _answers(full)
    return incremental


def test_a_rebuild_from_the_previous_index_equals_a_full_build(before):
    _rebuilt_as_a_full_build(_with_phrasing(before.kb), before)


def test_unchanged_entries_answer_as_before_an_edit(before):
    """Editing one entry's answer leaves every question about the others answered as it was."""
    entry = before.kb.by_id(EDITED)
    kb = replace(
        before.kb,
        entries=tuple(
            e.model_copy(update={"answer": e.answer + "（已更新）"}) if e is entry else e for e in before.kb.entries
        ),
    )
    after = Answerer(kb, before.params, previous=before)
    for question, old, new in zip(_questions(), _answers(before), _answers(after), strict=True):
        if old["id"] != EDITED:
            assert new == old, question


def _with_keyword(kb: KnowledgeBase, keyword: str) -> KnowledgeBase:
    entry = kb.by_id(EDITED)
    entries = tuple(e.model_copy(update={"keywords": [*e.keywords, keyword]}) if e is entry else e for e in kb.entries)
    return replace(kb, entries=entries)


# A word jieba's dictionary lacks (so the tokenizer changes) that several entries' answers write.
NEW_KEYWORD = "智能化改造工作"


def test_a_new_keyword_reindexes_only_the_entries_that_write_it(before):
    """A new keyword changes the tokenizer, but a text without it is segmented as before: the entries that do
    not write it are reused, not indexed again (a curator's new entry with a new term was a full build)."""
    assert not before.index.tokenizer.is_word(NEW_KEYWORD)
    writing = {indexed.entry.id for indexed in before.index.entries if NEW_KEYWORD in indexed.full_text}
    assert 1 < len(writing - {EDITED}) < len(before.index.entries) // 2  # the test means something
    incremental = Answerer(_with_keyword(before.kb, NEW_KEYWORD), before.params, previous=before)
    assert incremental.index.tokenizer is not before.index.tokenizer
    assert incremental.index.tokenizer.is_knowledge_word(NEW_KEYWORD)
    for old, new in zip(before.index.entries, incremental.index.entries, strict=True):
        assert (new is old) == (new.entry.id not in writing | {EDITED}), new.entry.id
    # the dictionary's total is not the vocabulary's: every other word weighs and segments as before
    for word in ("住房", "一下", "智能化改造"):
        assert incremental.index.tokenizer.information_content(word) == before.index.tokenizer.information_content(word)


@pytest.mark.parametrize("keyword", [NEW_KEYWORD, "机械手"])
def test_new_keywords_rebuild_the_tokenizer_and_still_equal_a_full_build(before, keyword):
    incremental = _rebuilt_as_a_full_build(_with_keyword(before.kb, keyword), before)
    assert incremental.index.tokenizer is not before.index.tokenizer


def test_a_dropped_keyword_reindexes_the_entries_that_write_it_and_equals_a_full_build(before):
    """The way back: the word leaves the tokenizer, and the entries holding it are segmented anew."""
    with_word = Answerer(_with_keyword(before.kb, NEW_KEYWORD), before.params, previous=before)
    without = Answerer(before.kb, before.params, previous=with_word)
    assert not without.index.tokenizer.is_knowledge_word(NEW_KEYWORD)
    assert without.index.entries == before.index.entries
    assert _bm25_terms(without) == _bm25_terms(before)
    assert _answers(without) == _answers(before)


def _with_synonyms(kb: KnowledgeBase, *groups: tuple[str, ...]) -> KnowledgeBase:
    """The knowledge base with these groups added, or put in place of the group that shares their head."""
    heads = {group[0] for group in groups}
    kept = tuple(group for group in kb.synonym_groups if group[0] not in heads)
    return replace(kb, synonym_groups=kept + groups)


# a new group whose head six entries write, and an old group given one term more
NEW_GROUPS = [("示范企业", "样板企业"), ("清理拖欠", "清欠", "清理欠款", "清理拖欠账款", "清账", "清帐")]


def test_a_new_synonym_reindexes_only_the_entries_whose_texts_it_touches(before):
    """A synonym group rewrites the texts that hold one of its terms, and makes its terms words: the other
    entries read as before and are reused (a synonym edit was a full build)."""
    kb = _with_synonyms(before.kb, *NEW_GROUPS)
    incremental = Answerer(kb, before.params, previous=before)
    assert incremental.index.tokenizer.canonicalise("样板企业") == "示范企业"
    assert incremental.index.tokenizer.canonicalise("清帐") == "清理拖欠"
    touched = {indexed.entry.id for indexed in before.index.entries if "示范企业" in indexed.full_text}
    assert touched
    reused = {
        new.entry.id for old, new in zip(before.index.entries, incremental.index.entries, strict=True) if new is old
    }
    assert not reused & touched
    assert len(reused) > len(before.index.entries) * 0.9


@pytest.mark.parametrize("groups", [NEW_GROUPS, [("设备", "装备")]])
def test_new_synonyms_still_equal_a_full_build(before, groups):
    incremental = _rebuilt_as_a_full_build(_with_synonyms(before.kb, *groups), before)
    back = Answerer(before.kb, before.params, previous=incremental)  # and the edit undone
    assert back.index.entries == before.index.entries
    assert _answers(back) == _answers(before)


def test_a_synonym_with_a_space_starts_afresh(before):
    """A rewrite that moves spaces changes a text in ways its form without spaces does not show."""
    kb = _with_synonyms(before.kb, ("示范企业", "样板 企业"))
    incremental = Answerer(kb, before.params, previous=before)
    assert not any(new is old for old, new in zip(before.index.entries, incremental.index.entries, strict=True))
    assert incremental.index.entries == Answerer(kb, before.params).index.entries


def _bm25_terms(answerer: Answerer) -> list[dict[str, int]]:
    """Each entry's BM25 term counts, by term (vocabulary ids differ between builds)."""
    terms = {column: term for term, column in answerer.index._vocabulary.ids.items()}
    return [
        {terms[int(column)]: int(tf) for column, tf in zip(counts.ids, counts.tf, strict=True)}
        for counts in answerer.index._counts
    ]


def test_entries_derived_in_shares_are_what_a_full_build_holds(before):
    kb = before.kb
    shares = [derive(kb, kb.entries[start::2], {}) for start in range(2)]
    derived = dict(pair for share in shares for pair in share)
    assert derived == before.index.derived()
    kept: list[object] = []  # a worker about to exit keeps what it made rather than free it
    assert derive(kb, kb.entries[1::2], {}, kept) == shares[1] and shares[1] in kept


def test_entries_derived_in_batches_are_what_one_batch_makes(before, monkeypatch):
    kb = before.kb
    whole = derive(kb, kb.entries, {})
    monkeypatch.setattr(index, "BATCH_ENTRIES", 50)  # the memos forgotten five times over
    assert derive(kb, kb.entries, {}) == whole
    assert [key for key, _ in whole] == list(before.index.derived_keys())


def test_an_indexed_entry_needs_words_for_each_phrasing():
    entry = shipped_answerer().kb.entries[0]
    with pytest.raises(ValueError):
        IndexedEntry.of(entry, ["技改补贴多少", "补贴比例"], ["技改 补贴"], (), "", "")
    indexed = IndexedEntry.of(entry, ["技改补贴多少", "补贴比例"], ["技改 补贴", "比例 补贴"], (), "", "")
    assert indexed.phrasings == ["技改补贴多少", "补贴比例"]
    assert indexed.phrasing_words == ["技改 补贴", "比例 补贴"]

from __future__ import annotations

from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR
from bot.kb.coverage import coverage_report, seed_coverage
from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.seeds import SeedLibrary


def test_every_document_is_at_least_90_percent_covered():
    seeds = SeedLibrary.load(DEFAULT_SEEDS_DIR)
    kb, issues = load_knowledge(DEFAULT_KB_DIR, seeds)
    assert kb is not None, issues
    for report in coverage_report(kb, seeds):
        assert report.fact_sentences > 10, report.seed
        assert report.ratio >= 0.9, (report.seed, report.uncovered)


def test_an_empty_faq_covers_nothing():
    seeds = SeedLibrary.load(DEFAULT_SEEDS_DIR)
    kb, _ = load_knowledge(DEFAULT_KB_DIR, seeds)
    empty = KnowledgeBase(entries=(), documents=kb.documents)
    report = seed_coverage(empty, seeds, seeds.names()[0])
    assert report.covered == 0 and len(report.uncovered) == report.fact_sentences

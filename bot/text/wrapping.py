"""Message -> questions: remove what people wrap around a question in chat, then split it.

A Slack or DingTalk message carries mentions, greetings, thanks, urgency, links, emoji and
formatting around the question; none of it says what is asked, but all of it dilutes the match.
The vocabulary is data (knowledge/chat_wrapping.yaml); only the shapes of markup live here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.kb.schema import WrappingGroup
from bot.text.normalize import to_simplified
from bot.text.slack_markup import visible_text

MAX_QUESTIONS = 3

_URL = re.compile(r"(?:https?://|www\.)[^\s<>，。；！？、]+", re.IGNORECASE)
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]{1,40}:")
# A typed @mention ("@政策助手 ", "@张三，") ends at a space or punctuation; a long run is kept, since we
# cannot tell where the name stops and the question starts.
_TYPED_MENTION = re.compile(r"@[^\s@，,。：:；;！!？?]{1,12}(?=[\s，,。：:；;！!？?]|$)|@")
# *bold* _italic_ ~strike~ `code` ``` blocks ``` and "> " quotes: keep the words, drop the marks.
_FORMATTING = re.compile(r"```|[*_~`]+")
# ~struck~ words are what the writer took back. As in Slack, the tildes are ASCII, the opening one starts
# a word and the closing one ends it: 早上好～问题～ (a greeting's flourish, full-width or not) and a range
# (5~10万元) are no strike.
_STRUCK = re.compile(r"(?<![\w~])~(?=[^\s~])[^~\n\d]{1,40}(?<=[^\s~])~(?![\w~])")
# Formatting marks inside a run of Chinese (*智能化*改造) join what they split; elsewhere they separate.
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_MARK_INSIDE_CJK = re.compile(rf"(?<={_CJK})(?:```|[*_~`]+)(?={_CJK})")
_QUOTE_MARK = re.compile(r"^\s*(?:>|&gt;)\s?", re.MULTILINE)
# Question boundaries: question marks, line breaks, full stops after a question word, and list numbers.
# A bullet opening a line (• 商丘三换, - 天津贴息) marks a list item as a number does.
_BULLET = r"(?:^|(?<=\n))[ \t]*[•·\-–][ \t]*"
# Bullets that are symbols (●, ■, ▶) would go with the emoji: they become • first.
_SYMBOL_BULLET = re.compile(r"^[ \t]*[●○■□▪◦‣◆◇►▶][ \t]*", re.MULTILINE)
_SPLIT = re.compile(rf"[?？]+|[\r\n]+|(?:^|(?<=\s))(?:\d{{1,2}}|[一二三四五])[.、)）]\s*|{_BULLET}")
_CONTENT = re.compile(r"[^\W_]")
_LIST_ITEM = re.compile(rf"(?:^|\s)(?:\d{{1,2}}|[一二三四五])[.、)）]|{_BULLET}", re.MULTILINE)
# Brackets left empty once the wrapping inside them is gone: （写材料用，感谢） -> （ ， ）
_SPACE_RUN = re.compile(r"[ \t]{2,}")
_EMPTY_BRACKETS = re.compile(r"[(（\[【]\s*[\s,，。.、;；:：!！]*[)）\]】]")
# Words that make a line a question of its own rather than context for one.
_QUESTION_WORD = re.compile(
    r"多少|什么|哪|几|怎么|怎样|如何|是否|吗|啥|咋|谁|呢|有没有|能不能|是不是|可不可以|要不要|会不会|多大|多高|多长|多久|何时"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def asks_something(text: str) -> bool:
    """Whether the text holds a question word (多少, 哪, 吗 ...): a clause without one tells, it does not ask."""
    return _QUESTION_WORD.search(text) is not None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone surrogates (undecodable bytes read with surrogateescape, broken JSON escapes) are not text."""
    return _SURROGATE.sub("", text)


def has_control_characters(text: str) -> bool:
    """C0/C1 control characters other than tab and line breaks: binary noise, not a message."""
    return bool(_CONTROL.search(text))


def _is_emoji_or_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category in {"So", "Sk", "Cs", "Co"} or char in "\u200d\ufe0f\ufe0e\u20e3"


def strip_symbols(text: str) -> str:
    """Emoji, pictographs, invisible formatting characters (bidi overrides, zero-width joiners)."""
    return "".join(
        " " if _is_emoji_or_symbol(char) else "" if unicodedata.category(char) == "Cf" else char for char in text
    )


def _whole_words(phrase: str) -> str:
    """The phrase as a pattern; an English end only at a word boundary (hi, not the hi of Which)."""
    pattern = re.escape(phrase)
    if phrase[:1].isascii() and phrase[:1].isalnum():
        pattern = "(?<![a-z0-9])" + pattern
    if phrase[-1:].isascii() and phrase[-1:].isalnum():
        pattern += "(?![a-z0-9])"
    return pattern


class MessageCleaner:
    """Removes chat wrapping with one knowledge base's vocabulary."""

    def __init__(self, groups: Iterable[WrappingGroup]) -> None:
        groups = tuple(groups)
        phrases = sorted({p for g in groups for p in g.phrases}, key=len, reverse=True)
        alternatives = [_whole_words(phrase) for phrase in phrases]
        alternatives += [f"(?:{pattern})" for g in groups for pattern in g.patterns]
        self._wrapping = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def clean(self, raw: str) -> str:
        """The question(s) a message asks, in simplified script, line breaks and ?-marks kept."""
        text = visible_text(raw, keep_mentions=True)
        text = _URL.sub(" ", text)
        text = _STRUCK.sub(" ", text)  # before NFKC makes a full-width ～ an ASCII one
        text = unicodedata.normalize("NFKC", text)
        text = _EMOJI_CODE.sub(" ", text)
        text = strip_symbols(_SYMBOL_BULLET.sub("• ", text))
        text = _TYPED_MENTION.sub(" ", text)
        text = _QUOTE_MARK.sub("", text)
        text = _MARK_INSIDE_CJK.sub("", text)
        text = _FORMATTING.sub(" ", text)
        text = to_simplified(text)
        if self._wrapping is not None:
            text = _EMPTY_BRACKETS.sub(" ", self._wrapping.sub(" ", text))
        return text

    def questions(self, raw: str) -> list[str]:
        """The questions in a message, at most MAX_QUESTIONS; one (possibly empty) when nothing splits.

        Only lines that ask something (a question mark or a question word) are questions of their own;
        when just one line asks, the others are its context ("我们厂在天津\n能补多少？") and the message
        is read whole.
        """
        cleaned = self.clean(raw)
        pieces = re.split(f"({_SPLIT.pattern})", cleaned)
        parts: list[tuple[str, bool]] = []
        for text, boundary in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            text = _SPACE_RUN.sub(" ", text.strip(" ，,。.；;：:！!、"))  # a removed link or emoji left a run
            if _CONTENT.search(text):
                parts.append((text, "?" in boundary or "？" in boundary or bool(_QUESTION_WORD.search(text))))
        if not parts:
            return [""]
        asking = [text for text, is_question in parts if is_question]
        if len(asking) >= 2:
            return asking[:MAX_QUESTIONS]
        if len(asking) == 0 and len(parts) > 1 and _LIST_ITEM.search(cleaned):
            return [text for text, _ in parts][:MAX_QUESTIONS]  # a numbered list of topics
        return [" ".join(text for text, _ in parts)]

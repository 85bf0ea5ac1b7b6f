"""What crosses the line between a platform adapter and the core: a message in, a reply out.

Plain frozen dataclasses, nothing platform-specific: an adapter parses its request into `Incoming`,
the core (bot/chat/conversation.py) answers with a `Reply`, and the adapter renders that Reply in its
own format (Block Kit, a Feishu card, DingTalk markdown) and sends it through the outbox.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bot.answer import Answer
from bot.chat.store import Stats
from bot.kb.issues import Issue
from bot.text.normalize import to_traditional


@dataclass(frozen=True)
class Incoming:
    """One message a person wrote, as any platform delivers it."""

    platform: str  # "slack", "feishu", "dingtalk"
    tenant: str  # Slack team, Feishu tenant_key, DingTalk corp id ("" when unknown)
    conversation: str  # channel / chat id
    message_id: str  # unique within the platform (Slack: the ts, with the conversation)
    sender: str  # the platform's user id (admins are listed in these ids)
    text: str  # without the mentions of the bot, otherwise as written (the matcher reads any markup)
    addressed: bool  # the bot was @mentioned, or it is a 1:1 conversation
    direct: bool = False  # a 1:1 conversation (no threads: the answer goes to the conversation)
    thread: str | None = None  # the thread's root message id when the message is in a thread
    plain: str | None = None  # `text` without markup (commands, the curators' log); None: same as text

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Incoming:
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True)
class Action:
    """A button under a reply, platform-neutral: the adapter draws it and sends its `value` back."""

    kind: str  # "up", "down" (feedback on an answer), "ask" (a suggested question)
    label: str
    entry_id: str
    traditional: bool = False

    @property
    def value(self) -> dict[str, Any]:
        return {"a": self.kind, "e": self.entry_id, "t": int(self.traditional)}


@dataclass(frozen=True)
class Reply:
    """What the core says. `kind`: "answer" (with `answer`), "usage", "reload" (with `issues`,
    `entries`, `documents`), "stats" (with `stats`), "not_admin", "busy", "thanks" (with `vote`),
    "gone" (a suggested entry that no longer exists), "deadlines" (with `text`)."""

    kind: str
    answer: Answer | None = None
    thread: str | None = None  # the thread to answer in (None: the conversation itself)
    new_thread: bool = False  # the core remembered this thread for this reply: forget it if undeliverable
    issues: tuple[Issue, ...] = ()
    entries: int = 0
    documents: int = 0
    stats: Stats | None = None
    vote: int = 0
    actions: tuple[Action, ...] = field(default_factory=tuple)
    text: str = ""  # "deadlines": the list, as plain text

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.matched

    @property
    def entry_id(self) -> str | None:
        return self.answer.entry_id if self.answer is not None else None


def actions_for(answer: Answer) -> tuple[Action, ...]:
    """👍/👎 under an answer, one button per suggested question under a refusal or an answer."""
    t = answer.traditional
    buttons: list[Action] = []
    for part in answer.all_parts:
        if part.matched and part.entry_id:
            buttons += [
                Action("up", label("👍 有帮助", t), part.entry_id, t),
                Action("down", label("👎 没帮助", t), part.entry_id, t),
            ]
        buttons += [Action("ask", item.question, item.id, t) for item in part.suggestions]
    return tuple(buttons)


def label(text: str, traditional: bool) -> str:
    """Our own wording, in the script the person wrote in."""
    return to_traditional(text) if traditional else text

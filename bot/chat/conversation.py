"""The conversation rules every platform shares: what a message gets as a reply.

- a 1:1 message or an @mention: usage for "help", an admin command for an admin, else an answer;
- in a thread the bot answered in, a message without a mention is answered only when the knowledge base
  answers it (or says the documents do not state it): people talking to each other get no reply;
- every question is logged (the text only when unanswered, for the curators' queue);
- a 👍/👎 click is one vote per person and message; a suggested question clicked is answered.

Nothing here knows a platform's payloads: `Incoming` in, `Reply` out (bot/chat/messages.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot.answer import Answer, Outcome
from bot.chat.deadlines import upcoming_text
from bot.chat.messages import Incoming, Reply, actions_for
from bot.chat.store import ID_LENGTH, ChatStore
from bot.config import Settings
from bot.kb.store import KnowledgeStore
from bot.review.service import log_for_review

log = logging.getLogger(__name__)

HELP_WORDS = frozenset(
    {
        *("", "help", "usage", "h", "?", "？", "帮助", "幫助", "怎么用", "怎麼用", "使用说明", "使用說明"),
        # what people ask a bot they have not used before (a question mark after them is dropped)
        *("你能做什么", "你能做什麼", "你会什么", "你會什麼", "你能干什么", "你能干啥", "你是谁", "你是誰"),
        *("能问什么", "能問什麼", "可以问什么", "可以問什麼", "怎么使用", "怎麼使用", "what can you do", "who are you"),
    }
)
# The context key of a direct message conversation (a thread's key is its root message id)
DM_CONTEXT = "dm"
ASKER_CONTEXT = "asker:"  # + a sender's id: what the bot last answered them in a conversation, outside threads


def asker_context(sender: str) -> str:
    """Cut to what the database keeps, so that the key read is the key written (ids are 11-40 characters)."""
    return f"{ASKER_CONTEXT}{sender}"[:ID_LENGTH]


# what is due: the digest's list, on demand
DEADLINE_WORDS = frozenset(
    {
        *("deadlines", "deadline", "截止日期", "截止時間", "截止时间", "截止事项", "截止事項", "近期截止"),
        *("最近有哪些截止日期", "有哪些截止日期", "到期事项", "到期事項", "待办截止", "digest"),
    }
)
ADMIN_WORDS = {
    "reload": "reload",
    "重新加载": "reload",
    "重新加載": "reload",
    "stats": "stats",
    "statistics": "stats",
    "统计": "stats",
    "統計": "stats",
}


def parse_command(plain: str) -> str | None:
    """'help', 'deadlines', 'reload' or 'stats' when the whole message (markup already removed) is one of
    those words; None for a question."""
    word = plain.strip().strip("/").strip().lower()
    if word not in HELP_WORDS:
        word = word.rstrip("?？!！。. ") or word  # 你能做什么？ is 你能做什么; a lone ? stays usage
    if word in HELP_WORDS:
        return "help"
    if word in DEADLINE_WORDS:
        return "deadlines"
    return ADMIN_WORDS.get(word)


class Conversation:
    """The platform-neutral core: the knowledge store, the conversation tables, the settings."""

    def __init__(self, settings: Settings, store: KnowledgeStore, db: ChatStore) -> None:
        self.settings = settings
        self.store = store
        self.db = db
        # platform -> its admins' user ids (each platform's ids look different)
        self.admins: dict[str, frozenset[str]] = {"slack": settings.bot_admins}

    # ------------------------------------------------------------------ one message

    def route(self, message: Incoming) -> str | None:
        """How a message is answered: "dm", "mention", "thread" (a follow-up without a mention in a
        thread the bot answered in), or None (not for the bot: talk between people)."""
        if message.direct:
            return "dm"
        if message.addressed:
            return "mention"
        if not (self.settings.thread_followups and message.thread):
            return None
        return "thread" if self.in_thread(message.conversation, message.thread) else None

    def enter_thread(self, message: Incoming) -> tuple[str, bool]:
        """The thread a mention is answered in (its own, or a new one under it), remembered before the
        reply is posted so that a reply typed the moment the answer appears counts as a follow-up; and
        whether it is new to the bot (then forgotten again if the reply turns out undeliverable)."""
        thread = message.thread or message.message_id
        known = self.in_thread(message.conversation, thread)
        if not known:
            self.remember_thread(message.conversation, thread, message.platform)
        return thread, not known

    def respond(self, message: Incoming) -> Reply | None:
        """The reply to a message, or None (nothing to say)."""
        route = self.route(message)
        if route is None:
            return None
        asked = {"platform": message.platform, "channel": message.conversation, "user": message.sender}
        if route == "thread":
            return self.followup_reply(message.text, thread=message.thread, plain=message.plain, **asked)
        context = self.context_of(message)
        if route == "dm":
            return self.reply(
                message.text, surface="dm", thread=message.thread, plain=message.plain, context=context, **asked
            )
        reply = self.reply(message.text, surface="mention", plain=message.plain, context=context, **asked)
        thread, new = self.enter_thread(message)
        if context != thread:  # a new thread: its first question is what its follow-ups are read after
            self.note_answer(message.conversation, thread, message.plain or message.text, reply.answer)
        return replace(reply, thread=thread, new_thread=new)

    def context_of(self, message: Incoming) -> str | None:
        """Where the answer a message may follow up on is kept: the bot's thread it is in, or for a direct
        message the conversation itself (DM_CONTEXT); for a mention outside the bot's threads, what the
        bot last answered its sender in that conversation (`asker_context`: a DingTalk group has no
        threads, and in Slack a follow-up is often a new mention rather than a reply in the thread)."""
        if message.direct:
            return message.thread or DM_CONTEXT
        if message.thread and self.in_thread(message.conversation, message.thread):
            return message.thread
        return asker_context(message.sender) if message.sender else None

    def reply(
        self,
        text: str,
        *,
        platform: str,
        surface: str,
        channel: str | None,
        user: str | None,
        thread: str | None = None,
        plain: str | None = None,
        context: str | None = None,
    ) -> Reply:
        """Usage, an admin command, or an answer, for a message addressed to the bot. `text` goes to the
        matcher as the platform wrote it; `plain` (default `text`) is it without markup, for commands
        and the curators' log. `context` (see `context_of`): a follow-up is read after the answer kept
        there, and this answer is kept there in turn."""
        plain = text if plain is None else plain
        command = parse_command(plain)
        if command == "help":
            return Reply("usage", thread=thread)
        if command == "deadlines":
            return Reply("deadlines", thread=thread, text=upcoming_text(self.settings))
        if command is not None:
            return self.admin(command, platform, user, thread=thread)
        answerer = self.store.answerer()
        previous = self._kept_answer(channel, context, direct=surface == "dm")
        answer, asked = (answerer.ask(text), plain) if previous is None else answerer.ask_followup(text, *previous)
        self.log_answer(answer, plain, platform=platform, surface=surface, channel=channel, user=user)
        if context and channel:
            if surface == "dm" or context.startswith(ASKER_CONTEXT):  # a thread is remembered on entering it
                self.remember_thread(channel, context, platform)
            self.note_answer(channel, context, asked, answer)
        return Reply("answer", answer, thread=thread, actions=actions_for(answer))

    def _kept_answer(self, channel: str | None, context: str | None, direct: bool) -> tuple[str, str] | None:
        """The question and entry a message in `context` may follow up on. A thread of a direct message
        with nothing answered in it yet follows up on what was last answered in that conversation: it is
        most often a reply under that very answer."""
        if not (context and channel):
            return None
        kept = self.thread_answer(channel, context)
        if kept is None and direct and context != DM_CONTEXT:
            kept = self.thread_answer(channel, DM_CONTEXT)
        return kept

    def followup_reply(
        self,
        text: str,
        *,
        platform: str,
        channel: str,
        user: str | None,
        thread: str | None = None,
        plain: str | None = None,
    ) -> Reply | None:
        """A message in the bot's thread without a mention: answered only when the knowledge base answers
        it or says the documents do not state it; None for everything else ("明天谁去开会？")."""
        plain = text if plain is None else plain
        if parse_command(plain) is not None:
            return None  # "help" or "stats" said in passing in a thread is not addressed to the bot
        answerer = self.store.answerer()
        previous = self.thread_answer(channel, thread) if thread else None
        answer, asked = (answerer.ask(text), plain) if previous is None else answerer.ask_followup(text, *previous)
        if not any(part.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED) for part in answer.all_parts):
            return None
        if thread:
            self.note_answer(channel, thread, asked, answer)
        self.log_answer(answer, plain, platform=platform, surface="thread", channel=channel, user=user)
        return Reply("answer", answer, thread=thread, actions=actions_for(answer))

    def entry_reply(
        self,
        entry_id: str,
        traditional: bool,
        *,
        platform: str,
        channel: str | None,
        user: str | None,
        log_as: str | None = "suggestion",
        thread: str | None = None,
    ) -> Reply | None:
        """The answer of one entry (a clicked suggestion or a shared answer); None if it is gone."""
        answer = self.store.answerer().answer_entry(entry_id, traditional=traditional)
        if answer is None:
            return None
        if log_as:
            self.log_answer(answer, "", platform=platform, surface=log_as, channel=channel, user=user)
        return Reply("answer", answer, thread=thread, actions=actions_for(answer))

    def log_answer(
        self, answer: Answer, text: str, *, platform: str, surface: str, channel: str | None, user: str | None
    ) -> None:
        """Log the outcome; the text only when unanswered (the curators' list). Never fails the reply."""
        unanswered = answer.outcome in (Outcome.REFUSED, Outcome.NOT_STATED)
        try:
            self.db.log_question(
                surface=surface,
                outcome=answer.outcome.value,
                channel=channel,
                user=user,
                entry_id=answer.entry_id,
                score=round(answer.score, 4),
                text=text if unanswered else None,
                platform=platform,
            )
        except Exception:
            log.exception("could not log a %s question from %s", surface, channel)
        log_for_review(self.db.engine, answer, text, platform=platform, surface=surface, channel=channel, user=user)

    # ------------------------------------------------------------------ admin

    def is_admin(self, platform: str, user: str | None) -> bool:
        return bool(user) and user in self.admins.get(platform, frozenset())

    def admin(self, command: str, platform: str, user: str | None, thread: str | None = None) -> Reply:
        if not self.is_admin(platform, user):
            log.info("refused admin command %r from non-admin %s:%s", command, platform, user)
            return Reply("not_admin", thread=thread)
        if command == "reload":
            issues = self.store.refresh(force=True)
            kb = self.store.answerer().kb
            log.info("admin %s:%s reloaded the knowledge base: %d issue(s)", platform, user, len(issues))
            return Reply(
                "reload", thread=thread, issues=tuple(issues), entries=len(kb.entries), documents=len(kb.documents)
            )
        return Reply("stats", thread=thread, stats=self.db.stats())

    # ------------------------------------------------------------------ buttons

    def click(
        self,
        value: dict,
        *,
        platform: str,
        channel: str,
        message_id: str,
        user: str,
        clicked_at: datetime | None = None,
        thread: str | None = None,
    ) -> Reply | None:
        """A button from `messages.Action.value`: a vote ("up"/"down", recorded once per person and
        message, thanks back) or a suggested question ("ask", its answer). None: not one of ours."""
        kind, entry_id = value.get("a"), value.get("e")
        if not isinstance(entry_id, str) or not entry_id:
            return None
        if kind in ("up", "down"):
            if self.store.answerer().kb.by_id(entry_id) is None:
                return None  # a forged or stale button: no vote for an entry that does not exist
            vote = 1 if kind == "up" else -1
            self.db.record_feedback(
                channel=channel,
                message_ts=message_id,
                user=user,
                entry_id=entry_id,
                vote=vote,
                clicked_at=clicked_at,
                platform=platform,
            )
            return Reply("thanks", thread=thread, vote=vote)
        if kind == "ask":
            reply = self.entry_reply(
                entry_id, bool(value.get("t")), platform=platform, channel=channel, user=user, thread=thread
            )
            return reply or Reply("gone", thread=thread)
        return None

    # ------------------------------------------------------------------ threads

    def in_thread_or_raise(self, channel: str, thread: str) -> bool:
        """As in_thread, but a database error propagates (the caller asks the platform to retry)."""
        return self.db.in_thread(channel, thread)

    def in_thread(self, channel: str, thread: str) -> bool:
        try:
            return self.db.in_thread(channel, thread)
        except Exception:
            log.exception("could not look up thread %s/%s", channel, thread)
            return False

    def remember_thread(self, channel: str, thread: str, platform: str) -> None:
        try:
            self.db.remember_thread(channel, thread, platform)
        except Exception:
            log.exception("could not remember thread %s/%s", channel, thread)

    def note_answer(self, channel: str, thread: str, question: str, answer: Answer | None) -> None:
        """Remember the question the bot answered in its thread: the context of the thread's follow-ups."""
        if answer is None:
            return
        entry = answer.entry_shown
        if entry is None:
            return
        try:
            self.db.note_thread_answer(channel, thread, question, entry)
        except Exception:
            log.exception("could not note the answer in thread %s/%s", channel, thread)

    def thread_answer(self, channel: str, thread: str) -> tuple[str, str] | None:
        """The question last answered in the thread and its entry (None: none yet, or the database is
        unavailable)."""
        try:
            return self.db.thread_answer(channel, thread)
        except Exception:
            log.exception("could not look up thread %s/%s", channel, thread)
            return None

    def forget_thread(self, channel: str, thread: str) -> None:
        try:
            self.db.forget_thread(channel, thread)
        except Exception:
            log.exception("could not forget thread %s/%s", channel, thread)

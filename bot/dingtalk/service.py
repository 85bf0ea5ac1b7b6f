"""The DingTalk door onto the core: a received message is claimed once, answered, and replied to.

    stream listener -> receive(): addressed? claim "dingtalk:<msgId>" in the shared database -> queue
    worker          -> the core's Answer -> DingTalk markdown -> the message's sessionWebhook

The claim is what makes a redelivered message (DingTalk resends what it thinks was slow; the SDK's own
memory is per process) answered once, by one process, however many run. Replies that DingTalk refuses
for now (too fast, busy) are tried again after the wait it asked for, up to `max_attempts`.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Engine

from bot.answer import Answer
from bot.dingtalk import render
from bot.dingtalk.api import DingTalkError
from bot.dingtalk.message import DingTalkMessage
from bot.dingtalk.reply import Replier, ReplyTarget
from bot.kb.store import KnowledgeStore
from bot.review.service import log_for_review
from bot.slack.work import WorkQueue

log = logging.getLogger(__name__)

PLATFORM = "dingtalk"
HELP_WORDS = frozenset({"", "help", "h", "?", "？", "帮助", "幫助", "怎么用", "怎麼用"})
BUSY = "我现在忙不过来，没能处理你的问题。请过一两分钟再问一次。"

Claim = Callable[[list[str]], bool]  # claim every key at once; False if any was claimed before


@dataclass(frozen=True)
class Outgoing:
    """A decided reply: where it goes and what it says."""

    key: str
    target: ReplyTarget
    body: render.Body
    attempts: int = 0


@dataclass(frozen=True)
class Retry:
    first: float = 2.0  # seconds after the first failure, doubling...
    most: float = 300.0  # ...up to this, unless DingTalk asked for longer
    max_attempts: int = 8


class DingTalkBot:
    def __init__(
        self,
        store: KnowledgeStore,
        claim: Claim,
        *,
        engine: Engine | None = None,
        replier: Replier | None = None,
        work: WorkQueue | None = None,
        retry: Retry | None = None,
    ) -> None:
        self.store = store
        self.claim = claim
        self.engine = engine  # for the curators' review queue; None: not logged
        self.replier = replier or Replier()
        self.work = work or WorkQueue(name="dingtalk-work")
        self.retry = retry or Retry()
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for timer in self._timers:
                timer.cancel()
        self.work.shutdown()

    # ------------------------------------------------------------------ receiving

    def receive(self, message: DingTalkMessage) -> None:
        """Called for every ChatbotMessage before its ack. Raises if the claim cannot be written (the
        listener then acks 500 and DingTalk redelivers)."""
        if not message.addressed:
            return
        key = f"{PLATFORM}:{message.msg_id}"
        if not self.claim([key]):
            log.info("%s: already received (a redelivery), skipped", key)
            return
        if not self.work.submit(functools.partial(self.answer, key, message)):
            log.warning("%s: the work queue is full (%d); busy notice", key, self.work.limit)
            self.deliver(self._outgoing(key, message, render.notice_body(BUSY, _mention(message))))

    # ------------------------------------------------------------------ answering

    def answer(self, key: str, message: DingTalkMessage) -> None:
        body = self.decide(message)
        self.deliver(self._outgoing(key, message, body))

    def decide(self, message: DingTalkMessage) -> render.Body:
        """The reply's body: usage for "help" or an empty mention, else the core's answer."""
        answerer = self.store.answerer()
        if message.text.strip().strip("/").lower() in HELP_WORDS:
            if message.is_group:  # how an installer finds a group's id for DINGTALK_DIGEST_GROUPS
                log.info(
                    "DingTalk group %r has openConversationId %s", message.conversation_title, message.conversation_id
                )
            return render.usage_body(answerer.kb, _mention(message))
        answer = answerer.ask(message.text)
        self._log(answer, message)
        return render.answer_body(answer, answerer.kb, mention=_mention(message), private=not message.is_group)

    def _log(self, answer: Answer, message: DingTalkMessage) -> None:
        if self.engine is None:
            return
        surface = "mention" if message.is_group else "dm"
        log_for_review(
            self.engine,
            answer,
            message.text,
            platform=PLATFORM,
            surface=surface,
            channel=message.conversation_id,
            user=message.sender_id,
        )

    @staticmethod
    def _outgoing(key: str, message: DingTalkMessage, body: render.Body) -> Outgoing:
        return Outgoing(key, reply_target(message), body)

    # ------------------------------------------------------------------ sending

    def deliver(self, reply: Outgoing) -> None:
        reply = replace(reply, attempts=reply.attempts + 1)
        try:
            self.replier.send(reply.target, reply.body)
        except DingTalkError as exc:
            if not exc.retryable or reply.attempts >= self.retry.max_attempts:
                log.error("%s: reply not delivered (attempt %d): %s", reply.key, reply.attempts, exc)
                return
            delay = max(min(self.retry.first * 2 ** (reply.attempts - 1), self.retry.most), exc.retry_after)
            log.warning("%s: %s; trying again in %.0f s", reply.key, exc, delay)
            self._later(delay, reply)

    def _later(self, delay: float, reply: Outgoing) -> None:
        def run() -> None:
            with self._lock:
                self._timers.discard(timer)
            if not self.work.submit(functools.partial(self.deliver, reply)):
                self._later(delay, reply)

        timer = threading.Timer(delay, run)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()


def reply_target(message: DingTalkMessage) -> ReplyTarget:
    return ReplyTarget(
        conversation_id=message.conversation_id,
        group=message.is_group,
        user_id=message.sender_id,
        webhook=message.session_webhook,
        expires_at=message.webhook_expires_at,
        limit_key=f"{message.robot_code or ''}:{message.conversation_id}",
    )


def _mention(message: DingTalkMessage) -> str | None:
    """In a group the asker is @mentioned (the reply is not threaded under the question)."""
    return message.sender_id if message.is_group and message.sender_id else None

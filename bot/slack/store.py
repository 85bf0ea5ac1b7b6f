"""The Slack app's tables are the platform-neutral ones (bot/chat/store.py); these names stay importable."""

from bot.chat.store import (
    BotThread,
    ChatStore,
    Claim,
    Feedback,
    OutboxItem,
    OutboxReport,
    Outgoing,
    QuestionLog,
    Stats,
    UnansweredGroup,
    bounded,
    ensure_tables,
    utcnow,
)

SlackStore = ChatStore
Reply = Outgoing  # the outbox row's old name

__all__ = [
    "BotThread",
    "ChatStore",
    "Claim",
    "Feedback",
    "OutboxItem",
    "OutboxReport",
    "Outgoing",
    "QuestionLog",
    "Reply",
    "SlackStore",
    "Stats",
    "UnansweredGroup",
    "bounded",
    "ensure_tables",
    "utcnow",
]

"""The bounded work queue is shared by every platform (bot/chat/work.py); the name stays importable."""

from bot.chat.work import QUEUE_LIMIT, WORKERS, WorkQueue

__all__ = ["QUEUE_LIMIT", "WORKERS", "WorkQueue"]

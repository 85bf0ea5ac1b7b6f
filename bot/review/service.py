"""What every door calls to feed the curators' queue: one function, platform-neutral."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from bot.answer import Answer, Outcome
from bot.review.store import ReviewStore

log = logging.getLogger(__name__)

QUEUED_OUTCOMES = {Outcome.REFUSED: "refused", Outcome.NOT_STATED: "not_stated"}


def log_for_review(
    engine: Engine,
    answer: Answer,
    text: str,
    *,
    platform: str,
    surface: str | None = None,
    channel: str | None = None,
    user: str | None = None,
) -> bool:
    """Queue a refusal or a not-stated reply (each part of a multi-question message on its own).

    Never raises: a reply must not fail because the queue could not be written. True if logged."""
    logged = False
    try:
        store = ReviewStore(engine)
        for part in answer.all_parts:
            kind = QUEUED_OUTCOMES.get(part.outcome)
            if kind is None:
                continue
            store.log(
                kind,
                text=part.asked or text,
                platform=platform,
                surface=surface,
                channel=channel,
                user=user,
                entry_id=part.entry_shown,  # a refusal shows none, a not-stated reply its related entry
            )
            logged = True
    except Exception:
        log.exception("could not queue a %s question for review", platform)
    return logged


def log_downvote(
    engine: Engine,
    entry_id: str | None,
    text: str | None,
    *,
    platform: str,
    channel: str | None = None,
    user: str | None = None,
    source_key: str | None = None,
) -> None:
    """Queue a 👎 on an answer (with the question when the platform knows it)."""
    try:
        ReviewStore(engine).log(
            "downvote",
            text=text,
            platform=platform,
            surface="feedback",
            channel=channel,
            user=user,
            entry_id=entry_id,
            source_key=source_key,
        )
    except Exception:
        log.exception("could not queue a %s 👎 for review", platform)

"""One digest run: build the digest, claim each reminder in the ledger, post, mark sent.

    claim -> post -> mark sent        the normal path; a second run finds nothing left to claim
    claim -> post fails -> release    429/5xx after the client's retries, or a channel error:
                                      nothing is lost, a later run sends it again
    claim -> (process dies)           the claim expires after its lease; the next run takes it over,
                                      first checking the channel's history for a message that carries
                                      the same keys (posted just before the crash), so nothing doubles

`channel_not_found` / `not_in_channel` and other refusals are logged and reported to the admins in a
direct message; the other channels still get their digests.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.kb.issues import Issue
from bot.schedule.blocks import METADATA_EVENT, digest_blocks, digest_text, metadata
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.digest import ChannelDigest, DigestItem, build_digest
from bot.schedule.ledger import Claim, Ledger
from bot.schedule.settings import DigestSettings
from bot.schedule.workdays import uncovered_warning

log = logging.getLogger(__name__)

MAX_ITEMS_PER_MESSAGE = 15  # 3 blocks per item + header/footer stays under Slack's 50 blocks
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "channel_is_archived"}


@dataclass
class MessageResult:
    channel: str
    items: list[DigestItem]
    ts: str | None = None
    error: str | None = None
    retryable: bool = False


@dataclass
class RunReport:
    now: datetime
    posted: list[MessageResult] = field(default_factory=list)
    failed: list[MessageResult] = field(default_factory=list)
    skipped: int = 0  # reminders another run already sent or is sending
    recovered: int = 0  # reminders a crashed run had posted, found in the channel's history
    deadline_errors: list[Issue] = field(default_factory=list)

    @property
    def retry_needed(self) -> bool:
        return any(result.retryable for result in self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> list[dict[str, Any]]:
        """What was posted, in the digest's JSON shape (channel + items)."""
        by_channel: dict[str, list[DigestItem]] = {}
        for result in self.posted:
            by_channel.setdefault(result.channel, []).extend(result.items)
        return [ChannelDigest(channel, items).to_json() for channel, items in sorted(by_channel.items())]


def classify(error: Exception) -> tuple[str, bool]:
    """(error code, retryable?) for a failed Web API call."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "unknown_error")
        status = getattr(error.response, "status_code", 200)
        return code, status == 429 or status >= 500 or code in RETRYABLE_ERRORS
    if isinstance(getattr(error, "retryable", None), bool):  # another platform's error (bot/feishu/api.py)
        return str(getattr(error, "code", None) or error), bool(error.retryable)  # type: ignore[attr-defined]
    return f"{type(error).__name__}: {error}", True  # connection refused, timeout, DNS...


class DigestRunner:
    def __init__(
        self,
        settings: DigestSettings,
        store: DeadlineStore,
        ledger: Ledger,
        client: Any,
        admins: frozenset[str] = frozenset(),
        documents: Mapping[str, str] | None = None,
        before_post: Callable[[list[Claim]], None] | None = None,
        after_post: Callable[[list[Claim]], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.ledger = ledger
        self.client = client
        self.admins = admins
        self.documents = documents or {}
        # Test seams: called between claim and post, and between post and mark (crash simulation).
        self.before_post = before_post
        self.after_post = after_post
        self._calendar_warned: set[int] = set()

    def run(self, now: datetime, as_of: datetime | None = None) -> RunReport:
        """Post every due reminder not yet sent; `as_of` picks the reminders (catch-up), `now` the text."""
        report = RunReport(now)
        deadlines = self.store.current()
        report.deadline_errors = list(self.store.errors)
        if deadlines is None:
            log.error("no valid deadlines file at %s; digest skipped", self.store.path)
            return report
        self._warn_uncovered_years(now)
        token = uuid.uuid4().hex
        digest = build_digest(deadlines, self.settings, now, as_of, self.ledger.done())
        for channel_digest in digest:
            items = channel_digest.items
            for start in range(0, len(items), MAX_ITEMS_PER_MESSAGE):
                self._send_chunk(report, channel_digest, items[start : start + MAX_ITEMS_PER_MESSAGE], token)
        reported = {result.channel for result in report.failed if not result.retryable}
        for channel in sorted(reported):
            errors = {result.error for result in report.failed if result.channel == channel}
            self._tell_admins(channel, channel_digest_names(digest, channel), sorted(e or "" for e in errors))
        return report

    # ----------------------------------------------------------------- one message

    def _send_chunk(
        self, report: RunReport, channel_digest: ChannelDigest, items: list[DigestItem], token: str
    ) -> None:
        channel = channel_digest.channel
        keys = {item.key(channel): item for item in items}
        claims = self.ledger.claim(list(keys), token)
        report.skipped += len(keys) - len(claims)
        taken_over = [claim for claim in claims if claim.taken_over_from is not None]
        if taken_over:
            earliest = min(claim.taken_over_from or 0.0 for claim in taken_over)
            found = self._posted_since(channel, earliest, {str(claim.key) for claim in taken_over})
            recovered = [claim for claim in taken_over if str(claim.key) in found]
            for claim in recovered:
                self.ledger.mark_sent([claim.key], token, found[str(claim.key)])
            report.recovered += len(recovered)
            claims = [claim for claim in claims if claim not in recovered]
        if not claims:
            return
        won = [keys[claim.key] for claim in claims]
        claimed_keys = [claim.key for claim in claims]
        if self.before_post:
            self.before_post(claims)
        try:
            response = self.client.chat_postMessage(
                channel=channel,
                text=digest_text(won, report.now),
                blocks=digest_blocks(won, report.now, self.documents),
                metadata=metadata([str(key) for key in claimed_keys]),
                unfurl_links=False,
            )
        except Exception as error:  # a failed post must never lose the reminders
            code, retryable = classify(error)
            self.ledger.release(claimed_keys, token)
            report.failed.append(MessageResult(channel, won, error=code, retryable=retryable))
            if retryable:
                log.warning("digest to %s failed (%s); released for a retry", channel, code)
            else:
                log.error(
                    "digest to %s refused by Slack: %s; released, admins told (other channels unaffected)",
                    channel,
                    code,
                )
            return
        if self.after_post:
            self.after_post(claims)
        ts = response.get("ts")
        self.ledger.mark_sent(claimed_keys, token, ts)
        report.posted.append(MessageResult(channel, won, ts=ts))
        log.info("digest posted to %s: %d item(s)", channel, len(won))

    def _posted_since(self, channel: str, since: float, wanted: set[str]) -> dict[str, str]:
        """Keys of `wanted` found in the channel's recent digest messages (key -> message ts)."""
        found: dict[str, str] = {}
        try:
            response = self.client.conversations_history(
                channel=channel, oldest=f"{since - 60:.6f}", include_all_metadata=True, limit=200
            )
        except Exception as error:
            code, _ = classify(error)
            log.warning(
                "cannot read %s's history to check a crashed run (%s); its reminders are sent again",
                channel,
                code,
            )
            return found
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            if meta.get("event_type") != METADATA_EVENT:
                continue
            for key in (meta.get("event_payload") or {}).get("keys") or []:
                if key in wanted:
                    found[key] = message.get("ts", "")
        return found

    def _warn_uncovered_years(self, now: datetime) -> None:
        """Tell the admins once per process and year when the holiday calendar lacks this (or, in December,
        next) year: the digest then runs Monday to Friday instead of crashing."""
        years = [now.year, now.year + 1] if now.month == 12 else [now.year]
        for year in years:
            if year in self._calendar_warned or self.settings.calendar.covers(year):
                continue
            self._calendar_warned.add(year)
            log.warning("holiday calendar does not cover %d; telling the admins", year)
            self._message_admins(uncovered_warning(year), "the calendar")

    def _tell_admins(self, channel: str, logical: list[str], errors: list[str]) -> None:
        names = ", ".join(self.settings.env_name_of_channel(name) for name in logical) or "BOT_DIGEST_CHANNEL"
        text = (
            f":warning: 截止事项提醒发不到频道 {channel}：{', '.join(errors)}。"
            f"请把机器人邀请进该频道，或修改设置 {names}；下次运行会重发。"
        )
        self._message_admins(text, channel)

    def _message_admins(self, text: str, about: str) -> None:
        """A direct message to every admin; with none configured, the log is the only place left."""
        if not self.admins:
            log.error("no BOT_ADMINS to tell: %s", text)
        for admin in sorted(self.admins):
            try:
                self.client.chat_postMessage(channel=admin, text=text)
            except Exception as error:
                log.error("could not tell admin %s about %s: %s", admin, about, classify(error)[0])


def channel_digest_names(digest: list[ChannelDigest], channel: str) -> list[str]:
    for channel_digest in digest:
        if channel_digest.channel == channel:
            return list(channel_digest.logical)
    return []

"""Deadline digests to DingTalk groups, through the same exactly-once ledger as Slack's digests.

    claim (ledger) -> send (robot API, 20 a minute) -> mark sent      a second run finds nothing to claim
    claim -> DingTalk refuses -> release                                a later run (or the retry) sends it
    DingTalk says "too fast"                                            the run stops sending; the scheduler
                                                                        retries after BOT_DIGEST_RETRY_MINUTES
                                                                        (DingTalk throttles for about ten)

Ledger keys name the group as "dingtalk:<openConversationId>", so a Slack channel and a DingTalk group
never share a reminder. One gap remains that Slack's runner closes: a process that dies between
DingTalk accepting the message and the ledger marking it leaves a claim that is taken over and sent
again after the lease; DingTalk has no history a robot can read to check. That is one duplicate digest
at worst, never a lost one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime

from bot.config import DingTalkSettings
from bot.dingtalk.api import DingTalkError
from bot.dingtalk.digest_text import digest_markdown, digest_title
from bot.dingtalk.robot import RobotApi
from bot.schedule.deadlines_file import DeadlineStore
from bot.schedule.digest import DigestItem, due_reminders
from bot.schedule.ledger import Ledger
from bot.schedule.runner import MessageResult, RunReport
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "dingtalk:"
MAX_ITEMS_PER_MESSAGE = 10  # keeps one message well under DingTalk's 15,000-byte msgParam


def group_channel(conversation_id: str) -> str:
    return CHANNEL_PREFIX + conversation_id


class DingTalkDigestRunner:
    """`run` has the signature of Slack's DigestRunner, so the same scheduler (DigestService) drives it."""

    def __init__(
        self,
        digest: DigestSettings,
        dingtalk: DingTalkSettings,
        store: DeadlineStore,
        ledger: Ledger,
        api: RobotApi,
        documents: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = digest
        self.dingtalk = dingtalk
        self.store = store
        self.ledger = ledger
        self.api = api
        self.documents = documents or {}

    def run(self, now: datetime, as_of: datetime | None = None) -> RunReport:
        report = RunReport(now)
        deadlines = self.store.current()
        report.deadline_errors = list(self.store.errors)
        if deadlines is None:
            log.error("no valid deadlines file at %s; DingTalk digest skipped", self.store.path)
            return report
        token = uuid.uuid4().hex
        by_group: dict[str, list[DigestItem]] = {}
        for item in due_reminders(deadlines, self.settings, now, as_of, self.ledger.done()):
            for name in deadlines.channels_of(item.deadline):
                for group in self.dingtalk.groups_for(name):
                    bucket = by_group.setdefault(group, [])
                    if all(other.id != item.id or other.due != item.due for other in bucket):
                        bucket.append(item)
        throttled = False
        for group in sorted(by_group):
            items = by_group[group]
            for start in range(0, len(items), MAX_ITEMS_PER_MESSAGE):
                chunk = items[start : start + MAX_ITEMS_PER_MESSAGE]
                if throttled:  # DingTalk throttles a robot for minutes: the scheduler's retry sends the rest
                    report.failed.append(MessageResult(group_channel(group), chunk, error="not tried", retryable=True))
                    continue
                throttled = self._send_chunk(report, group, chunk, token)
        return report

    def _send_chunk(self, report: RunReport, group: str, items: list[DigestItem], token: str) -> bool:
        """Claim, send, mark; True when DingTalk said "too fast" (the run stops sending)."""
        channel = group_channel(group)
        keys = {item.key(channel): item for item in items}
        claims = self.ledger.claim(list(keys), token)
        report.skipped += len(keys) - len(claims)
        if not claims:
            return False
        claimed = [claim.key for claim in claims]
        won = [keys[key] for key in claimed]
        try:
            handle = self.api.send_group_markdown(
                group, digest_title(report.now), digest_markdown(won, report.now, self.documents)
            )
        except DingTalkError as error:
            self.ledger.release(claimed, token)
            report.failed.append(MessageResult(channel, won, error=error.code, retryable=error.retryable))
            level = logging.WARNING if error.retryable else logging.ERROR
            log.log(level, "DingTalk digest to %s failed (%s); released for a later run", group, error)
            return error.rate_limited
        self.ledger.mark_sent(claimed, token, handle[:64] or None)
        report.posted.append(MessageResult(channel, won, ts=handle))
        log.info("DingTalk digest sent to %s: %d item(s)", group, len(won))
        return False

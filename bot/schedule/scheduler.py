"""APScheduler 3.x wiring: the daily digest, a catch-up run at start, retries after Slack failures.

Every process keeps its own in-memory job store (APScheduler's FAQ: processes must not share one);
two processes that fire at the same time are kept from double posting by the ledger's claims.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from bot.schedule.runner import DigestRunner, RunReport
from bot.schedule.settings import DigestSettings

log = logging.getLogger(__name__)

JOB_ID = "deadline-digest"
CATCH_UP_JOB_ID = "deadline-digest-catch-up"
RETRY_JOB_ID = "deadline-digest-retry"
LOOKBACK = timedelta(days=16)  # longer than any run of days off (Spring Festival + weekends)


def last_fire_time(trigger: BaseTrigger, now: datetime, lookback: timedelta = LOOKBACK) -> datetime | None:
    """The latest time `trigger` fired at or before `now` (within `lookback`), or None."""
    last = None
    fire = trigger.get_next_fire_time(None, now - lookback)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return last


class DigestService:
    """Owns the scheduler; `scheduled_run` and `catch_up` are also called directly by tests."""

    def __init__(
        self,
        runner: DigestRunner,
        settings: DigestSettings,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.runner = runner
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(settings.timezone))
        self.scheduler = BackgroundScheduler(
            timezone=settings.timezone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )

    def start(self) -> BackgroundScheduler:
        self.scheduler.add_job(self.scheduled_run, self.settings.trigger(), id=JOB_ID, replace_existing=True)
        # Runs once, right after start: sends what was missed while no process was up.
        self.scheduler.add_job(self.catch_up, id=CATCH_UP_JOB_ID, replace_existing=True)
        self.scheduler.start()
        job = self.scheduler.get_job(JOB_ID)
        log.info(
            "deadline digest scheduled (%s %s); next at %s",
            self.settings.days,
            self.settings.time,
            job.next_run_time if job else None,
        )
        return self.scheduler

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def scheduled_run(self) -> RunReport:
        now = self.clock()
        return self._run(now, now)

    def catch_up(self, now: datetime | None = None) -> RunReport | None:
        """Send the digest of the latest scheduled time this process missed (once, however many)."""
        now = now or self.clock()
        last = last_fire_time(self.settings.trigger(), now)
        if last is None:
            return None
        return self._run(now, last)

    def retry(self, as_of: datetime) -> RunReport:
        return self._run(self.clock(), as_of)

    def _run(self, now: datetime, as_of: datetime) -> RunReport:
        try:
            report = self.runner.run(now, as_of)
        except Exception:  # a scheduled job must not die; the next run (or catch-up) tries again
            log.exception("deadline digest run failed")
            self._schedule_retry(now, as_of)
            return RunReport(now)
        if report.retry_needed:
            self._schedule_retry(now, as_of)
        return report

    def _schedule_retry(self, now: datetime, as_of: datetime) -> None:
        if not self.scheduler.running:
            return
        when = now + timedelta(minutes=self.settings.retry_minutes)
        self.scheduler.add_job(self.retry, "date", run_date=when, args=[as_of], id=RETRY_JOB_ID, replace_existing=True)
        log.warning("deadline digest will be retried at %s", when)

"""The sent-ledger on SQLite and Postgres: one claim wins, leases expire, releases give back."""

from __future__ import annotations

import threading
from datetime import date

from bot.db import make_engine
from bot.schedule.digest import LedgerKey
from bot.schedule.ledger import Ledger
from tests.schedule.helpers import Clock

KEYS = [
    LedgerKey("alpha", date(2020, 6, 30), 7, "C1"),
    LedgerKey("alpha", date(2020, 6, 30), 7, "C2"),
    LedgerKey("beta", date(2020, 6, 30), 0, "C1"),
]


def test_a_key_is_claimed_once(ledger: Ledger) -> None:
    assert [claim.key for claim in ledger.claim(KEYS, "run-1")] == KEYS
    assert ledger.claim(KEYS, "run-2") == []
    ledger.mark_sent(KEYS, "run-1", "1.0001")
    assert ledger.claim(KEYS, "run-3") == []
    assert {ledger.status(key) for key in KEYS} == {"sent"}


def test_a_released_claim_can_be_claimed_again(ledger: Ledger) -> None:
    ledger.claim(KEYS[:1], "run-1")
    ledger.release(KEYS[:1], "run-2")  # not its claim: nothing happens
    assert ledger.claim(KEYS[:1], "run-3") == []
    ledger.release(KEYS[:1], "run-1")
    assert [claim.key for claim in ledger.claim(KEYS[:1], "run-3")] == KEYS[:1]


def test_a_dead_senders_claim_is_taken_over_only_after_its_lease(ledger: Ledger, clock: Clock) -> None:
    start = clock()
    ledger.claim(KEYS[:1], "crashed")
    clock.advance(599)
    assert ledger.claim(KEYS[:1], "early") == []
    clock.advance(2)
    [claim] = ledger.claim(KEYS[:1], "later")
    assert claim.taken_over_from == start
    assert ledger.claim(KEYS[:1], "even-later") == []  # the new claim has a fresh lease


def test_a_sent_reminder_is_never_taken_over(ledger: Ledger, clock: Clock) -> None:
    ledger.claim(KEYS[:1], "run-1")
    ledger.mark_sent(KEYS[:1], "run-1", "1.0001")
    clock.advance(10_000)
    assert ledger.claim(KEYS[:1], "run-2") == []


def test_concurrent_claims_from_threads_give_each_key_to_one(ledger: Ledger, db_url: str) -> None:
    """Eight senders, each with its own engine (connection pool), race for the same keys."""
    won: dict[str, list[LedgerKey]] = {}
    barrier = threading.Barrier(8)
    engines = [make_engine(db_url) for _ in range(8)]

    def sender(n: int) -> None:
        mine = Ledger(engines[n], clock=ledger.clock)
        barrier.wait()
        won[f"t{n}"] = [claim.key for claim in mine.claim(KEYS, f"t{n}")]

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    claimed = [key for keys in won.values() for key in keys]
    assert sorted(map(str, claimed)) == sorted(map(str, KEYS))


def test_done_marks_are_idempotent(ledger: Ledger) -> None:
    assert ledger.mark_done("alpha", date(2020, 6, 30), "UADMIN")
    assert not ledger.mark_done("alpha", date(2020, 6, 30), "UOTHER")
    assert ledger.done() == {("alpha", date(2020, 6, 30))}
    assert ledger.done_by("alpha", date(2020, 6, 30)) == "UADMIN"

"""A build worker's entries reach the serving process whole, or not at all."""

from __future__ import annotations

import marshal
import sys

import pytest

from bot.kb import handover
from bot.match.stored import Derived, pack

ENTRIES = [
    (
        "k1",
        Derived(
            pack(["技改补贴多少", "补贴 比例"]),
            pack(["多少 技改", "比例 补贴"]),
            ("技改", "补贴"),
            "全文",
            "答",
            ("技改", "技改补"),
            (2, 1),
        ),
    ),
    ("k2", Derived(pack([""]), pack([""]), (), "", "", (), ())),
]


def test_shares_come_back_in_order_with_their_terms_interned():
    data = b"".join(handover.pieces([handover.share_bytes(ENTRIES[:1]), handover.share_bytes(ENTRIES[1:])]))
    handed = handover.entries_of(data)
    assert handed is not None
    entries, keys = handed
    assert entries == dict(ENTRIES) and keys == [["k1"], ["k2"]]
    term = "".join(["技", "改"])  # made at run time: equal to the term, not the same object unless interned
    assert entries["k1"].terms[0] is sys.intern(term)


def test_an_empty_hand_over_is_no_entries():
    assert handover.entries_of(b"".join(handover.pieces([handover.share_bytes([])]))) == ({}, [[]])


@pytest.mark.parametrize(
    "share",
    [
        marshal.dumps([("k1", "p", "w", ("v",), "t", "a", ("x",))]),  # a field short
        marshal.dumps([("k1", "p", "w", ("v",), "t", "a", ("x", "y"), (1,))]),  # terms and counts disagree
        marshal.dumps([("k1", 1, "w", ("v",), "t", "a", ("x",), (1,))]),  # a number for a text
        marshal.dumps({"k1": ()}),
        b"\x00not marshal",
    ],
)
def test_a_share_of_the_wrong_shape_is_refused(share):
    assert handover.share_entries(share) is None
    assert handover.entries_of(b"".join(handover.pieces([share]))) is None


def test_a_truncated_hand_over_is_refused():
    data = b"".join(handover.pieces([handover.share_bytes(ENTRIES)]))
    assert handover.entries_of(data[:-1]) is None
    assert handover.entries_of(data[:5]) is None

"""Deadline digests: occurrences, digest building, the sent-ledger and scheduler wiring."""

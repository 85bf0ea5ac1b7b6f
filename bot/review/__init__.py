"""The curators' queue: what no platform could answer (refusals, not-stated replies, 👎 votes), grouped,
turned into draft FAQ entries or extra phrasings of existing ones, and marked done or ignored."""

"""Matching a question to an FAQ entry: index, retrieve, re-rank, decide."""

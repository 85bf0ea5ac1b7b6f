"""`python -m bot COMMAND`: the local door onto the core (the Slack app is the other)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# numpy's BLAS starts a thread per core on import, for nothing here (BM25 is element-wise): 0.05 s of
# CPU of a cold `ask`. Set before anything imports numpy; an explicit setting is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# One module per subcommand, each with `register(subparsers)` setting `func` on its parser. Only the
# command being run is imported (a cold `ask` should not pay for the Slack app or the scheduler).
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("bot.cli.ask", "answer one question (or one per stdin line)"),
    "chat": ("bot.cli.chat", "chat with the bot in the terminal (no Slack needed)"),
    "validate": ("bot.cli.validate", "check the knowledge YAML (schema, unique ids, quotes in the seeds)"),
    "coverage": ("bot.cli.coverage", "report how much of each source document the FAQ quotes"),
    "serve": ("bot.cli.serve", "run the Slack app (Socket Mode or HTTP) with the digest scheduler"),
    "unanswered": ("bot.cli.unanswered", "list questions the bot could not answer, most frequent first"),
    "draft": ("bot.cli.draft", "write a draft FAQ file for a new document, one entry per fact-bearing passage"),
    "review": ("bot.cli.review", "the curators' queue: unanswered questions and 👎 votes, draft entries"),
    "digest": ("bot.cli.digest", "build or send the deadline digest for a moment"),
    "deadlines": ("bot.cli.deadlines", "list upcoming deadline occurrences or export them as iCalendar"),
}


def _chosen_command(argv: list[str]) -> str | None:
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about Chinese industrial-policy documents from a cited FAQ.",
        epilog='Start with: python -m bot chat   or   python -m bot ask "天津技改补贴比例是多少"',
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _chosen_command(sys.argv[1:] if argv is None else argv)
    for name, (module_name, help_text) in COMMANDS.items():
        if chosen not in (None, name):
            subparsers.add_parser(name, help=help_text)
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # a command this installation does not have
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

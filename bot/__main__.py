"""`python -m bot COMMAND`: the local door onto the core (the Slack app is the other)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# One module per subcommand, each with `register(subparsers)` setting `func` on its parser.
COMMAND_MODULES = [
    "bot.cli.ask",
    "bot.cli.chat",
    "bot.cli.validate",
    "bot.cli.coverage",
    "bot.cli.serve",
    "bot.cli.unanswered",
    "bot.cli.digest",
    "bot.cli.deadlines",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about Chinese industrial-policy documents from a cited FAQ.",
        epilog='Start with: python -m bot chat   or   python -m bot ask "天津技改补贴比例是多少"',
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot chat`: a local REPL, the embedded default that needs no Slack credentials."""

from __future__ import annotations

import argparse

from bot.cli.common import add_kb_option, open_store, settings_from
from bot.render_text import render_text, usage_text

EXIT_WORDS = {"exit", "quit", "q", "退出"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="chat with the bot in the terminal (no Slack needed)",
        description="Ask questions interactively. Edits to the knowledge YAML are picked up between "
        "questions. Type 'exit' or press Ctrl-D to leave.",
    )
    add_kb_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(settings_from(args))
    print(usage_text(store.answerer().kb))
    print("（输入 exit 退出）")
    reported: list = []
    while True:
        try:
            question = input("\n问> ")
        except EOFError:
            print()
            return 0
        if question.strip().lower() in EXIT_WORDS:
            return 0
        answerer = store.answerer()
        if store.errors and store.errors != reported:
            print("注意：知识库的最新修改无效，仍在使用上一个有效版本：")
            for issue in store.errors:
                print(f"  {issue}")
        reported = store.errors
        print(render_text(answerer.ask(question), answerer.kb))

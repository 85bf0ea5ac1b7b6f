"""`python -m bot chat`: a local REPL, the embedded default that needs no Slack credentials."""

from __future__ import annotations

import argparse

from bot.answer import Answer
from bot.chat.conversation import parse_command
from bot.chat.deadlines import upcoming_text
from bot.cli.common import add_kb_option, open_store, settings_from
from bot.cli.review_log import add_log_option, review_engine
from bot.render_text import render_text, usage_text

EXIT_WORDS = {"exit", "quit", "q", "退出"}
DOWNVOTE_WORDS = {"👎", "-1", "没用", "沒用"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="chat with the bot in the terminal (no Slack needed)",
        description="Ask questions interactively. Edits to the knowledge YAML are picked up between "
        "questions. Type 'exit' or press Ctrl-D to leave.",
    )
    add_kb_option(parser)
    add_log_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    engine = review_engine(args, settings)
    if engine is not None:
        from bot.review.service import log_downvote, log_for_review
    print(usage_text(store.answerer().kb))
    print("（输入 exit 退出）" + ("；回答没用时输入 👎 反馈给维护人员" if engine is not None else ""))
    reported: list = []
    last: tuple[str, Answer] | None = None
    while True:
        try:
            question = input("\n问> ")
        except EOFError:
            print()
            return 0
        if question.strip().lower() in EXIT_WORDS:
            return 0
        if engine is not None and question.strip() in DOWNVOTE_WORDS:
            if last is not None:
                log_downvote(engine, last[1].entry_id, last[0], platform="cli")
                print("已记录，维护人员会复核这个回答。")
            continue
        command = parse_command(question) if question.strip() else None
        if command == "help":  # 你能做什么？ as in Slack
            print(usage_text(store.answerer().kb))
            continue
        if command == "deadlines":  # 截止日期: the digest's list, as in Slack
            print(upcoming_text(settings))
            continue
        answerer = store.answerer()
        if store.errors and store.errors != reported:
            print("注意：知识库的最新修改无效，仍在使用上一个有效版本：")
            for issue in store.errors:
                print(f"  {issue}")
        reported = store.errors
        answer = answerer.ask(question)
        if engine is not None:
            log_for_review(engine, answer, question, platform="cli", surface="chat")
        last = (question, answer)
        print(render_text(answer, answerer.kb))

"""`python -m bot ask "问题"`: one answer (or one JSON object per stdin line with `--json -`)."""

from __future__ import annotations

import argparse
import io
import json
import sys

from bot.answer import Answer
from bot.cli.common import add_kb_option, open_store, settings_from
from bot.cli.review_log import add_log_option, review_engine
from bot.render_text import render_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer one question",
        description='Answer a question. Use "-" to read one question per line from stdin.',
    )
    parser.add_argument("question", nargs="+", help='the question, or "-" for one question per stdin line')
    parser.add_argument("--json", action="store_true", help="print one JSON object per question")
    add_kb_option(parser)
    add_log_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    answerer = store.answerer()
    engine = review_engine(args, settings)

    def queue(answer: Answer, question: str) -> None:
        if engine is not None:
            from bot.review.service import log_for_review

            log_for_review(engine, answer, question, platform="cli", surface="ask")

    if args.question == ["-"]:
        # An undecodable byte must not end the batch and lose the lines after it.
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        for line in stdin:
            answer = answerer.ask(line.rstrip("\n"))
            queue(answer, line.rstrip("\n"))
            if args.json:
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
            else:
                print(render_text(answer, answerer.kb) + "\n", flush=True)
        return 0
    answer = answerer.ask(" ".join(args.question))
    queue(answer, " ".join(args.question))
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(render_text(answer, answerer.kb))
    return 0

"""The curators' queue, end to end through the real CLI on a real SQLite database: a question `chat`
refuses is queued, grouped, drafted into an entry a curator finishes, and the entry then answers it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer import Answer, Outcome
from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR, PROJECT_ROOT, Settings
from bot.db import make_engine
from bot.kb.store import KnowledgeStore
from bot.review.groups import group_items
from bot.review.store import ReviewStore
from bot.slack.service import PolicyService
from bot.slack.store import SlackStore, ensure_tables

REFUSED = "推进会开了几天"  # the documents say it (抽出一天时间) but no entry does


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the knowledge and seeds, and a database file, in a fresh folder."""
    shutil.copytree(DEFAULT_KB_DIR, tmp_path / "knowledge")
    shutil.copytree(DEFAULT_SEEDS_DIR, tmp_path / "seeds")
    return tmp_path


def bot(workspace: Path, *args: str, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BOT_", "SLACK_", "DATABASE"))}
    env.update(PYTHONPATH=str(PROJECT_ROOT), DATABASE_URL=f"sqlite:///{workspace / 'queue.db'}", **extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--kb", str(workspace / "knowledge")],
        cwd=workspace,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ask(workspace: Path, question: str) -> dict:
    result = bot(workspace, "ask", "--json", question)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_refused_chat_question_becomes_an_entry_that_answers_it(workspace: Path) -> None:
    assert ask(workspace, REFUSED)["outcome"] == "refused"
    chat = bot(workspace, "chat", "--log", stdin=f"{REFUSED}\n推进会开了几天？\nexit\n")
    assert chat.returncode == 0, chat.stderr
    assert f"queued for review in sqlite:///{workspace / 'queue.db'}" in chat.stderr

    listed = bot(workspace, "review", "--json")
    assert listed.returncode == 0, listed.stderr
    assert f"database: sqlite:///{workspace / 'queue.db'}" in listed.stderr
    [group] = json.loads(listed.stdout)
    assert group["count"] == 2 and group["kinds"] == {"refused": 2} and group["platforms"] == ["cli"]
    assert "sq-site-visits" in [entry["id"] for entry in group["nearest"]][:3]

    drafted = bot(workspace, "review", "--draft", str(group["group"]))
    assert drafted.returncode == 0, drafted.stderr
    draft_file = workspace / "knowledge" / "drafts" / "review.yaml"
    text = draft_file.read_text(encoding="utf-8")
    assert "draft: true" in text and "抽出一天时间" in text and "推进会开了几天？" in text

    # validate reports the draft until a curator has reviewed it
    blocked = bot(workspace, "validate")
    assert blocked.returncode == 1 and "draft entry: check its question, answer and quote" in blocked.stderr

    # the curator's review: rewrite the answer, delete the draft mark, move the entry into faq/
    reviewed = [
        "    answer: 商丘市全市重点工业项目暨智能化改造推进会在年终岁尾召开，会期一天（“抽出一天时间”）。"
        if line.startswith("    answer:")
        else line
        for line in text.splitlines()
        if line.strip() != "draft: true"
    ]
    (workspace / "knowledge" / "faq" / "review.yaml").write_text("\n".join(reviewed) + "\n", encoding="utf-8")
    draft_file.unlink()
    checked = bot(workspace, "validate")
    assert checked.returncode == 0, checked.stderr

    answer = ask(workspace, REFUSED)
    assert answer["outcome"] == "answered" and "一天" in answer["answer"]
    assert answer["sources"][0]["seed"] == "000-shangqiu-smart-transformation-speech.txt"
    assert json.loads(bot(workspace, "review", "--json").stdout) == []  # the group was marked done


def test_phrasings_join_an_existing_entry_and_votes_are_feedback(workspace: Path) -> None:
    chat = bot(workspace, "chat", "--log", stdin="火星基地的补贴是多少\n火星基地补贴多少？\n👎\nexit\n")
    assert chat.returncode == 0, chat.stderr
    [group] = json.loads(bot(workspace, "review", "--json").stdout)
    assert group["count"] == 3 and group["kinds"] == {"refused": 2, "downvote": 1}

    added = bot(workspace, "review", "--add-to", "tj-city-equipment-subsidy", str(group["group"]))
    assert added.returncode == 0, added.stderr
    faq = (workspace / "knowledge" / "faq" / "tianjin.yaml").read_text(encoding="utf-8")
    assert "      - 火星基地的补贴是多少\n" in faq and "      - 火星基地补贴多少？\n" in faq
    assert bot(workspace, "validate").returncode == 0
    assert json.loads(bot(workspace, "review", "--json").stdout) == []


def test_done_and_ignored_leave_the_queue(workspace: Path) -> None:
    bot(workspace, "ask", "--log", "今天天气怎么样")
    [group] = json.loads(bot(workspace, "review", "--json").stdout)
    ignored = bot(workspace, "review", "--ignore", str(group["group"]))
    assert ignored.returncode == 0 and "marked ignored" in ignored.stdout
    assert json.loads(bot(workspace, "review", "--json").stdout) == []
    [kept] = json.loads(bot(workspace, "review", "--json", "--all").stdout)
    assert kept["status"] == ["ignored"]


def test_without_a_database_it_says_which_one_and_creates_nothing(workspace: Path) -> None:
    result = bot(workspace, "review")
    assert result.returncode == 0
    assert f"database: sqlite:///{workspace / 'queue.db'} (does not exist: nothing logged yet)" in result.stderr
    assert not (workspace / "queue.db").exists()
    unanswered = bot(workspace, "unanswered")
    assert unanswered.returncode == 0 and "does not exist" in unanswered.stderr
    assert not (workspace / "queue.db").exists()


def test_ask_without_the_flag_or_setting_logs_nothing(workspace: Path) -> None:
    bot(workspace, "ask", REFUSED)
    assert not (workspace / "queue.db").exists()


def test_the_setting_turns_logging_on_for_ask(workspace: Path) -> None:
    result = bot(
        workspace, "ask", "--json", "-", stdin=f"{REFUSED}\n天津技改补贴比例是多少\n", BOT_LOG_QUESTIONS="true"
    )
    assert result.returncode == 0, result.stderr
    [group] = json.loads(bot(workspace, "review", "--json").stdout)
    assert group["texts"] == [REFUSED]  # the answered question is not queued
    bad = bot(workspace, "ask", REFUSED, BOT_LOG_QUESTIONS="maybe")
    assert bad.returncode == 2 and "BOT_LOG_QUESTIONS must be true or false" in bad.stderr


def test_slack_refusals_and_votes_reach_the_same_queue(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    ensure_tables(engine)
    slack_db = SlackStore(engine)
    service = PolicyService(Settings(), KnowledgeStore(DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR), slack_db)
    refused = Answer(Outcome.REFUSED)
    service.log_answer(refused, "<@U0BOT> 火星补贴多少", surface="mention", channel="C1", user="U1")
    slack_db.record_feedback(channel="C1", message_ts="1.2", user="U2", entry_id="tj-relending-rate", vote=-1)

    from bot.review.groups import import_slack_votes

    queue = ReviewStore(engine)
    assert import_slack_votes(engine, queue) == 1
    assert import_slack_votes(engine, queue) == 0  # each vote once
    items = queue.items()
    assert [(item.platform, item.kind, item.text) for item in items] == [
        ("slack", "refused", "@U0BOT 火星补贴多少"),
        ("slack", "downvote", None),
    ]
    groups = group_items(items)
    assert sorted(len(group.items) for group in groups) == [1, 1]
    engine.dispose()

"""The `ask` contract external checks rely on: flags, JSON keys and types, stdin batch mode."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.config import PROJECT_ROOT

KEYS = {"matched", "outcome", "id", "answer", "score", "sources", "suggestions"}
OUTCOMES = {"answered", "not_stated", "refused", "empty"}


def run_bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )


def assert_contract(obj: dict) -> None:
    optional = {"related"} if obj.get("outcome") == "not_stated" else set()
    assert set(obj) - {"parts"} == KEYS | optional
    assert obj["outcome"] in OUTCOMES
    assert obj["matched"] is (obj["outcome"] == "answered")
    assert isinstance(obj["matched"], bool)
    assert isinstance(obj["score"], float)
    assert obj["id"] is None or isinstance(obj["id"], str)
    assert obj["answer"] is None or isinstance(obj["answer"], str)
    for source in obj["sources"]:
        assert set(source) == {"seed", "quote"}
    for suggestion in obj["suggestions"]:
        assert set(suggestion) == {"id", "question"}
    assert len(obj["suggestions"]) <= 3


def test_ask_json_answer_has_sources_from_seed_files():
    result = run_bot("ask", "--json", "天津市技术改造再贷款的利率是多少")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert_contract(obj)
    assert obj["matched"] is True and obj["id"]
    assert "1.75%" in obj["answer"]
    seed_names = {p.name for p in (PROJECT_ROOT / "seeds").glob("*.txt")}
    assert obj["sources"] and all(s["seed"] in seed_names for s in obj["sources"])


def test_ask_json_refusal():
    obj = json.loads(run_bot("ask", "--json", "深圳市技术改造补贴比例是多少").stdout)
    assert_contract(obj)
    assert obj["matched"] is False and obj["id"] is None and obj["answer"] is None and obj["sources"] == []


def test_ask_json_stdin_gives_one_object_per_line_in_order():
    questions = ["天津市技术改造再贷款的利率是多少", "", "明天天气怎么样", "商丘 设备换芯 生产换线 机器换人"]
    result = run_bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    objs = [json.loads(line) for line in lines]
    for obj in objs:
        assert_contract(obj)
    assert [obj["matched"] for obj in objs] == [True, False, False, True]


def test_ask_human_output_shows_the_source():
    result = run_bot("ask", "天津市技术改造再贷款的利率是多少")
    assert result.returncode == 0
    assert "来源" in result.stdout and "004-tianjin" in result.stdout


def test_ask_with_invalid_kb_exits_with_file_line_errors(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "bad.yaml").write_text("entries: [\n", encoding="utf-8")
    result = run_bot("ask", "--kb", str(tmp_path), "问题")
    assert result.returncode != 0
    assert f"{tmp_path / 'faq' / 'bad.yaml'}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_shows_its_usage_when_asked_what_it_does():
    result = run_bot("chat", stdin="你能做什么？\n")
    assert result.returncode == 0
    assert result.stdout.count("请直接用中文提问") == 2, "once at the start, once for the question"
    assert "没有找到" not in result.stdout


def test_chat_answers_and_exits_on_eof():
    result = run_bot("chat", stdin="天津市技术改造再贷款的利率是多少\n")
    assert result.returncode == 0
    assert "1.75%" in result.stdout


def test_help_lists_commands():
    result = run_bot("--help")
    assert result.returncode == 0
    for command in ("ask", "chat", "validate", "coverage"):
        assert command in result.stdout

"""Validation that helps: the closest passage and the differing characters for a quote that is not
verbatim, a hint when the scripts differ, YAML syntax errors as `file:line: [id] field:` at the line to
fix, `coverage --min` naming shortfalls, and a clear error for a missing --kb."""

from __future__ import annotations

import pytest

from bot.__main__ import main
from tests.kb.test_validate import entry, validate
from tests.support.kb import copy_knowledge, write_faq

SEED_003 = "003-southwest-sme-arrears-clearing-speech.txt"
SEED_004 = "004-tianjin-tech-transformation-interview.txt"


def faq_quoting(entry_id: str, seed: str, quote: str) -> str:
    return "entries:\n" + entry(entry_id, quote=quote).replace("000-shangqiu-smart-transformation-speech.txt", seed)


def test_a_quote_one_character_off_shows_the_closest_passage_and_the_difference(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    # the seed itself writes 肓区 (a typo for 盲区); the curator typed the correct word
    path = write_faq(kb_dir, "typo.yaml", faq_quoting("blind-spot", SEED_003, "农村信息覆盖盲区逐步消除"))
    code, _, err = validate(capsys, str(path))
    assert code == 1
    line = next(line for line in err.splitlines() if "[blind-spot]" in line)
    assert line.startswith(f"{path}:8: [blind-spot] source.quotes.0: quote not found verbatim")
    assert "closest passage (seed line 14): '农村信息覆盖肓区逐步消除'" in line
    assert "differs: 盲→肓" in line


def test_a_simplified_quote_of_a_traditional_seed_gets_a_script_hint(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(
        kb_dir, "script.yaml", faq_quoting("relending", SEED_004, "人民银行给予金融机构利率为1.75%的技术改造再贷款")
    )
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert "the quote differs only in script: the seed is in traditional script" in err
    assert "'人民銀行給予金融機構利率為1.75%的技術改造再貸款'" in err


@pytest.mark.parametrize(
    ("text", "line", "where", "message"),
    [
        (
            "entries:\n  - id: a\n    question: 问\n    keywords: [unclosed\n    answer: x\n",
            4,
            "[a] keywords:",
            "a [ list ] is not closed",
        ),
        (
            'entries:\n  - id: b\n    question: "未闭合\n    answer: x\n',
            3,
            "[b] question:",
            "quotation mark is not closed",
        ),
        (
            "entries:\n  - id: c\n    question: 问\n    answer: 答案: 冒号\n",
            4,
            "[c] answer:",
            "quote a value that contains",
        ),
        ("entries:\n  - id: d\n    question: 问\n\tanswer: x\n", 4, "[d] answer:", "indent with spaces"),
    ],
)
def test_yaml_syntax_errors_name_the_line_to_fix_the_entry_and_the_key(tmp_path, capsys, text, line, where, message):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(kb_dir, "broken.yaml", text)
    code, _, err = validate(capsys, str(path))
    assert code == 1
    [issue] = [row for row in err.splitlines() if row.startswith(str(path))]
    assert issue.startswith(f"{path}:{line}: {where} YAML syntax: ")
    assert message in issue
    assert "Traceback" not in err


def test_validator_messages_do_not_carry_pydantic_prefixes(tmp_path, capsys):
    path = tmp_path / "deadlines.yaml"
    path.write_text(
        "deadlines:\n  - id: x\n    title: t\n    action: a\n    due: {weekly: fri}\n    source:\n"
        f"      seed: {SEED_003}\n      quotes: [每周调度研判]\n",
        encoding="utf-8",
    )
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:5: [x] due: a recurring rule needs `until:`" in err and "Value error" not in err


def test_coverage_min_names_what_falls_short(capsys):
    code = main(["coverage", "--min", "0.999"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "error: 000-shangqiu-smart-transformation-speech.txt: " in err and "below --min 99.9%" in err


@pytest.mark.parametrize("value", ["2", "-0.1", "ninety"])
def test_coverage_min_outside_zero_to_one_is_rejected(capsys, value):
    with pytest.raises(SystemExit) as exited:
        main(["coverage", "--min", value])
    assert exited.value.code == 2
    assert "--min: must be" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["validate"], ["coverage"], ["ask", "问题"]])
def test_a_missing_kb_folder_is_one_clear_error(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([*command, "--kb", "/nonexistent"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == (
        "error: knowledge folder not found: /nonexistent (--kb must name a folder with faq/*.yaml)"
    )

"""`python -m bot validate`: every error names file:line, the entry id and the field; exit non-zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from tests.support.kb import SEED_000, copy_knowledge, write_faq

GOOD_QUOTE = "强力推进“设备换芯”“生产换线”和“机器换人”工作"


def entry(entry_id: str, quote: str = GOOD_QUOTE, extra: str = "") -> str:
    return (
        f"  - id: {entry_id}\n"
        f"    question: 问题{entry_id}\n"
        f"    answer: 回答\n"
        f"    source:\n"
        f"      seed: {SEED_000}\n"
        f"      quotes:\n"
        f"        - {quote}\n"
        f"{extra}"
    )


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_shipped_knowledge_is_valid_and_summarised(capsys):
    code, out, err = validate(capsys)
    assert code == 0, err
    assert "FAQ entries" in out
    assert SEED_000 in out


def test_yaml_syntax_error_reports_file_and_line_without_traceback(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(kb_dir, "broken.yaml", "entries:\n  - id: a\n    question: [unclosed\n    answer: x\n")
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:4" in err or f"{path}:3" in err
    assert "Traceback" not in err


def test_missing_field_names_line_entry_and_field(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    text = (
        "entries:\n"
        + entry("ok-one")
        + "  - id: no-answer\n    question: 问\n    source:\n"
        + (f"      seed: {SEED_000}\n      quotes: [{GOOD_QUOTE}]\n")
    )
    path = write_faq(kb_dir, "missing.yaml", text)
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:9: [no-answer] answer: Field required" in err


def test_unknown_key_is_an_error(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(kb_dir, "extra.yaml", "entries:\n" + entry("with-extra", extra="    colour: red\n"))
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:9: [with-extra] colour: Extra inputs are not permitted" in err


def test_duplicate_id_across_files_points_at_both(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    first = write_faq(kb_dir, "a_first.yaml", "entries:\n" + entry("twin"))
    second = write_faq(kb_dir, "b_second.yaml", "entries:\n" + entry("twin"))
    code, _, err = validate(capsys, str(kb_dir))
    assert code == 1
    assert f"{second}:2: [twin] id: duplicate id, first defined at {first}:2" in err


def test_quote_not_in_seed_is_an_error(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(kb_dir, "badquote.yaml", "entries:\n" + entry("invented", quote="商丘给每家企业补贴一百万元"))
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:8: [invented] source.quotes.0: quote not found verbatim in {SEED_000}" in err


def test_quote_matches_modulo_whitespace(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    spaced = " ".join(GOOD_QUOTE[:8]) + GOOD_QUOTE[8:]
    path = write_faq(kb_dir, "spaced.yaml", "entries:\n" + entry("spaced", quote=f"'{spaced}'"))
    code, _, err = validate(capsys, str(path))
    assert code == 0, err


def test_same_phrasing_under_two_entries_is_an_error(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    alt = "    alternatives: [三换都是什么]\n"
    path = write_faq(kb_dir, "dup_alt.yaml", "entries:\n" + entry("one", extra=alt) + entry("two", extra=alt))
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert "[two] alternatives.0: phrasing '三换都是什么' is also under entry 'one'" in err


def test_unknown_seed_is_an_error(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    text = "entries:\n" + entry("elsewhere").replace(SEED_000, "no-such-seed.txt")
    path = write_faq(kb_dir, "seed.yaml", text)
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert "[elsewhere] source.seed: unknown seed 'no-such-seed.txt'" in err


def test_missing_path_is_reported(capsys):
    code, _, err = validate(capsys, "/nonexistent/faq.yaml")
    assert code == 1
    assert "/nonexistent/faq.yaml:1: no such file or folder" in err


def test_every_shipped_quote_is_verbatim_in_its_seed():
    """The traceability promise: each quote of each entry is in the seed it names (modulo whitespace)."""
    from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR
    from bot.kb.loader import load_knowledge
    from bot.kb.seeds import SeedLibrary

    seeds = SeedLibrary.load(DEFAULT_SEEDS_DIR)
    kb, issues = load_knowledge(DEFAULT_KB_DIR, seeds)
    assert kb is not None, "\n".join(map(str, issues))
    assert len(kb.entries) >= 150
    for faq in kb.entries:
        for quote in faq.source.quotes:
            assert seeds.contains(faq.source.seed, quote), (faq.id, quote)


def test_seeds_are_verbatim_copies_of_the_shared_documents():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    from bot.config import DEFAULT_SEEDS_DIR

    shared_texts = {p.read_bytes() for p in shared.glob("*.txt")}
    ours = {p.read_bytes() for p in DEFAULT_SEEDS_DIR.glob("*.txt")}
    assert ours == shared_texts


def test_value_yaml_cannot_construct_reports_its_line(tmp_path, capsys):
    kb_dir = copy_knowledge(tmp_path)
    path = write_faq(kb_dir, "baddate.yaml", "entries:\n  - id: a\n    question: q\n    answer: 2020-13-01\n")
    code, _, err = validate(capsys, str(path))
    assert code == 1
    assert f"{path}:4:" in err and "2020-13-01" in err
    assert "Traceback" not in err


def test_entry_ids_longer_than_the_tables_allow_are_rejected() -> None:
    from pydantic import ValidationError

    from bot.kb.schema import ID_MAX_LENGTH, FaqEntry

    fields = {"question": "问？", "answer": "答。", "source": {"seed": "000-x.txt", "quotes": ["答"]}}
    try:
        FaqEntry(id="a" * (ID_MAX_LENGTH + 1), **fields)
    except ValidationError as error:
        assert "at most 128" in str(error)
    else:
        raise AssertionError("a 129-character id was accepted")
    FaqEntry(id="a" * ID_MAX_LENGTH, **fields)

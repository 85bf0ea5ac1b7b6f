"""`python -m bot draft`: a sixth document (written for these tests, not a real one) becomes draft
entries that validate reports until reviewed, that validate once the draft marks are gone, and that
quote at least 90% of the document's fact-bearing sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.config import DEFAULT_KB_DIR, DEFAULT_SEEDS_DIR
from bot.kb.seeds import SeedLibrary

SAMPLE = Path(__file__).parent / "data" / "005-sample-city-manufacturing-notice.txt"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(DEFAULT_KB_DIR, tmp_path / "knowledge")
    shutil.copytree(DEFAULT_SEEDS_DIR, tmp_path / "seeds")
    shutil.copy(SAMPLE, tmp_path / "seeds" / SAMPLE.name)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_document_becomes_reviewed_entries_that_cover_it(workspace: Path, capsys) -> None:
    kb = str(workspace / "knowledge")
    code, out, err = run(capsys, "draft", str(workspace / "seeds" / SAMPLE.name), "--kb", kb)
    assert code == 0, err
    drafts = workspace / "knowledge" / "drafts" / f"{SAMPLE.stem}.yaml"
    entries = yaml.safe_load(drafts.read_text(encoding="utf-8"))["entries"]
    assert len(entries) >= 10 and f"{len(entries)} draft entries" in out
    seeds = SeedLibrary.load(workspace / "seeds")
    for entry in entries:
        assert entry["draft"] is True and entry["question"].endswith("？") and entry["keywords"]
        assert entry["source"]["seed"] == SAMPLE.name
        assert all(seeds.contains(SAMPLE.name, quote) for quote in entry["source"]["quotes"])
    assert any("5000万元" in entry["answer"] for entry in entries)

    # coverage --drafts shows what the drafts leave out before they are reviewed
    code, out, _ = run(capsys, "coverage", "--kb", kb, "--drafts", "--json")
    [sample] = [row for row in json.loads(out) if row["seed"] == SAMPLE.name]
    assert sample["ratio"] >= 0.9

    # validate reports every draft until a curator removes the mark
    code, _, err = run(capsys, "validate", "--kb", kb)
    assert code == 1
    assert err.count("draft entry: check its question, answer and quote") == len(entries)

    reviewed = "".join(
        line for line in drafts.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip() != "draft: true"
    )
    (workspace / "knowledge" / "faq" / drafts.name).write_text(reviewed, encoding="utf-8")
    drafts.unlink()
    code, out, err = run(capsys, "validate", "--kb", kb)
    assert code == 0, err

    code, out, err = run(capsys, "coverage", "--kb", kb, "--json")
    [sample] = [row for row in json.loads(out) if row["seed"] == SAMPLE.name]
    assert sample["fact_sentences"] >= 10 and sample["ratio"] >= 0.9, sample["uncovered"]


def test_draft_reports_its_coverage_and_keeps_an_existing_file(workspace: Path, capsys) -> None:
    kb = str(workspace / "knowledge")
    code, out, _ = run(capsys, "draft", str(workspace / "seeds" / SAMPLE.name), "--kb", kb)
    assert code == 0 and "fact-bearing sentences (100%)" in out
    code, _, err = run(capsys, "draft", str(workspace / "seeds" / SAMPLE.name), "--kb", kb)
    assert code == 1 and "exists: review it, or pass --force" in err


def test_a_document_outside_the_seeds_folder_is_refused(workspace: Path, capsys) -> None:
    code, _, err = run(capsys, "draft", str(SAMPLE), "--kb", str(workspace / "knowledge"))
    assert code == 2 and "is not in the seeds folder" in err

"""The index cache: signed JSON, so nothing in the cache folder can run code or change an answer."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
from pathlib import Path

import pytest

from bot.match import cache
from bot.match.stored import (
    Derived,
    _packed,
    _unpacked,
    cache_name,
    encode_part_bytes,
    file_pieces,
    pack,
    to_json,
    unpack,
)


class Planted:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture
def folders(tmp_path, monkeypatch):
    monkeypatch.delenv("BOT_CACHE_KEY", raising=False)
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_CACHE_KEY_FILE", str(tmp_path / "config" / "key"))
    return tmp_path


ENTRIES = {
    "k1": Derived(
        "技改补贴多少",
        "技改 补贴",
        ("技改", "补贴"),
        "技改补贴多少",
        "补贴10%",
        ("技改", "补贴"),
        (1, 2),
    ),
    "k2": Derived("", "", (), "", "", (), ()),  # one phrasing, empty
}


def only_file(folders: Path) -> Path:
    (path,) = (folders / "cache").iterdir()
    return path


OLD_KEY = "0123456789abcdef0123456789abcdef"


def plant_old_caches(folders: Path) -> tuple[Path, bytes]:
    """What the previous version wrote, and would have loaded: a pickle signed with the real key, and
    an unsigned one. Returns the file unpickling would create, and the planted payload."""
    secret = (folders / "config" / "key").read_bytes()
    marker = folders / "code-ran"
    payload = pickle.dumps(Planted(marker))
    signature = hmac.new(secret, OLD_KEY.encode() + b"\0" + payload, hashlib.sha256).digest()
    (folders / "cache" / f"answerer-{OLD_KEY}.signed").write_bytes(b"policy-bot-cache-v2\n" + signature + payload)
    (folders / "cache" / f"answerer-{OLD_KEY}.pickle").write_bytes(payload)
    return marker, payload


def test_stored_entries_come_back(folders):
    cache.store_entries("index-sig1", ENTRIES)
    assert cache.load_entries("index-sig1") == ENTRIES
    assert cache.load_entries("index-sig2") is None
    assert (folders / "config" / "key").stat().st_mode & 0o077 == 0


def test_the_file_is_json_data(folders):
    cache.store_entries("index-sig1", ENTRIES)
    data = only_file(folders).read_bytes()
    payload = json.loads(data[len(cache._MAGIC) + cache._SIGNATURE_BYTES :])
    (part,) = payload["parts"]
    words = part["words"]
    assert part["keys"] == ["k1", "k2"]
    assert part["strings"] == ["技改补贴多少", "技改 补贴", "技改补贴多少", "补贴10%", "", "", "", ""]
    assert _unpacked(part["shape"], 10).tolist() == [1, 2, 2, 1, 0, 0]  # phrasings, vocabulary, terms
    assert [words[i] for i in _unpacked(part["ids"], len(words))] == ["技改", "补贴", "技改", "补贴"]
    assert _unpacked(part["tf"], 10).tolist() == [1, 2]


def test_parts_encoded_apart_make_one_file(folders):
    parts = [encode_part_bytes([(key, derived)]) for key, derived in ENTRIES.items()]
    cache.store_file_pieces("index-sig1", file_pieces(parts))
    assert cache.load_entries("index-sig1") == ENTRIES


def test_the_module_cannot_unpickle():
    source = Path(cache.__file__).read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle.load" not in source and "marshal" not in source


def test_a_planted_pickle_is_never_unpickled(folders):
    cache.store_entries("index-sig1", ENTRIES)
    marker = folders / "code-ran"
    planted = pickle.dumps(Planted(marker))
    path = only_file(folders)
    header = path.read_bytes()[: len(cache._MAGIC) + cache._SIGNATURE_BYTES]
    path.write_bytes(header + planted)  # our header, a pickle for payload
    (folders / "cache" / "index-sig2.json").write_bytes(planted)  # no header at all
    assert cache.load_entries("index-sig1") is None
    assert cache.load_entries("index-sig2") is None
    assert not marker.exists()


def test_an_old_signed_pickle_cache_is_not_read_and_is_deleted(folders):
    """What the previous version wrote (and would have loaded): a pickle signed with the real key."""
    cache.store_entries("index-sig0", {})  # creates the key
    marker, _ = plant_old_caches(folders)
    assert cache.load(f"answerer-{OLD_KEY}") is None
    cache.store_entries("index-sig1", ENTRIES)
    assert sorted(path.name for path in (folders / "cache").iterdir()) == ["index-sig1.json"]
    assert not marker.exists()


def test_a_partial_file_left_by_a_killed_writer_goes_and_another_s_in_progress_stays(folders):
    """A build child killed while writing left its .tmp file for good; one written minutes ago may be
    another instance's, being written now."""
    cache.store_entries("index-sig0", {})
    folder = folders / "cache"
    abandoned, recent = folder / "tmpold.tmp", folder / "tmpnew.tmp"
    abandoned.write_bytes(b"half")
    recent.write_bytes(b"half")
    hours_ago = abandoned.stat().st_mtime - 2 * 3600
    os.utime(abandoned, (hours_ago, hours_ago))
    cache.store_entries("index-sig1", ENTRIES)
    assert sorted(path.name for path in folder.iterdir()) == ["index-sig1.json", "tmpnew.tmp"]


def test_a_write_that_fails_leaves_no_partial_file(folders):
    cache.store_entries("index-sig0", {})
    cache.store_file_pieces("index-sig1", [b"{", None, b"}"])  # type: ignore[list-item]  # the write fails
    assert not list((folders / "cache").glob("*.tmp"))
    assert cache.load("index-sig1") is None


def test_a_file_of_the_previous_format_is_not_read_and_is_deleted(folders):
    """A v3 file (segmentations only, another header) signed with the real key, even under the current name."""
    cache.store_entries("index-sig0", {})  # creates the key
    secret = (folders / "config" / "key").read_bytes()
    payload = json.dumps({"format": 1, "texts": {}}).encode()
    signature = hmac.new(secret, b"index-sig1\0" + payload, hashlib.sha256).digest()
    old = b"policy-bot-cache-v3 json\n" + signature + payload
    for name in ("index-sig1.json", "tokens-sig1.json"):
        (folders / "cache" / name).write_bytes(old)
    assert cache.load_entries("index-sig1") is None
    cache.store_entries("index-sig2", ENTRIES)
    assert sorted(path.name for path in (folders / "cache").iterdir()) == ["index-sig2.json"]


def test_the_file_name_changes_with_the_tokenizer():
    assert cache_name("a") != cache_name("b") and cache_name("a") == cache_name("a")


def test_an_altered_file_is_ignored(folders):
    cache.store_entries("index-sig1", ENTRIES)
    path = only_file(folders)
    data = path.read_bytes()
    path.write_bytes(data.replace("补贴".encode(), "贷款".encode()))  # still valid JSON, other words
    assert cache.load_entries("index-sig1") is None


def test_a_truncated_or_corrupt_file_is_ignored(folders):
    cache.store_entries("index-sig1", ENTRIES)
    path = only_file(folders)
    data = path.read_bytes()
    for broken in (data[:-5], data[:10], b"", os.urandom(200)):
        path.write_bytes(broken)
        assert cache.load_entries("index-sig1") is None


def test_a_signed_file_of_the_wrong_shape_is_a_miss(folders):
    good = to_json(ENTRIES)
    part = good["parts"][0]
    wrong = [
        [1, 2],
        None,
        {**good, "format": 99},
        {**good, "parts": part},
        {**good, "parts": [{**part, "words": ["技改", 3]}]},
        {**good, "parts": [{**part, "keys": ["k1"]}]},  # a shape for two entries
        {**good, "parts": [{**part, "strings": part["strings"][:-1]}]},  # a string missing
        {**good, "parts": [{**part, "ids": _packed([0, 1, 0, 99])}]},  # a word that is not in the list
        {**good, "parts": [{**part, "ids": [0, 1, 0, 1]}]},  # positions not packed
        {**good, "parts": [{**part, "ids": "AAAA!"}]},  # not base64
        {**good, "parts": [{**part, "ids": "AAA="}]},  # not whole int32s
        {**good, "parts": [{**part, "ids": _packed([0, 1, 0, -1])}]},  # a negative position
        {**good, "parts": [{**part, "tf": _packed([1])}]},  # counts for fewer terms than listed
        {**good, "parts": [{**part, "tf": _packed([1, 0])}]},  # a term counted zero times
        {**good, "parts": [{**part, "shape": _packed([1, 2, 2, 0, 0, -1])}]},  # a negative size
        {**good, "parts": [{**part, "shape": _packed([2, 2, 2, 0, 0, 0])}]},  # two phrasings, strings for one
    ]
    assert cache.load_entries("index-sig1") is None
    for value in wrong:
        cache.store("index-sig1", value)
        assert cache.load_entries("index-sig1") is None


def test_a_file_signed_for_another_name_is_refused(folders):
    cache.store_entries("index-sig1", ENTRIES)
    only_file(folders).rename(folders / "cache" / "index-sig2.json")
    assert cache.load_entries("index-sig2") is None


def test_names_cannot_leave_the_cache_folder(folders):
    with pytest.raises(ValueError):
        cache.load("../config/key")


def test_a_key_others_can_read_or_write_disables_the_cache(folders):
    cache.store_entries("index-sig1", ENTRIES)
    os.chmod(folders / "config" / "key", 0o664)
    assert cache.load_entries("index-sig1") is None


def test_a_key_inside_the_cache_folder_disables_the_cache(folders, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_KEY_FILE", str(folders / "cache" / "key"))
    cache.store_entries("index-sig1", ENTRIES)
    assert cache.load_entries("index-sig1") is None
    assert not (folders / "cache" / "key").exists()


def test_the_bot_runs_no_planted_pickle(folders):
    """End to end: old-format pickles (one signed with the real key) and a pickle under the new name sit
    in the cache folder; `python -m bot ask` answers correctly and none of them runs."""
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT
    from tests.support.kb import shipped_answerer

    cache.store("index-x", {})  # creates the key
    marker, payload = plant_old_caches(folders)
    name = cache_name(shipped_answerer().index.tokenizer.signature)  # the file the bot reads for the shipped KB
    (folders / "cache" / f"{name}.json").write_bytes(cache._MAGIC + b"\0" * cache._SIGNATURE_BYTES + payload)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "天津技术改造再贷款利率是多少"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ},
        timeout=300,
        check=True,
    )
    assert json.loads(done.stdout)["matched"] is True
    assert not marker.exists()


@pytest.mark.parametrize("texts", [["技改补贴多少", "", "补贴 比例"], [""], ["一\x1f二"]])
def test_packed_texts_come_back_one_by_one(texts):
    assert unpack(pack(texts)) == [text.replace("\x1f", " ") for text in texts]


def test_a_part_whose_packed_phrasings_disagree_with_its_shape_is_refused(folders):
    good = to_json({"k1": Derived("甲\x1f乙", "甲", (), "", "", (), ())})  # two phrasings, words for one
    cache.store("index-sig1", good)
    assert cache.load_entries("index-sig1") is None

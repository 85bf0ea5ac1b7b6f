"""The answerer cache: signed, so a file planted in the cache folder is never unpickled."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from bot.match import cache


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


def test_a_stored_value_comes_back(folders):
    cache.store("k1", {"answer": 42})
    assert cache.load("k1") == {"answer": 42}
    assert (folders / "config" / "key").stat().st_mode & 0o077 == 0


def test_a_planted_pickle_is_never_unpickled(folders):
    cache.store("k1", "genuine")
    marker = folders / "code-ran"
    planted = pickle.dumps(Planted(marker))
    for path in (folders / "cache").iterdir():  # overwrite the payload, keep the header
        data = path.read_bytes()
        path.write_bytes(data[: len(cache._MAGIC) + cache._SIGNATURE_BYTES] + planted)
    (folders / "cache" / "answerer-k2.pickle").write_bytes(planted)  # the old, unsigned name
    (folders / "cache" / "answerer-k3.signed").write_bytes(planted)  # no header at all
    assert cache.load("k1") is None
    assert cache.load("k2") is None
    assert cache.load("k3") is None
    assert not marker.exists()


def test_a_file_signed_for_another_key_is_refused(folders):
    cache.store("k1", "for k1")
    (folders / "cache" / "answerer-k1.signed").rename(folders / "cache" / "answerer-k2.signed")
    assert cache.load("k2") is None


def test_a_key_others_can_read_or_write_disables_the_cache(folders):
    cache.store("k1", "value")
    os.chmod(folders / "config" / "key", 0o664)
    assert cache.load("k1") is None


def test_a_key_inside_the_cache_folder_disables_the_cache(folders, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_KEY_FILE", str(folders / "cache" / "key"))
    cache.store("k1", "value")
    assert cache.load("k1") is None
    assert not (folders / "cache" / "key").exists()

"""Derived data kept in the user's cache: computed once, re-derived when damaged or unwritable."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.usercache import cache_root, derived


def test_derived_once_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARSHIF_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def make() -> dict[str, float]:
        calls.append(1)
        return {"كتاب": 1e-5}

    assert derived("lexicon", "v1", make) == {"كتاب": 1e-5}
    assert derived("lexicon", "v1", make) == {"كتاب": 1e-5}
    assert len(calls) == 1
    derived("lexicon", "v2", make)  # other inputs: derived again, beside the first
    assert len(calls) == 2 and len(list(tmp_path.glob("lexicon-*.pickle"))) == 2


def test_a_damaged_cache_is_derived_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARSHIF_CACHE_DIR", str(tmp_path))
    derived("table", "v1", lambda: [1, 2])
    (file,) = tmp_path.glob("table-*.pickle")
    file.write_bytes(b"not a pickle")
    assert derived("table", "v1", lambda: [3]) == [3]
    assert derived("table", "v1", lambda: [4]) == [3]  # the repaired file is used


def test_an_unwritable_cache_still_gives_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ARSHIF_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file
    assert derived("table", "v1", lambda: "value") == "value"


def test_cache_root_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARSHIF_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "arshif"

"""Fixture sites: write a small site from {path: text} into tmp_path, build it, read its output."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildReport, build
from generator.config import load_config

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_37b764dca38cb101.txt"

# Headless Chromium on a machine with no network beyond loopback: without the background
# networking flags it keeps trying (and failing) to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]



def pytest_configure(config: pytest.Config) -> None:
    """Derived data (the word lexicon) goes to a folder of this run, not the user's own cache."""
    if "ARSHIF_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="arshif-test-cache-")
        os.environ["ARSHIF_CACHE_DIR"] = folder  # subprocesses (arshif serve) inherit it
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the shared corpus is not at {CORPUS} (it is never copied into the repository)",
)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def article_md(
    title: str, date: str | None = "2020-01-02", body: str = "نص المقال.", **fields: object
) -> str:
    """A hand-written content file with the given front matter."""
    import yaml

    data: dict[str, object] = {"title": title, "date": date, **fields}
    return (
        "---\n"
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        + "---\n\n"
        + body
        + "\n"
    )


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., tuple[Path, BuildReport]]:
    """Build a fixture site from files; returns (root, report)."""

    def make(files: dict[str, str | bytes], **options: object) -> tuple[Path, BuildReport]:
        root = write_files(tmp_path / "site-root", files)
        return root, build(load_config(root), **options)  # type: ignore[arg-type]

    return make


def read(root: Path, rel: str) -> str:
    """Text of an output file under site/."""
    return (root / "site" / rel).read_text(encoding="utf-8")

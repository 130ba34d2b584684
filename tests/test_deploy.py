"""`arshif deploy`: the built site becomes the gh-pages branch of a (local, bare) remote."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import article_md, write_files

from generator.cli import main
from generator.deploy import check_cname
from generator.errors import ArshifError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(*args: str, cwd: Path) -> str:
    """Run git and return its output."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An archive folder that is a git repository whose origin is a local bare repository."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    root = write_files(
        tmp_path / "archive",
        {
            "content/a.md": article_md("خبر للنشر", "2021-01-01", "نص الخبر والكتاب."),
            "arshif.yml": "base_url: https://user.github.io/archive/\ncname: news.example.org\n",
        },
    )
    git("init", "-q", cwd=root)
    git("remote", "add", "origin", str(remote), cwd=root)
    return root, remote


def test_deploy_publishes_site_to_gh_pages(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    assert main(["build", "--site", str(root)]) == 0
    assert main(["deploy", "--site", str(root)]) == 0
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split("\n"))
    assert {
        ".nojekyll",
        "CNAME",
        "index.html",
        "articles/a/index.html",
        "static/style.css",
    } <= files
    assert "pagefind/pagefind.js" in files and "search/index.html" in files
    assert git("show", "gh-pages:CNAME", cwd=remote).strip() == "news.example.org"
    # A second deploy adds a commit on top (history is kept).
    assert main(["deploy", "--site", str(root)]) == 0
    assert len(git("log", "--oneline", "gh-pages", cwd=remote).splitlines()) == 2


def test_deploy_without_a_build_or_a_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path / "x", {"content/a.md": article_md("خبر", "2021-01-01")})
    assert main(["deploy", "--site", str(root)]) == 1
    assert "run `arshif build` first" in capsys.readouterr().err
    env_before = dict(os.environ)
    assert main(["build", "--site", str(root)]) == 0
    if subprocess.run(["git", "-C", str(root), "rev-parse"], capture_output=True).returncode != 0:
        assert main(["deploy", "--site", str(root)]) == 1
        assert "not inside a git repository" in capsys.readouterr().err
    assert dict(os.environ) == env_before


def test_cname_must_be_a_host() -> None:
    assert check_cname(" news.example.org ") == "news.example.org"
    for bad in ("https://news.example.org", "news.example.org/x", "localhost", "a b.org"):
        with pytest.raises(ArshifError, match="is not a host name"):
            check_cname(bad)

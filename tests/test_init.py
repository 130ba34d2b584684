"""`arshif init DIR`: settings, an empty seeds/ and a workflow that builds and publishes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build import build
from generator.cli import main
from generator.config import load_config


def test_init_creates_a_site_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new-archive"
    assert (
        main(
            [
                "init",
                str(target),
                "--title",
                'أرشيف "تجريبي"',
                "--base-url",
                "https://user.github.io/archive/",
            ]
        )
        == 0
    )
    assert "created" in capsys.readouterr().out
    config = load_config(target)
    assert config.title == 'أرشيف "تجريبي"' and config.base_path == "/archive/" and config.search
    assert (target / "seeds").is_dir() and [p.name for p in (target / "seeds").iterdir()] == [
        ".gitkeep"
    ]
    workflow = yaml.safe_load(
        (target / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["build"]["steps"]
    assert any(s.get("run") == "arshif build" for s in steps)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert workflow["permissions"]["pages"] == "write"
    assert "/site/" in (target / ".gitignore").read_text(encoding="utf-8")
    report = build(config)
    assert report.articles == 0 and (target / "site" / "index.html").is_file()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path)]) == 0
    assert main(["init", str(tmp_path)]) == 1
    assert "already exists; not overwriting it" in capsys.readouterr().err

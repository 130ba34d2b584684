"""`arshif init DIR`: a new archive folder with settings, seeds/ and a GitHub Pages workflow."""

from __future__ import annotations

from pathlib import Path

from generator.config import CONFIG_NAME, load_config
from generator.errors import ArshifError

_INIT = Path(__file__).resolve().parent / "data" / "init"
DEFAULT_PACKAGE = "arshif"


def _fill(name: str, values: dict[str, str]) -> str:
    """A template from data/init with its @KEY@ placeholders filled in."""
    text = (_INIT / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def _yaml_text(value: str) -> str:
    """A value safe inside the double-quoted YAML scalars of the settings template."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def planned_files(title: str, base_url: str, package: str = DEFAULT_PACKAGE) -> dict[str, str]:
    """{relative path: text} of everything `init` writes."""
    return {
        CONFIG_NAME: _fill(
            "arshif.yml", {"TITLE": _yaml_text(title), "BASE_URL": _yaml_text(base_url)}
        ),
        "seeds/.gitkeep": "",
        ".gitignore": _fill("gitignore", {}),
        ".github/workflows/publish.yml": _fill("publish.yml", {"ARSHIF_PACKAGE": package}),
    }


def init_site(
    target: Path,
    *,
    title: str = "أرشيف الأخبار",
    base_url: str = "/",
    package: str = DEFAULT_PACKAGE,
) -> list[Path]:
    """Create a new archive in target (new or empty of arshif files); returns the files written."""
    if (target / CONFIG_NAME).exists():
        raise ArshifError(f"init: {target / CONFIG_NAME} already exists; not overwriting it")
    files = planned_files(title, base_url, package)
    clashes = [rel for rel in files if (target / rel).exists() and rel != ".gitignore"]
    if clashes:
        raise ArshifError(f"init: {target / clashes[0]} already exists; not overwriting it")
    written: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        if path.exists():  # keep a project's own .gitignore
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    load_config(target)  # the settings we wrote must load (a bad title or URL fails here)
    return written

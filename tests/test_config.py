"""Site config: defaults, and mistakes named with what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import SourceError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.language, config.direction, config.base_path, config.page_size) == (
        "ar",
        "rtl",
        "/",
        20,
    )


def test_values_are_read(tmp_path: Path) -> None:
    (tmp_path / "arshif.yml").write_text(
        "title: أرشيفي\nbase_url: https://user.github.io/archive\ncalendar: both\n"
        "digits: arabic-indic\npage_size: 5\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.base_path == "/archive/" and config.site_origin == "https://user.github.io"
    assert (config.calendar, config.digits, config.page_size) == ("both", "arabic-indic", 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("titel: x\n", ":1: unknown setting 'titel'; allowed settings: "),
        (
            "title: x\ncalendar: julian\n",
            ":2: calendar: 'julian' is not allowed; expected one of gregorian, hijri, both",
        ),
        (
            "digits: roman\n",
            ":1: digits: 'roman' is not allowed; expected one of western, arabic-indic",
        ),
        ("page_size: 0\n", ":1: page_size: 0 is not allowed; expected a positive whole number"),
        ("page_size: many\n", ":1: page_size: 'many' is not allowed"),
        ("title: [x\n", ":2:1: invalid YAML"),
        ("- a\n", ":1: expected a mapping of settings"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "arshif.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_config(tmp_path)
    assert message in str(err.value) and "arshif.yml" in str(err.value)


def test_grouping_settings_are_nested_and_checked(tmp_path: Path) -> None:
    (tmp_path / "arshif.yml").write_text(
        "grouping:\n  related_older_only: true\n  banned_tags: [عاجل]\n"
        "  tag_aliases: {قرة باغ: قره باغ}\n",
        encoding="utf-8",
    )
    grouping = load_config(tmp_path).grouping
    assert grouping.related_older_only and grouping.banned_tags == ("عاجل",)
    bad = "title: x\ngrouping:\n  wieght_tags: 2\n"
    (tmp_path / "arshif.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(SourceError, match=r"arshif.yml:2: grouping.wieght_tags: unknown key"):
        load_config(tmp_path)

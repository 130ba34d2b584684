"""YAML front matter that round-trips: dump → load gives back the same values.

PyYAML's safe dumper already quotes any string a reader could misread (`: `, ` #`, a
leading `-`, yes/no/null, numbers, timestamps); we add readable Arabic (no \\u escapes),
block style, no line folding, and field order as given.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import yaml

from generator.errors import SourceError

# libyaml's safe loader when present: same results, several times faster on big archives.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FENCE = "---"
IMPORT_HASH_KEY = "import_hash"
_IMPORT_HASH_LINE = re.compile(rf"^{IMPORT_HASH_KEY}: .*\n", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never emit indentless sequences."""
        super().increase_indent(flow, False)


# Characters YAML reads as line breaks or cannot print: only double quotes keep them intact.
_UNPRINTABLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\r\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
_NEEDS_ESCAPES = re.compile(f"[{_UNPRINTABLE}]")


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line strings as literal blocks; the rest as PyYAML decides (quoting when needed)."""
    if _NEEDS_ESCAPES.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(fields: dict[str, Any]) -> str:
    """Front-matter YAML for the fields, in order, Arabic as text."""
    if not fields:
        return ""
    return yaml.dump(
        fields,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=False,
    )


def dump(fields: dict[str, Any], body: str) -> str:
    """A whole Markdown file: fenced front matter, a blank line, the body, a final newline."""
    body = body.strip("\n")
    return (
        f"{FENCE}\n{dump_yaml(fields)}{FENCE}\n\n{body}\n"
        if body
        else f"{FENCE}\n{dump_yaml(fields)}{FENCE}\n"
    )


def stamp(text: str) -> str:
    """Add the import hash to a freshly dumped file, so a later hand edit can be detected."""
    head, sep, rest = text.partition(f"\n{FENCE}\n")
    return f"{head}\n{IMPORT_HASH_KEY}: {content_hash(text)}{sep}{rest}"


def content_hash(text: str) -> str:
    """Hash of a file's text without its import_hash line."""
    return hashlib.sha256(_IMPORT_HASH_LINE.sub("", text).encode("utf-8")).hexdigest()[:16]


def is_hand_edited(text: str) -> bool:
    """True when a file's text no longer matches the hash import stamped into it (or has none)."""
    found = re.search(rf"^{IMPORT_HASH_KEY}: ([0-9a-f]+)$", text, re.MULTILINE)
    return found is None or found.group(1) != content_hash(text)


def split(text: str, path: str) -> tuple[str, str, int]:
    """(yaml text, body, line number where the YAML starts) of a Markdown file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    if not text.startswith(FENCE + "\n"):
        raise SourceError(path, "missing front matter: the file must start with a '---' line", 1, 1)
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end == -1:
        end_at_eof = text.endswith(f"\n{FENCE}")
        if not end_at_eof:
            line = text.count("\n") + 1
            raise SourceError(path, "front matter is not closed by a '---' line", line, 1)
        end = len(text) - len(FENCE) - 1
    yaml_text = text[len(FENCE) + 1 : end + 1]
    body = text[end + len(FENCE) + 2 :]
    return yaml_text, body.strip("\n"), 2


# --- a fast reader for the plainest front matter --------------------------------------------
# Most front matter is `key: text` lines and lists of `- text` items. Reading those directly
# gives exactly what PyYAML gives and is several times faster (libyaml still builds every
# Python object through PyYAML's constructors). Anything else — or anything this reader is
# not sure of — goes to PyYAML, which also reports the errors.

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# PyYAML's own rules for plain scalars that are not text (numbers, dates, booleans, null…),
# by first character: what one of them matches is left to PyYAML.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]*")
# Characters that cannot start a plain scalar (YAML indicators, space); '-', '?' and ':'
# could, before a non-space, but are left to PyYAML.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# Tabs, line breaks and what YAML would escape or reject.
_CONTROL = f"[\t\n{_UNPRINTABLE}]"
_QUOTED_UNSAFE = re.compile(_CONTROL)
# ... and, in a plain scalar, a comment or a mapping value, which would end it.
_PLAIN_UNSAFE = re.compile(_CONTROL + r"|:(?: |$)| #")


class _NotPlain(Exception):
    """This front matter needs PyYAML."""


def _is_text(raw: str) -> bool:
    """Whether PyYAML reads this (non-empty) plain scalar as a string."""
    resolvers = _RESOLVERS.get(raw[0])
    return not resolvers or not any(rx.match(raw) for _, rx in resolvers)


def _quoted(raw: str, quote: str) -> str:
    """The text of a one-line quoted scalar with nothing to unescape, or _NotPlain."""
    inner = raw[1:-1]
    if len(raw) < 2 or raw[-1] != quote or _QUOTED_UNSAFE.search(raw):
        raise _NotPlain
    if quote == "'" and "'" not in inner.replace("''", ""):
        return inner.replace("''", "'")
    if quote == '"' and '"' not in inner and "\\" not in inner:
        return inner
    raise _NotPlain


def _scalar(raw: str) -> object:
    """The value PyYAML reads from one line's scalar, or _NotPlain when unsure."""
    if not raw:
        raise _NotPlain
    first = raw[0]
    if first == "'" or first == '"':
        return _quoted(raw, first)
    if first in _INDICATORS or raw[-1] == " " or _PLAIN_UNSAFE.search(raw):
        raise _NotPlain
    if first.isdigit() and _WHOLE_NUMBER.fullmatch(raw):
        return int(raw)
    if not _is_text(raw):
        raise _NotPlain
    return raw


def _plain_mapping(yaml_text: str) -> dict[str, Any]:
    """The mapping of front matter made only of `key: scalar` lines and `- scalar` lists."""
    data: dict[str, Any] = {}
    items: list[object] | None = None  # the list being read
    indent: str | None = None  # its items' indentation, once seen
    lines = yaml_text.split("\n")
    for line in lines[:-1] if yaml_text.endswith("\n") else lines:
        item = line.lstrip(" ")
        if items is not None and item.startswith("- "):
            lead = line[: len(line) - len(item)]
            if indent is None:
                indent = lead
            if lead != indent:
                raise _NotPlain
            items.append(_scalar(item[2:]))
            continue
        if items is not None and not items:
            raise _NotPlain  # `key:` with nothing under it (null) or something nested
        key, sep, rest = line.partition(":")
        if not sep or not _KEY.fullmatch(key) or not _is_text(key) or key in data:
            raise _NotPlain
        if rest == "":
            items = data[key] = []
            indent = None
        elif rest.startswith(" "):
            items = None
            data[key] = _scalar(rest[1:])
        else:
            raise _NotPlain
    if items is not None and not items:
        raise _NotPlain
    return data


def parse(text: str, path: str) -> tuple[dict[str, Any], str]:
    """(front-matter mapping, Markdown body); errors name the file, line and column."""
    yaml_text, body, offset = split(text, path)
    try:
        return _plain_mapping(yaml_text), body
    except _NotPlain:
        pass
    try:
        data = yaml.load(yaml_text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(path, f"invalid front matter: {problem}", line, col) from exc
    except yaml.YAMLError as exc:
        raise SourceError(path, f"invalid front matter: {exc}", offset) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(path, "front matter must be a mapping of fields", offset, 1)
    return data, body


def key_positions(text: str) -> dict[str, tuple[int, int]]:
    """(line, col) of each top-level front-matter key, for validation messages."""
    yaml_text, _, offset = split(text, "")
    positions: dict[str, tuple[int, int]] = {}
    node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            mark = value_node.start_mark
            positions[str(key_node.value)] = (mark.line + offset, mark.column + 1)
    return positions

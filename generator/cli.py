"""The verbs: import, build, serve. Maps ArshifError to one line and exit code 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import load_config
from generator.errors import ArshifError


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="arshif", description="Arabic news archive generator")
    parser.add_argument("--version", action="version", version=f"arshif {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import raw articles (files or folders) into content/")
    imp.add_argument("paths", nargs="+", type=Path)
    bld = sub.add_parser("build", help="import seeds/ and render the site into site/")
    bld.add_argument(
        "--no-import", action="store_true", help="render content/ only, without importing seeds/"
    )
    bld.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning or skipped file, leaving site/ untouched",
    )
    srv = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8000)
    for p in (imp, bld, srv):
        p.add_argument(
            "--site", type=Path, default=Path("."), help="the site folder (default: current folder)"
        )
    return parser


def _import(args: argparse.Namespace) -> int:
    """`arshif import PATH…`."""
    from generator.importer import import_paths

    config = load_config(args.site)
    report = import_paths(config, [p.resolve() for p in args.paths])
    print(report.line())
    for line in report.log.summary():
        print(line, file=sys.stderr)
    return 0


def _build(args: argparse.Namespace) -> int:
    """`arshif build`."""
    from generator.build import build

    report = build(load_config(args.site), import_seeds=not args.no_import, strict=args.strict)
    for line in report.lines():
        print(line)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """`arshif serve`."""
    from generator.serve import serve

    return serve(load_config(args.site), host=args.host, port=args.port)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `arshif` console script."""
    args = _parser().parse_args(argv)
    handlers = {"import": _import, "build": _build, "serve": _serve}
    try:
        return handlers[args.command](args)
    except ArshifError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

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
    bld.add_argument(
        "--executor",
        default="processes",
        help="where pages are rendered: processes (all local cores, default), serial, "
        "or dask://HOST:PORT (a Dask scheduler; needs arshif[dask])",
    )
    srv = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument(
        "--search", action="store_true", help="also rebuild the Pagefind index on each change"
    )
    dep = sub.add_parser("deploy", help="publish site/ to the gh-pages branch of a git remote")
    dep.add_argument("--remote", help="git remote (default: deploy_remote, 'origin')")
    dep.add_argument("--branch", help="branch (default: deploy_branch, 'gh-pages')")
    dep.add_argument("--no-push", action="store_true", help="commit the branch locally only")
    ini = sub.add_parser("init", help="create a new archive folder with a GitHub Pages workflow")
    ini.add_argument("dir", type=Path)
    ini.add_argument("--title", default="أرشيف الأخبار")
    ini.add_argument("--base-url", default="/", help="e.g. https://USER.github.io/REPOSITORY/")
    for p in (imp, bld, srv, dep):
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


def _deploy(args: argparse.Namespace) -> int:
    """`arshif deploy`."""
    from generator.deploy import deploy

    config = load_config(args.site)
    print(deploy(config, remote=args.remote, branch=args.branch, push=not args.no_push))
    return 0


def _init(args: argparse.Namespace) -> int:
    """`arshif init DIR`."""
    from generator.scaffold import init_site

    for path in init_site(args.dir, title=args.title, base_url=args.base_url):
        print(f"created {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    """`arshif build`."""
    from generator.build import build

    report = build(
        load_config(args.site),
        import_seeds=not args.no_import,
        strict=args.strict,
        executor=args.executor,
    )
    for line in report.lines():
        print(line)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """`arshif serve`."""
    from generator.serve import serve

    return serve(load_config(args.site), host=args.host, port=args.port, search=args.search)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `arshif` console script."""
    args = _parser().parse_args(argv)
    handlers = {
        "import": _import,
        "build": _build,
        "serve": _serve,
        "deploy": _deploy,
        "init": _init,
    }
    try:
        return handlers[args.command](args)
    except ArshifError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

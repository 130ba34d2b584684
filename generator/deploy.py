"""`arshif deploy`: publish site/ to a branch (gh-pages) of a git remote with ghp-import."""

from __future__ import annotations

import contextlib
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import ArshifError

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)


def check_cname(cname: str) -> str:
    """A bare host name for GitHub Pages' CNAME file (no scheme, path or port)."""
    host = cname.strip()
    if not _HOSTNAME.match(host):
        raise ArshifError(f"cname: {cname!r} is not a host name (write it as news.example.org)")
    return host


def _git_root(folder: Path) -> Path:
    """The top of the git work tree holding folder."""
    done = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ArshifError(f"deploy: {folder} is not inside a git repository (run `git init` there)")
    return Path(done.stdout.strip())


def deploy(
    config: SiteConfig,
    *,
    remote: str | None = None,
    branch: str | None = None,
    push: bool = True,
    message: str | None = None,
) -> str:
    """Commit site/ as the whole tree of `branch` (with .nojekyll and CNAME), and push it."""
    from ghp_import import GhpError, ghp_import

    site = config.path("output")
    if not (site / "index.html").is_file():
        raise ArshifError(f"deploy: {site} holds no built site; run `arshif build` first")
    remote = remote or config.deploy_remote
    branch = branch or config.deploy_branch
    cname = check_cname(config.cname) if config.cname else None
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    options = {
        "mesg": message or f"arshif: publish site ({stamp})",
        "remote": remote,
        "branch": branch,
        "push": push,
        "nojekyll": True,  # Jekyll would hide folders starting with '_' and slow publishing
        "cname": cname,
    }
    # ghp-import works on the repository of the current folder.
    with contextlib.chdir(_git_root(config.root)):
        try:
            ghp_import(str(site), **options)
        except GhpError as exc:
            raise ArshifError(f"deploy: {exc.message}") from exc
        except subprocess.CalledProcessError as exc:
            raise ArshifError(f"deploy: git failed ({exc}); is remote {remote!r} set?") from exc
    return f"deploy: published {site} to branch {branch!r}" + (f" of {remote!r}" if push else "")

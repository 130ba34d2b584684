"""Screenshot pages of a built site in headless Chromium, at desktop and phone widths.

Run: python benchmarks/screenshot.py SITE_DIR OUT_DIR PAGE_PATH…  (e.g. tags/<slug>/)
Serves SITE_DIR on 127.0.0.1 with the standard library, prints each page's scroll width (a
phone-width page wider than 375 px overflows) and writes OUT_DIR/<n>-desk.png, <n>-phone.png.
Set FULL=1 for full-page shots. Needs Debian's chromium and the playwright package.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(site: Path, out: Path, paths: list[str]) -> None:
    """Serve the site, open each page at two widths, save the shots."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for n, path in enumerate(paths):
                for width, tag in ((1200, "desk"), (375, "phone")):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
                    page.screenshot(
                        path=str(out / f"{n}-{tag}.png"), full_page=bool(os.environ.get("FULL"))
                    )
                    print(
                        path,
                        tag,
                        "scrollWidth",
                        page.evaluate("document.documentElement.scrollWidth"),
                    )
                    page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])

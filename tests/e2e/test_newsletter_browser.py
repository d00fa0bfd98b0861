"""The newsletter in a real browser: headless Chromium renders the HTML export of
sample_feeds at 1200 and 390 pixels wide, its images served from a loopback server.

A harness page (same origin) loads the newsletter in two iframes side by side, one of
each width, scrolls through them so that every lazy image is asked for, waits for the
images, measures with JavaScript whether any element overflows its viewport's width and
whether every image loaded, and writes the result into its DOM. One Chromium run prints
that DOM (`--dump-dom`) and takes the screenshot of both widths side by side
(tests/artifacts/newsletter-1200-390.png, git-ignored).
Skipped, saying why, where no Chromium is installed (.ci/run installs Debian's).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, run_cli

ARTIFACTS = REPO / "tests" / "artifacts"
WIDTHS = (1200, 390)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    named = os.environ.get("NEWSCLI_CHROMIUM")
    if named:
        return named
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


pytestmark = pytest.mark.skipif(
    browser() is None,
    reason="no Chromium found (install Debian's `chromium` package, as .ci/run does, or "
    "set NEWSCLI_CHROMIUM to a Chromium binary): the browser test needs a real browser",
)


def png(width: int, height: int) -> bytes:
    """A plain PNG of that size (one colour), made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    row = b"\x00" + b"\x4a\x7a\xb8" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(row * height, 9)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness</title></head>
<body style="margin:0;white-space:nowrap">
<pre id="result">pending</pre>
<script>
const widths = %(widths)s;
const frames = widths.map((w) => {
  const f = document.createElement("iframe");
  f.style.cssText = "border:0;display:inline-block;vertical-align:top;margin-right:20px;"
      + "height:12000px;width:" + w + "px";
  f.src = "newsletter.html";
  document.body.insertBefore(f, document.getElementById("result"));
  return f;
});
function measure(f, w) {
  const doc = f.contentDocument, view = doc.documentElement.clientWidth;
  const over = [];
  for (const el of doc.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > view + 0.5 || r.left < -0.5)) {
      const where = Math.round(r.left) + ".." + Math.round(r.right);
      over.push(el.tagName + "." + el.className + " " + where);
    }
  }
  const images = Array.from(doc.images);
  return {width: w, viewport: view, scrollWidth: doc.documentElement.scrollWidth,
          overflowing: over, images: images.length,
          notLoaded: images.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src)};
}
let tries = 0;
function check() {
  tries += 1;
  const ready = frames.every((f) => f.contentDocument && f.contentDocument.readyState === "complete"
      && Array.from(f.contentDocument.images).every((i) => i.complete));
  window.scrollTo(0, (tries %% 12) * 1000);  // every lazy image comes near the viewport
  if ((ready && tries > 12) || tries > 150) {
    window.scrollTo(0, 0);
    document.getElementById("result").textContent =
        JSON.stringify(frames.map((f, i) => measure(f, widths[i])));
  } else {
    setTimeout(check, 100);
  }
}
window.addEventListener("load", () => setTimeout(check, 50));
</script></body></html>
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        """/img/ANY -> the one test image; anything else from the served folder."""
        clean = path.split("?", 1)[0]
        if "/img/" in clean:
            return str(Path(self.directory) / "picture.png")
        return super().translate_path(path)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    served = tmp_path / "site"
    served.mkdir()
    (served / "picture.png").write_bytes(png(800, 450))
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: Quiet(*a, directory=str(served)),  # type: ignore[misc]
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [str(browser()), "--headless", "--no-sandbox", "--disable-gpu",
               "--hide-scrollbars", "--no-first-run", "--disable-extensions",
               f"--user-data-dir={profile}", *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
def test_newsletter_fits_both_widths_and_every_image_loads(
    site: tuple[str, Path], tmp_path: Path
) -> None:
    origin, served = site
    feeds = tmp_path / "feeds"
    shutil.copytree(SAMPLES, feeds)
    for path in feeds.rglob("*.md"):  # images from the loopback server
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"https://(cdn\.[\w.-]+)/img/", rf"{origin}/\1/img/", text))
    out = served / "newsletter.html"
    result = run_cli("export", str(feeds), "--format", "html", "--feed-title", "Sample picks",
                     "--now", "2025-03-20T00:00:00Z", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count(f'src="{origin}/') >= 10  # the images are the loopback server's
    (served / "harness.html").write_text(HARNESS % {"widths": json.dumps(WIDTHS)})

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "newsletter-1200-390.png"
    shot.unlink(missing_ok=True)
    run = chromium(
        *("--virtual-time-budget=30000", f"--window-size={sum(WIDTHS) + 40},2400"),
        *(f"--screenshot={shot}", "--dump-dom", f"{origin}/harness.html"),
        profile=tmp_path / "profile",
    )
    found = re.search(r'<pre id="result">(.*?)</pre>', run.stdout, re.S)
    assert found, (run.returncode, run.stderr[-2000:])
    assert found.group(1) != "pending", "the harness never finished"
    measures = json.loads(html.unescape(found.group(1)))
    assert [m["width"] for m in measures] == list(WIDTHS)
    for m in measures:
        assert m["viewport"] == m["width"], m
        assert m["images"] == page.count("<img "), m
        assert m["notLoaded"] == [], m
        assert m["overflowing"] == [], m
        assert m["scrollWidth"] <= m["viewport"], m
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", run.stderr

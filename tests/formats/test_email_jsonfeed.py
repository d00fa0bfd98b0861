"""export --format email and --format jsonfeed, and the options every format takes."""

from __future__ import annotations

import email
import email.policy
import json
import os
from pathlib import Path

from conftest import SAMPLES
from pytest import MonkeyPatch
from typer.testing import CliRunner

from newscli.cli import app

NOW = "2025-03-20T00:00:00Z"
JSONFEED_REQUIRED = {"version", "title", "items"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["export", str(SAMPLES), "--now", NOW, *args])
    return result.exit_code, result.stdout, result.stderr


def test_email_parses_back_into_a_text_and_an_html_part() -> None:
    code, out, err = invoke(
        *("--format", "email", "--to", "Ann <ann@example.org>, bob@example.org"),
        *("--from", "Désirée News <news@example.org>", "--feed-title", "Today — ünïcode"),
    )
    assert code == 0, err
    assert out.isascii()  # 7-bit clean: any sendmail takes it
    message = email.message_from_bytes(out.encode(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Today — ünïcode"
    assert message["From"] == "Désirée News <news@example.org>"
    assert message["To"] == "Ann <ann@example.org>, bob@example.org"
    assert message["Date"] == "Thu, 20 Mar 2025 00:00:00 +0000"
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@example.org>")
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    text, html = (p.get_content() for p in parts)
    assert text.startswith("Today — ünïcode\n") and "Also covered by Harbor Ledger" in text
    assert html.startswith("<!DOCTYPE html>") and "<title>Today — ünïcode</title>" in html
    assert invoke(*("--format", "email", "--to", "Ann <ann@example.org>, bob@example.org"),
                  *("--from", "Désirée News <news@example.org>", "--feed-title",
                    "Today — ünïcode"))[1] == out  # fmt: skip


def test_email_needs_a_valid_to_and_refuses_header_injection() -> None:
    code, out, err = invoke("--format", "email")
    assert (code, out) == (2, "") and "--format email needs --to ADDRESS" in err
    for bad in ("a@b.example\nBcc: victim@c.example", "not-an-address", "a@b.example\r"):
        code, out, err = invoke("--format", "email", "--to", bad)
        assert (code, out) == (2, ""), bad
        assert err.startswith("newscli: error: --to: ") and err.count("\n") == 1
    code, out, err = invoke("--format", "email", "--to", "a@b.example", "--from", "x\ny@z.c")
    assert code == 2 and err.startswith("newscli: error: --from: ")


def test_jsonfeed_has_the_required_fields_of_version_1_1() -> None:
    code, out, err = invoke("--format", "jsonfeed", "--feed-link", "https://news.example/")
    assert code == 0, err
    feed = json.loads(out)
    assert set(feed) >= JSONFEED_REQUIRED
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["home_page_url"] == "https://news.example/"
    assert "feed_url" not in feed  # only with --feed-url
    assert feed["items"]
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_text") or item.get("content_html"), str)
        for key in ("date_published", "date_modified"):
            assert key not in item or item[key].endswith("Z")
        assert all(set(a) <= {"name", "url", "avatar"} for a in item.get("authors", []))
    code, _, err = invoke("--format", "jsonfeed", "--feed-url", "ftp://x.example/f.json")
    assert code == 2 and "--feed-url" in err


def test_every_people_format_takes_fields_dedupe_limit_presets_and_o(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    """One preset per format; each run writes with -o, atomically, what it selected."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "newscli.yaml"
    presets = {
        fmt: {
            "format": fmt,
            "dedupe": True,
            "limit": 3,
            "fields": "quality,provider.name",
            "feed-title": "Picks",
            "to": "reader@example.org",
            "from": "news@example.org",
            "group-by": "provider",
            "output": f"out/{fmt}.out",
        }
        for fmt in ("html", "email", "jsonfeed")
    }
    config.write_text(json.dumps({"presets": presets}), encoding="utf-8")  # JSON is YAML
    for fmt in presets:
        result = CliRunner().invoke(app, ["export", str(SAMPLES), "--preset", fmt, "--now", NOW])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        written = (tmp_path / "out" / f"{fmt}.out").read_text(encoding="utf-8")
        if fmt == "jsonfeed":
            items = json.loads(written)["items"]
            assert len(items) == 3
            assert all(set(i["_newscli"]) == {"quality", "provider.name"} for i in items)
            titles = [i["title"] for i in items]
        else:
            if fmt == "email":
                message = email.message_from_string(written, policy=email.policy.default)
                written = list(message.iter_parts())[1].get_content()
            assert written.count("<article>") == 3
            assert written.count("quality: ") == 3 and "provider.name: " in written
            titles = written.split("<h3>")[1:]
        assert len(titles) == 3
    # the deduped story: one article for the chip-rules story, the other outlet named
    html = (tmp_path / "out" / "html.out").read_text(encoding="utf-8")
    assert "AI hardware" not in html and "AI accelerator chips</a></h3>" in html
    assert "Also covered by Northgate Wire, Campus Review" in html
    assert sorted(os.listdir(tmp_path / "out")) == ["email.out", "html.out", "jsonfeed.out"]

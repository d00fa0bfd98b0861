"""Found by a new user's pass: an RFC 2047 encoded word in --feed-title, --to or --from
became a header of its own (Bcc:) in the email, and a --template whose name did not end
in .html escaped nothing in an HTML output. Installed command."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

from conftest import SAMPLES, run_cli, write

INJECTED = "=?utf-8?q?Hello=0D=0ABcc:_victim@evil.example?="


def test_an_encoded_word_never_becomes_a_header(tmp_path: Path) -> None:
    one = str(SAMPLES / "exoplanet-water.md")
    sent = run_cli("export", one, "--format", "email", "--to", "a@example.org",
                   "--feed-title", INJECTED)  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    head = sent.stdout.split("\n\n", 1)[0]
    assert "\nBcc:" not in head and "victim@evil.example" in head  # the text, not a header
    parsed = email.message_from_string(sent.stdout, policy=policy.default)
    assert parsed["Bcc"] is None and "\n" not in str(parsed["Subject"])
    assert [str(a) for a in parsed["To"].addresses] == ["a@example.org"]
    for option in ("--to", "--from"):
        bad = run_cli("export", one, "--format", "email", "--to", "a@example.org",
                      option, f"{INJECTED} <n@example.org>")  # fmt: skip
        assert bad.returncode == 2 and "encoded word" in bad.stderr, bad.stderr
        assert bad.stdout == ""
    local = run_cli("export", one, "--format", "email", "--to", "üser@example.org")
    assert local.returncode == 2 and "must be ASCII" in local.stderr
    control = run_cli("export", one, "--format", "email", "--to", "r@example.org\x01Bcc: x@e.x")
    assert control.returncode == 2 and "control character" in control.stderr


def test_an_html_output_escapes_whatever_the_templates_name(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(feeds / "x.md", '---\ntitle: "<script>alert(1)</script><b>bold</b>"\n---\n')
    template = write(tmp_path / "nl.jinja", "<p>{{ articles[0].title }}</p>\n")
    page = run_cli("export", str(feeds), "--format", "html", "--template", str(template))
    assert page.returncode == 0, page.stderr
    assert page.stdout == "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;</p>\n"
    mail = run_cli("export", str(feeds), "--format", "email", "--to", "a@example.org",
                   "--template", str(template))  # fmt: skip
    assert mail.returncode == 0, mail.stderr
    parsed = email.message_from_string(mail.stdout, policy=policy.default)
    html = parsed.get_body(("html",))
    assert html is not None and "<script>" not in html.get_content()
    assert "&lt;script&gt;" in html.get_content()
    # alone, a template holding tags is markup unless named as text (h113 M3); one
    # named .txt, not beginning with a tag, is text: nothing escaped there
    alone = run_cli("export", str(feeds), "--template", str(template))
    assert alone.returncode == 0 and "&lt;script&gt;" in alone.stdout
    named = write(tmp_path / "nl.txt", "Title: {{ articles[0].title }}, <p> kept\n")
    text = run_cli("export", str(feeds), "--template", str(named))
    assert text.returncode == 0 and "<script>alert(1)</script>" in text.stdout


def test_a_provider_domain_becomes_a_url_only_when_it_is_a_host_name(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    domains = ["good.example@evil.example", "<b>dom</b>", "a b.example", ":443",
               "javascript:alert(1)", "evil.example/../x?y#z", "News.Example",
               "bücher.example"]  # fmt: skip
    for n, domain in enumerate(domains):
        write(feeds / f"a{n}.md", f"---\ntitle: A{n}\nprovider:\n  name: P{n}\n"
              f"  domain: {json.dumps(domain)}\n---\n")  # fmt: skip
    feed = run_cli("export", str(feeds), "--format", "jsonfeed")
    assert feed.returncode == 0, feed.stderr
    urls = {i["title"]: i["authors"][0].get("url") for i in json.loads(feed.stdout)["items"]}
    good = {"A6": "https://news.example/", "A7": "https://xn--bcher-kva.example/"}
    assert urls == {f"A{n}": None for n in range(6)} | good
    atom = run_cli("export", str(feeds), "--format", "atom", "--feed-link", "https://x.example/")
    assert atom.returncode == 0, atom.stderr
    assert sorted(re.findall(r"<uri>([^<]*)</uri>", atom.stdout)) == sorted(good.values())


def test_a_topic_heading_carries_no_control_character(tmp_path: Path) -> None:
    """(New-user pass: a topic "AI\\x1b[2J" reached the HTML heading and the email's
    text part raw when grouped by topic.)"""
    write(
        tmp_path / "feeds" / "a.md",
        '---\ntitle: "Chips"\npublishedDateTime: 2025-03-01T00:00:00Z\n'
        'topics: ["AI\\e[2J"]\nurl: https://example.com/a\n---\n',
    )
    for fmt in ("html", "email"):
        args = ["--to", "a@example.com", "--from", "b@example.com"] if fmt == "email" else []
        result = run_cli("export", "feeds", "-f", fmt, *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        text = result.stdout
        if fmt == "email":
            message = email.message_from_string(text, policy=policy.default)
            text = "".join(
                str(part.get_content()) for part in message.walk() if not part.is_multipart()
            )
        assert "\x1b" not in text and "=1B" not in result.stdout, fmt
        assert "AI" in text

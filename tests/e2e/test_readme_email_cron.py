"""The README's daily email digest, run as written (paths swapped for a temp folder, the
newscli path for the installed command, sendmail for a stand-in that keeps what it is
given): one message, parsed back, holding the last day's stories once each."""

import email
import email.policy
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import REPO, installed_command, write


def cron_line() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- cron-email -->\n```cron\n(.*?)\n```", text, re.S)
    assert found
    return found.group(1)


def _run_cron(tmp_path: Path, sendmail: Path) -> subprocess.CompletedProcess[str]:
    """The cron line's command, with the installed command, the stand-in sendmail and
    the temp folder swapped in."""
    command = "cd " + cron_line().split(" cd ", 1)[1]
    command = command.replace("/opt/newscli/.venv/bin/newscli", str(installed_command()))
    command = command.replace("/usr/sbin/sendmail", str(sendmail))
    command = command.replace("/srv/news", str(tmp_path))
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)


def article(name: str, outlet: str, url: str, age: timedelta) -> str:
    when = datetime.now(timezone.utc) - age
    return (
        f'---\ntitle: "{name}"\npublishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}\n'
        f'webUrl: "{url}"\nquality: 70\ntopics: [AI]\n'
        f"provider: {{name: {outlet}, domain: {outlet.lower()}.example}}\n---\n"
    )


def test_readme_daily_email_digest(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    write(
        feeds / "new.md", article("Fresh news", "Alpha", "https://a.example/x", timedelta(hours=2))
    )
    write(
        feeds / "same.md",
        article(
            "Fresh news, the same story", "Beta", "https://www.a.example/x/", timedelta(hours=3)
        ),
    )
    write(feeds / "old.md", article("Old news", "Gamma", "https://g.example/o", timedelta(days=3)))
    write(  # (h40: a wrong year, in every digest until then)
        feeds / "typo.md",
        article("Typo year", "Delta", "https://d.example/t", timedelta(days=-365 * 70)),
    )
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/sent.eml\n')
    sendmail.chmod(0o755)
    assert len(cron_line().split(" cd ", 1)[0].split()) == 5  # the schedule
    run = _run_cron(tmp_path, sendmail)
    assert run.returncode == 0 and run.stdout == run.stderr == "", run
    assert (tmp_path / "args").read_text() == "-t\n"
    assert not (tmp_path / "newscli.log").read_text()  # nothing went wrong
    message = email.message_from_bytes(
        (tmp_path / "sent.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "reader@example.org" and message["Subject"] == "Yesterday's news"
    text, html = (part.get_content() for part in message.iter_parts())
    assert "Also covered by Beta" in text and "Also covered by Beta" in html
    assert html.count("<article>") == 1 and "Fresh news" in html  # one story, once
    assert "Old news" not in text + html and "Typo year" not in text + html


def test_readme_daily_email_digest_sends_nothing_on_an_empty_day(tmp_path: Path) -> None:
    """(h38: a day with nothing new sent readers a message saying "No articles.")"""
    write(tmp_path / "feeds" / "old.md",
          article("Old news", "Gamma", "https://g.example/o", timedelta(days=3)))  # fmt: skip
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f"#!/bin/sh\ncat > {tmp_path}/sent.eml\n")
    sendmail.chmod(0o755)
    run = _run_cron(tmp_path, sendmail)
    assert run.returncode == 4 and run.stdout == run.stderr == "", run
    assert not (tmp_path / "sent.eml").exists()  # nothing sent
    assert not (tmp_path / "newscli.log").read_text()  # and nothing to say in the log

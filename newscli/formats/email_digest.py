"""The email digest: one MIME message (multipart/alternative: plain text, then HTML)
built with the standard library's ``email`` package, ready for ``sendmail -t``.

The message is a function of its content and the clock (``--now``): the Date is the
clock, the Message-ID and the part boundary are derived from a hash of the content, so
the same selection at the same time gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, getaddresses

from newscli.errors import QueryError
from newscli.sanitize import clean
from newscli.select.story_urls import ascii_host

POLICY = default.clone(max_line_length=78)
NEEDS_TO = "--format email needs --to ADDRESS (or to: in a preset)"


ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?")


def addresses(option: str, value: str) -> list[Address]:
    """Comma-separated addresses (``Name <a@b.example>`` or ``a@b.example``); a
    QueryError for anything else (a line break, a missing ``@``, an RFC 2047 encoded
    word, which the email package would decode into the header, line breaks and all)."""
    if any(c in value for c in "\r\n"):
        raise QueryError(f"{option}: an address cannot hold a line break")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise QueryError(f"{option}: an address cannot hold a control character: {value!r}")
    if ENCODED_WORD.search(value):
        raise QueryError(f"{option}: write the name as plain text, not an encoded word (=?...?=)")
    found = []
    for name, address in getaddresses([value]):
        user, at, host = address.rpartition("@")
        if not (user and at and host) or any(c.isspace() for c in address):
            raise QueryError(f"{option}: not an email address: {value!r}")
        if not user.isascii():
            raise QueryError(f"{option}: the part before @ must be ASCII: {value!r}")
        try:
            host = ascii_host(host) or ""  # bücher.example -> xn--bcher-kva... (h119:
            # faß.de is no fass.de, as IDNA 2003 had it)
            if not host:
                raise ValueError("a host of no ASCII form")
            found.append(Address(display_name=name, username=user, domain=host))
        except (UnicodeError, ValueError, IndexError) as exc:
            raise QueryError(f"{option}: not an email address: {value!r} ({exc})") from None
    if not found:
        raise QueryError(f"{option}: not an email address: {value!r}")
    return found


def _literal(text: str) -> str:
    """A Subject the email package cannot decode: an RFC 2047 encoded word in it (as in a
    title ``=?utf-8?q?a=0D=0ABcc:...?=``) is decoded on the way in, line breaks and all,
    and by every mail reader on the way out; ``= ?`` keeps the text readable and inert."""
    return ENCODED_WORD.sub(lambda m: "= ?" + m.group(0)[2:], text)


def message(
    subject: str, text: str, html: str, *, to: str, sender: str | None, now: datetime
) -> str:
    """The whole message as text (ASCII: both parts quoted-printable UTF-8)."""
    recipients = addresses("--to", to)
    senders = addresses("--from", sender) if sender else []
    digest = hashlib.sha256("\0".join((subject, to, sender or "", text, html)).encode())
    token = digest.hexdigest()
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = _literal(clean(subject).strip() or "newscli digest")
    if senders:
        msg["From"] = senders
    msg["To"] = recipients
    msg["Date"] = format_datetime(now)
    host = senders[0].domain if senders else "newscli.localhost"
    msg["Message-ID"] = f"<{token[:32]}.{int(now.timestamp())}@{host}>"
    msg["MIME-Version"] = "1.0"
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.set_boundary(f"=_newscli_{token[32:56]}")
    # `sendmail -t` (Sendmail, Postfix, Exim without -i/-oi) ends the message at a line
    # holding only "." (a title, topic or provider named "."): in quoted-printable,
    # which every line past the headers is, that dot is written "=2E" (RFC 2049, 3.8)
    return _LONE_DOT.sub("=2E", msg.as_string())


_LONE_DOT = re.compile(r"^\.$", re.MULTILINE)

"""Story URLs: the comparison key of an article address (see normalise_url).

Query parameters are kept (``article.aspx?id=``, ``?p=``, ``News.asp?id=`` name the
article: two stories of one site must not merge) except the tracking ones below, which
only say where a reader came from.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from newscli.article.folding import fold

URL_FIELDS = ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl")
TRACKING_PARAMS = {
    "ref", "ref_src", "ref_url", "referrer", "source", "src", "outputtype", "output", "amp",
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "ocid", "cmpid",
    "smid", "spm", "igshid", "share", "s_cid", "taid", "mod", "track", "reflink", "rss",
    "_r", "_mc", "cmp", "xtor", "icid", "ncid", "feedtype", "feedname", "wt.mc_id", "cid_source",
    # Yahoo's consent redirect, feed and campaign tags, ad and social click ids (h67 5)
    "guccounter", "traffic_source", "traffic_medium", "intcmp", "sr_share", "soc_src",
    "soc_trk", "ito", "ftag", "mkt_tok", "_ga", "_gl", "gbraid", "wbraid", "ttclid", "twclid",
    "li_fat_id", "rb_clickid", "__twitter_impression",
    # feeds', gift links', AMP viewers' and sites' own tags (h68 2: NYT, Yahoo, Bloomberg,
    # the Washington Post, Spiegel, Sohu, Substack, LA Times; Echobox: social posts)
    "emc", "partner", "unlocked_article_code", "usqp", "_amp", "ampshare", "tsrc", "srnd",
    "sref", "leadsource", "itid", "sara_ref", "scm", "triedredirect", "echobox",
    "storylink", "gsc.tab", "aoh",
}  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "hsa_", "_hs", "guce_", "mtm_", "oly_", "amp_")
_MOBILE_SWITCH = ("m", ("0", "1"))  # Blogger's ?m=1 (the mobile page) and ?m=0
_AMP_CACHE = ".cdn.ampproject.org"
_PREFIXES = ("www.", "amp.", "m.")
_SUFFIXES = ("/amp/", "/amp", ".amp")
_AMP_SEGMENTS = ("amp", "amphtml")  # a path's folder of AMP pages: /news/amp/world-123
_INDEX_PAGES = ("/index.html", "/index.htm", "/index.shtml", "/index.php")  # the folder's page
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
_ASCII = "".join(map(chr, range(0x80)))  # what stays as it is when escaping the rest
_ESCAPED_DOT = re.compile(r"%2[eE]")
_SESSION = re.compile(r"(?i);jsessionid=[^/]*")


def _strip_amp_cache(host: str, path: str) -> tuple[str, str] | None:
    """``www-x-com.cdn.ampproject.org/c/s/www.x.com/a`` -> (``www.x.com``, ``/a``)."""
    if not host.endswith(_AMP_CACHE):
        return None
    parts = path.split("/")
    # /c/s/HOST/PATH, /c/HOST/PATH, /v/s/HOST/PATH (viewer), /i/s/HOST/PATH (images)
    rest = parts[2:]
    if rest and rest[0] == "s":
        rest = rest[1:]
    if not rest or not rest[0]:
        return None
    return rest[0].lower(), "/" + "/".join(rest[1:])


# The common address (http(s), a plain host, maybe a port, a path, a query): split
# here, exactly as urlsplit would, at a fraction of its cost (--dedupe and clusters
# normalise every URL of every article).
# A query whose names and values need no (un)quoting: characters quote_plus keeps as
# they are, at most one ``=`` per parameter.
_SAFE = r"[A-Za-z0-9_.~-]*"
_SIMPLE_QUERY = re.compile(rf"{_SAFE}(?:={_SAFE})?(?:&{_SAFE}(?:={_SAFE})?)*")
_PLAIN = re.compile(
    r"(?i:https?)://([A-Za-z0-9.-]+)(?::\d*)?(/[^?#\s]*)?(?:\?([^#\s]*))?(?:#(\S*))?"
)


@lru_cache(maxsize=1024)  # an article's URL fields often repeat one address
def normalise_url(url: str) -> str | None:
    """A comparison key: no scheme, no ``www.``/``amp.``, no AMP cache or ``/amp`` path,
    no tracking parameters, no fragment of parameters (_anchor), no trailing slash. None
    for a non-URL."""
    url = url.strip()
    plain = _PLAIN.fullmatch(url)
    if plain:
        return _key(plain[1].lower(), plain[2] or "", plain[3] or "") + _anchor(plain[4])
    return by_urlsplit(url)


def by_urlsplit(url: str) -> str | None:
    """normalise_url without its shortcut (every address split by urlsplit)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
        return None
    return _key((parts.hostname or "").lower(), parts.path, parts.query) + _anchor(parts.fragment)


def _anchor(fragment: str | None) -> str:
    """``#`` and a fragment that names a part of the page: a live blog's post
    (``#polls-close-in-georgia``, ``#block-65a1``, a route ``#/post?id=101``: h68 1,
    h69 4, two posts under one address were one article's copies, and cron shipped one);
    "" for none, for a page's own places (``#comments``, ``#more-1234``, ``#top``), a
    copy tracker's (``#ixzz8AbC``, ``#.VxYz.twitter``, ``#sthash.AbC.dpuf``, Facebook's
    ``#_=_``), a text directive (``#:~:text=``, cut from any fragment)
    and parameters of tracking only (``#xtor=RSS-3``, ``#ref=rss``): where a reader came
    from or went (h69 3)."""
    if not fragment:
        return ""
    if ":~:" in fragment:  # (a text directive: cut, h70 6)
        fragment = fragment[: fragment.index(":~:")]
    if not fragment or fragment.startswith(".") or _PAGE_PLACE.fullmatch(fragment):
        return ""
    if _PARAMETERS.fullmatch(fragment):
        pairs = [part.partition("=") for part in fragment.split("&") if part]
        if not any(_kept(name, value) for name, _, value in pairs):
            return ""
    return "#" + fragment


_PAGE_PLACE = re.compile(
    r"(?i)(?:comments?|comment-\d+|respond|reply|top|main|(?:main-?)?content|more(?:-\d+)?"
    r"|disqus_thread|ixzz\w*|sthash\.[\w.]*|_=_)"
)
_PARAMETERS = re.compile(r"[^/?#=&]+=[^&]*(?:&(?:[^/?#=&]+=[^&]*)?)*")


def _odd_host(host: str) -> bool:
    """Whether the host may be written otherwise than as its one name (_host)."""
    return (
        "%" in host
        or host.endswith(".")
        or not host.isascii()
        or ":" in host
        or host[-1:].isdigit()
        or host.startswith("0x")
    )


def _host(host: str) -> str:
    """A host as one name, as a browser reads it: unescaped (``n%65ws``, h97); without
    its trailing dot (``x.example.`` is ``x.example``); an internationalised one
    NFKC-normalised, with IDNA's other full stops (h96), as its punycode
    (``bücher.example``, ``xn--bcher-kva.example``, h93), each label encoded as it is,
    lower case, with no other mapping (IDNA 2003's made ``straße`` ``strasse``, another
    domain: h95); an IP address in one form (h96, h97)."""
    if "%" in host:
        host = unquote(host, errors="surrogateescape").lower()
    if not host.isascii():
        import unicodedata  # (odd hosts only: not at every start)

        host = unicodedata.normalize("NFKC", host).translate(_DOTS).lower()
    if host.endswith("."):
        host = host[:-1]
    if ":" in host:  # (an IPv6 address)
        with contextlib.suppress(ValueError):
            return ipaddress.ip_address(host).compressed
    if not host.isascii():
        host = ".".join(_punycode(label) for label in host.split("."))
    if host[-1:].isdigit() or host.startswith("0x"):
        host = _ipv4(host)
    return host


def _ipv4(host: str) -> str:
    """An IPv4 address however written (``0xc0.0.2.1``, ``3221225985``, ``192.0.513``:
    WHATWG's IPv4 parser) as its dotted form; any other host as it is (h97)."""
    parts = host.split(".")
    if len(parts) > 4 or not all(parts):
        return host
    numbers = []
    for part in parts:
        base = 16 if part[:2].lower() == "0x" else 8 if len(part) > 1 and part[0] == "0" else 10
        digits = part[2:] if base == 16 else part
        try:
            numbers.append(int(digits, base) if digits else 0)
        except ValueError:
            return host
    *first, last = numbers
    if any(n > 255 for n in first) or last >= 256 ** (5 - len(numbers)):
        return host
    value = last
    for n, number in enumerate(first):
        value += number * 256 ** (3 - n)
    return str(ipaddress.IPv4Address(value))


_DOTS = str.maketrans("\u3002\uff0e\uff61", "...")  # label separators, as IDNA has them


def ascii_host(host: str) -> str | None:
    """A host name as ASCII, as a browser sends it: NFKC-normalised, IDNA's other full
    stops, lower case, each label as its punycode with no other mapping (IDNA 2003's
    made ``faß.de`` ``fass.de``, another domain: h95, h119); None if a label has none (a
    lone surrogate). For links and addresses newscli writes (show, feeds, email)."""
    if host.isascii():
        return host
    import unicodedata

    folded = unicodedata.normalize("NFKC", host).translate(_DOTS).lower()
    labels = [_punycode(label) for label in folded.split(".")]
    return ".".join(labels) if all(label.isascii() for label in labels) else None


def _punycode(label: str) -> str:
    if label.isascii():
        return label
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:  # (a lone surrogate: as written)
        return label


def _dot_segments(path: str) -> str:
    """The path with its ``.`` and ``..`` segments resolved (RFC 3986 5.2.4:
    ``/a/./b/../c`` is ``/a/c``), h93."""
    kept: list[str] = []
    parts = path.split("/")
    for part in parts[1:]:
        if part == "..":
            if kept:
                kept.pop()
        elif part != ".":
            kept.append(part)
    tail = "/" if parts[-1] in (".", "..") else ""
    return "/" + "/".join(kept) + tail if path.startswith("/") else path


def _key(host: str, path: str, raw_query: str) -> str:
    if _odd_host(host):
        host = _host(host)
    if "\\" in path:  # (a backslash is a slash in an http(s) path, as browsers read it)
        path = path.replace("\\", "/")
    if "%2" in path:  # (an escaped dot is a dot: %2E%2E is a segment "..", h96)
        path = _ESCAPED_DOT.sub(".", path)
    if "/." in path:
        path = _dot_segments(path)
    if host.endswith(_AMP_CACHE):
        cached = _strip_amp_cache(host, path)
        if cached:
            host, path = cached
    elif path.startswith("/amp/") and host.startswith(("google.", "www.google.")):
        viewed = _strip_amp_viewer(path)
        if viewed:
            host, path = viewed
    if host.startswith(_PREFIXES):  # each removed in turn, once
        for prefix in _PREFIXES:
            if host.startswith(prefix):
                host = host[len(prefix) :]
    if "%" in path or "//" in path or ";" in path or not path.isascii():
        path = _plain_path(path)
    if path.endswith(_SUFFIXES):
        for suffix in _SUFFIXES:
            if path.endswith(suffix):
                path = path[: -len(suffix)]
    if path.endswith(_INDEX_PAGES):
        path = path[: path.rindex("/")]
    if path.endswith("/"):
        path = path.rstrip("/")
    if "amp" in path:
        path = _without_amp(path)
    if not raw_query:
        return host + path
    # Feeds often hold HTML-escaped addresses: ``?feed=OBR&amp;id=17418699``.
    if "&amp;" in raw_query:
        raw_query = raw_query.replace("&amp;", "&")
    return host + path + query_key(raw_query)


def _strip_amp_viewer(path: str) -> tuple[str, str] | None:
    """Google's AMP viewer: ``google.com/amp/s/amp.x.com/a`` -> (``amp.x.com``, ``/a``)
    (h68 2: the address shared links most often carry)."""
    rest = path[len("/amp/") :]
    if rest.startswith("s/"):
        rest = rest[2:]
    host, _, tail = rest.partition("/")
    if "." not in host:
        return None
    return host.lower(), "/" + tail


def _plain_path(path: str) -> str:
    """The path without a session (``;jsessionid=...``), with letters, digits and
    ``-._~`` written as themselves (``%73lug``: ``slug``, RFC 3986 6.2.2.2), every other
    character beyond ASCII as its escapes, in upper case (``café``, ``caf%c3%a9``:
    ``caf%C3%A9``), and one slash for several (``/a//slug``), h68 2, h69 6."""
    if ";" in path:
        path = _SESSION.sub("", path)
    if not path.isascii():  # (written as its UTF-8 escapes: café is caf%C3%A9, h69 6)
        path = quote(path, safe=_ASCII, errors="surrogatepass")
    if "%" in path:
        path = _ESCAPED.sub(_unescaped, path)
    while "//" in path:
        path = path.replace("//", "/")
    return path


def _unescaped(match: re.Match[str]) -> str:
    """An escape as its character if unreserved, else in upper case (RFC 3986 6.2.2.1:
    WordPress writes %c3, browsers %C3)."""
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group().upper()


def _without_amp(path: str) -> str:
    """The path without an AMP folder (``/news/amp/world-123``, ``/amphtml/x``; a folder's
    ``amp_`` prefix: ``/amp_articleshow/1.cms``) or an AMP page's ``.amp.html``
    (``/2025/x.amp.html``: ``/2025/x.html``), h67 4, h68 2."""
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    parts = path.split("/")
    kept = [
        part[4:] if part.startswith("amp_") else part  # Times of India's amp_articleshow
        for part in parts[:-1]
        if part not in _AMP_SEGMENTS
    ]
    if kept == parts[:-1]:
        return path
    return "/".join([*kept, parts[-1]])


# A host, a language's folder (/en, /en-gb), an index document; a query of a language
# alone (?lang=en, ?hl=en, ?locale=en_GB).
_FRONT_PAGE = re.compile(
    r"(?i)[^/?]+(?:/[a-z]{2}(?:[-_][a-z]{2})?)?"
    r"(?:/(?:index|default|home|main|start)(?:\.[a-z]{2,5})?)?"
    r"(?:\?(?:(?:lang|hl|locale|language)=[a-z_-]{0,16})?)?"  # (or a bare "?": CI drew `//0#?`)
)


def names_an_article(key: str) -> bool:
    """Whether a URL key names one article: not a site's front page (``paper.example``,
    ``paper.example/en/index.html``, ``paper.example?lang=en``), which feeds give items
    that have no link of their own: two articles with it are not one story."""
    return _FRONT_PAGE.fullmatch(key) is None


def outlet_domain(domain: str | None) -> str | None:
    """A provider's domain as an outlet: casefolded, without a scheme, a path, a port,
    ``www.``, ``m.`` or ``amp.`` (``https://m.Reuters.com/``: ``reuters.com``)."""
    text = fold((domain or "").strip())
    if "://" in text:
        text = text.partition("://")[2]
    text = text.split("/")[0].split(":")[0].strip(".")
    for prefix in _PREFIXES:  # each removed in turn, once
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text or None


def outlet_name(name: str | None) -> str | None:
    """A provider's name as an outlet: trimmed and folded (article.folding)."""
    return fold((name or "").strip()) or None


@lru_cache(maxsize=256)
def asked_outlet(value: str) -> frozenset[str]:
    """What a provider asked for by name or domain (--provider, --prefer-provider, the
    config's prefer-providers) matches: the name, and where it looks like a domain or an
    address (a dot or ``://``, no space), the domain as outlet_domain folds it
    (``https://m.Reuters.com/``, `` www.reuters.com`` and ``reuters.com`` are one)."""
    found = {outlet_name(value)}
    text = value.strip()
    if ("." in text or "://" in text) and " " not in text:
        found.add(outlet_domain(text))
    return frozenset(k for k in found if k)


def article_outlet(name: str | None, domain: str | None) -> frozenset[str]:
    """An article's provider as asked_outlet matches it: its name and its domain."""
    return frozenset(k for k in (outlet_name(name), outlet_domain(domain)) if k)


def _kept(name: str, value: str) -> bool:
    lowered = name.lower().lstrip(".")  # (Yahoo's .tsrc)
    if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
        return False
    return not (lowered == _MOBILE_SWITCH[0] and value in _MOBILE_SWITCH[1])


def query_key(raw_query: str) -> str:
    """``?`` and the parameters that are not tracking ones, sorted, as urlencode writes
    them ("" for none): query_by_parse_qsl, without its unquoting and quoting again when
    there is nothing to (un)quote."""
    if not _SIMPLE_QUERY.fullmatch(raw_query):
        return query_by_parse_qsl(raw_query)
    pairs = []
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            if _kept(name, value):
                pairs.append((name, value))
    return "?" + "&".join(f"{k}={v}" for k, v in sorted(pairs)) if pairs else ""


def query_by_parse_qsl(raw_query: str) -> str:
    """query_key by parse_qsl and urlencode, for any query."""
    query = [(k, v) for k, v in parse_qsl(raw_query, keep_blank_values=True) if _kept(k, v)]
    return "?" + urlencode(sorted(query)) if query else ""

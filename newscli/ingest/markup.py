"""Whether text a feed calls plain (or says nothing of) is HTML all the same: many
feeds escape their titles twice (`&lt;b&gt;Bold&lt;/b&gt;`, `AT&amp;amp;T`), while
others write text that only names markup (`Why the <script> tag matters`, `Inbox
<noreply@example.com>`, `vector<int>`), which reduced as HTML lost its words (h118:
a title became "Why the"). As feed readers tell them apart (feedparser's own test):
HTML holds a closing tag and every tag in it names an HTML element (one whose content
HTML hides, a script, style, title, head, template or noscript, only where the text
ends it)."""

from __future__ import annotations

import re

_TAGS = re.compile(r"</?([A-Za-z][^\s/>]*)")  # (what Python's HTMLParser takes for a tag)
_CLOSING = re.compile(r"</([A-Za-z][A-Za-z0-9]*)\s*>")
REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# elements whose content HTML does not show (text.html_to_text drops it)
HIDING = frozenset({"script", "style", "template", "noscript", "head", "title"})
HTML_ELEMENTS = (
    frozenset(
        """a abbr acronym address area article aside audio b bdi bdo big blink blockquote body
    br button canvas caption center cite code col colgroup data datalist dd del details
    dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame
    frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd
    label legend li link main map mark marquee menu meta meter nav nobr noframes
    noscript object ol optgroup option output p param picture pre progress q rp rt ruby
    s samp script section select small source span strike strong style sub summary sup
    svg table tbody td template textarea tfoot th thead time title tr track tt u ul var
    video wbr math""".split()  # noqa: SIM905 (a list of words)
    )
    - HIDING
)


def text_is_html(text: str) -> bool:
    """Whether text not said to be HTML is HTML (see above). A reference alone makes
    no HTML of text that names a tag (h120: `Stop using <textarea> &amp; <select>`), and
    an element whose content HTML hides (script, style, title, ...) is no sign of HTML
    (h119: `Why the <script> tag isn&#8217;t dead` became "Why the") unless the text
    ends it (`<script>x()</script>`, a title escaped twice): such text keeps
    its words, its references decoded (text.plain_text)."""
    if not _CLOSING.search(text):
        return False
    closed = None
    for name in map(str.lower, _TAGS.findall(text)):
        if name in HIDING:  # (HTML only where the text ends it: `<script>x()</script>`)
            closed = closed or {n.lower() for n in _CLOSING.findall(text)}
            if name not in closed:
                return False
        elif name not in HTML_ELEMENTS:
            return False
    return True

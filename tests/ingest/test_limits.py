"""An imported item's worst case within ingest/limits: every field at its bound, every
character one YAML must escape at length (U+FFFE, written \\ufffe):
its file stays under the front matter limit validate enforces."""

from __future__ import annotations

from datetime import datetime, timezone

from newscli.article.frontmatter_yaml import MAX_FRONT_MATTER_CHARS
from newscli.ingest import limits
from newscli.ingest.item import Item
from newscli.ingest.render import render


def test_the_largest_item_fits_the_front_matter_limit() -> None:
    wide = "\ufffe"  # not a character YAML holds raw: six characters once escaped
    url = "https://x.example/" + "\u00e9" * (limits.URL_MAX - 18)
    item = Item(
        title=wide * 10**6,
        excerpt=wide * 1000,
        published=datetime(2025, 1, 1, tzinfo=timezone.utc),
        web_url=url, original_url=url, amp_url=url, cdn_amp_url=url,
        source_id=wide * limits.ID_MAX * 10,
        category=wide * 10**4, categories=[str(n) + wide * 10**4 for n in range(10**3)],
        provider_name=wide * 10**4, provider_domain=wide * 10**4,
        topics=[str(n) + wide * 10**4 for n in range(10**3)],
        tags=[str(n) + wide * 10**4 for n in range(10**3)],
        locale=wide * 10**4, secured=wide * limits.SECURED_MAX * 10,
        images=[{"url": url, "title": wide * 10**4, "attribution": wide * 10**4}] * 10**3,
    )  # fmt: skip
    text = render(limits.bounded(item))
    assert len(item.title) <= limits.TITLE_MAX and len(item.topics) == limits.LIST_MAX
    assert len(item.images) == limits.IMAGES_MAX
    assert len(text) < MAX_FRONT_MATTER_CHARS
    # (escaped indeed, in the title, excerpt, locale and images' texts: names runs select
    # by leave such a character out since h154, so the names are no worst case now)
    assert text.count("\\ufffe") > 6_000
    assert item.topics[:3] == ["0", "1", "2"]

"""What makes two articles one story: the evidence, the time window, outlet priority.

Small on purpose: every selecting command builds one (the query holds it), and only a
command that groups stories imports the grouping itself (select/stories.py).
"""

from __future__ import annotations

from dataclasses import dataclass

EVIDENCE = ("url", "related", "similar")
DEFAULT_WINDOW = 48 * 3600.0  # seconds


@dataclass(frozen=True, slots=True)
class StoryRules:
    """Which evidence joins articles (``url``, ``related``, ``similar``), the window of
    ``similar`` in seconds, and the outlets whose article represents a story first
    (names or domains, most preferred first)."""

    evidence: frozenset[str] = frozenset(EVIDENCE)
    window: float = DEFAULT_WINDOW
    prefer: tuple[str, ...] = ()
    asked: tuple[str, ...] = ()  # those of prefer given by --prefer-provider (the note of
    # one no article has: a typo, most likely; the config's are a standing choice)


def parse_evidence(values: list[str] | tuple[str, ...]) -> frozenset[str]:
    """``["url,similar"]`` -> the evidence; ValueError naming an unknown kind, a kind
    named twice, an empty one or a value naming none (h143: `url,,related` and
    `similar,similar` were taken, where --sort refuses both)."""
    found: list[str] = []
    for value in values:
        parts = [p.strip().lower() for p in value.split(",")]
        if not any(parts):  # (h146: `--same-story url --same-story ''` was taken)
            raise ValueError("names no kind: name url, related or similar")
        if not all(parts):
            raise ValueError(
                "names an empty kind: a comma at an end, or two together (url,related,similar)"
            )
        for part in parts:
            if part not in EVIDENCE:
                raise ValueError(f"unknown evidence {part!r} (expected url, related, similar)")
            if part in found:
                raise ValueError(f"{part}: named twice; name each kind once")
            found.append(part)
    if not found:
        raise ValueError("name at least one of url, related, similar")
    return frozenset(found)


def uses_story_fields(*texts: str | None) -> bool:
    """True when a field list, sort key or expression names a story.* field (then the
    stories of every article are made first)."""
    return any(text and "story." in text and _names_story_field(text) for text in texts)


def _names_story_field(text: str) -> bool:
    """Whether a story.* name is among the text's words, not only in a quoted string
    (``title contains 'story.'`` needs no stories); True when the text does not read as
    words (a sort key's ``:desc``, a bad expression: what asks for it says so)."""
    from newscli.select.where_syntax import WhereError, tokenize

    try:
        tokens = tokenize(text)
    except WhereError:
        return True
    return any(t.kind == "word" and t.text.startswith("story.") for t in tokens)

"""Topics as one line of text: separated by commas; a topic holding a comma, a quote
first, blanks at its ends or nothing at all is written in double quotes (``""`` for a
quote), so that no two lists read alike (h98: the review's detail pane showed the
topics ``a, b`` and ``c"d`` as ``a, b, c"d``, three topics) and a prompt read back gives
the same topics (review.topics_text)."""

from __future__ import annotations

from collections.abc import Iterable


def topics_text(topics: Iterable[str]) -> str:
    """The text for ``topics``, each as given."""
    return ", ".join(map(_written, topics))


def _written(topic: str) -> str:
    if topic and "," not in topic and not topic.startswith('"') and topic == topic.strip():
        return topic
    return '"' + topic.replace('"', '""') + '"'

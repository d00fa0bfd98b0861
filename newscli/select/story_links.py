"""Which two articles a similarity join names: the most alike pair of the two sides.

Similarity joins an article (or articles already joined by URL or `related`) with a
story as a whole; the reason `clusters` shows must still name two articles and a score
that belongs to them: the pair, one from each side, whose own cosine is highest, and
that cosine (not the score against the story's core, nor a side's first article).
"""

from __future__ import annotations

from collections.abc import Sequence

from newscli.select.similarity import Unit, Weights, vector

# Compared, at most: the first members of the joining side and of the story it joins
# (in the order they joined; the pairs, at most LEFT * SIDE, are the cost of a join).
LEFT = 4
SIDE = 16


class Endpoints:
    def __init__(
        self,
        paths: Sequence[str],
        words: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
        given: Weights,
    ) -> None:
        self.words = words  # each article's title and excerpt words
        self.given = given
        self.paths = paths
        self.vectors: dict[int, tuple[dict[str, float], frozenset[str]]] = {}

    def _vector(self, i: int) -> tuple[dict[str, float], frozenset[str]]:
        found = self.vectors.get(i)
        if found is None:
            title, excerpt = self.words[i]
            weights = vector(Unit("", None, title, excerpt), self.given)
            found = self.vectors[i] = (weights, frozenset(weights))
        return found

    def best(self, left: Sequence[int], right: Sequence[int]) -> tuple[int, int, float]:
        """(an article of ``left``, one of ``right``, their cosine): the most alike pair
        (ties: the smallest paths), among the first LEFT of ``left`` and SIDE of
        ``right``."""
        paths = self.paths
        best_x, best_y, best = left[0], right[0], -1.0
        others = [(y, *self._vector(y)) for y in right[:SIDE]]
        for x in left[:LEFT]:
            vx, kx = self._vector(x)
            for y, vy, ky in others:
                shared = kx & ky  # summed in word order: the same float on every run
                score = sum([vx[w] * vy[w] for w in sorted(shared)]) if shared else 0.0
                if score > best or (
                    score == best and (paths[x], paths[y]) < (paths[best_x], paths[best_y])
                ):
                    best_x, best_y, best = x, y, score
        return best_x, best_y, best

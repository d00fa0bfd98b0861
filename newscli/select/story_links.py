"""Which two articles a similarity join names: the most alike pair of the two sides.

Similarity joins an article (or articles already joined by URL or `related`) with a
story as a whole; the reason `clusters` shows must still name two articles and a score
that belongs to them: the pair, one from each side, whose own cosine is highest, and
that cosine (not the score against the story's core, nor a side's first article).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newscli.select.similarity import Unit, Weights, vector

# Compared, at most: the first members of the joining side and of the story it joins
# (in the order they joined; the pairs, at most LEFT * SIDE, are the cost of a join).
LEFT = 4
SIDE = 16
# When none of those pairs shares a word (sides joined by words their first members do
# not have), the pairs sharing one among the first FAR of each side.
FAR = 512


class Endpoints:
    def __init__(
        self,
        paths: Sequence[str],
        words: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
        given: Weights,
        times: Sequence[float | None] = (),
    ) -> None:
        self.words = words  # each article's title and excerpt words
        self.given = given
        self.paths = paths
        self.times = times
        self.vectors: dict[int, tuple[dict[str, float], frozenset[str]]] = {}

    def _vector(self, i: int) -> tuple[dict[str, float], frozenset[str]]:
        found = self.vectors.get(i)
        if found is None:
            title, excerpt = self.words[i]
            weights = vector(Unit("", None, title, excerpt), self.given)
            found = self.vectors[i] = (weights, frozenset(weights))
        return found

    def order(self, i: int) -> tuple[float, tuple[tuple[str, ...], tuple[str, ...]], str]:
        """An article's place among equals: the earliest first, then by its words, then by
        path (h130 2: by path alone, files renamed named other pairs, and `clusters` said
        "0.84 with" an article where its copy at 1.00 was in the story; h132: of one time,
        by path)."""
        when = self.times[i] if i < len(self.times) else None
        return (float("inf") if when is None else when, self.words[i], self.paths[i])

    def best(self, left: Sequence[int], right: Sequence[int]) -> tuple[int, int, float]:
        """(an article of ``left``, one of ``right``, their cosine): the most alike pair
        (ties: the earliest, then the smallest paths: order), among the first LEFT of
        ``left`` and SIDE of ``right``; if none of those shares a word, among the first
        FAR of each side."""
        found = self._best(left[:LEFT], [(y, *self._vector(y)) for y in right[:SIDE]])
        if found[2] > 0.0 or (len(left) <= LEFT and len(right) <= SIDE):
            return found
        having: dict[str, list[int]] = {}  # a word -> the articles of right that have it
        for y in right[:FAR]:
            for w in self._vector(y)[1]:
                having.setdefault(w, []).append(y)
        wider = self._best(
            left[:FAR],
            [(y, *self._vector(y)) for y in right[:FAR]],
            lambda x: {y for w in self._vector(x)[1] for y in having.get(w, ())},
        )
        return wider if wider[2] > 0.0 else found

    def _best(
        self,
        left: Sequence[int],
        others: list[tuple[int, dict[str, float], frozenset[str]]],
        near: Callable[[int], set[int]] | None = None,
    ) -> tuple[int, int, float]:
        """best among the pairs of ``left`` and ``others`` (only those ``near(x)`` names
        for an x, when given)."""
        order = self.order
        best_x, best_y, best = left[0], others[0][0], -1.0
        for x in left:
            vx, kx = self._vector(x)
            mates = others if near is None else [o for o in others if o[0] in near(x)]
            for y, vy, ky in mates:
                shared = kx & ky  # summed in word order: the same float on every run
                score = sum([vx[w] * vy[w] for w in sorted(shared)]) if shared else 0.0
                if score > best or (
                    score == best and (order(x), order(y)) < (order(best_x), order(best_y))
                ):
                    best_x, best_y, best = x, y, score
        return best_x, best_y, best

"""A story is compared by its core: the CORE heaviest words of its centroid, kept up to
date as members join (similarity._Story). The core's effect on quality is measured by
the floor in test_story_similarity.py and bench/stories_eval.py."""

import heapq
import random

from newscli.select.similarity import CORE, _Story


def _top(centroid: dict[str, float]) -> dict[str, float]:
    return dict(heapq.nlargest(CORE, centroid.items(), key=lambda kv: (kv[1], kv[0])))


def test_core_is_always_the_heaviest_words_of_the_centroid() -> None:
    rnd = random.Random(5)
    vocabulary = [f"w{n}" for n in range(300)]
    for _ in range(20):
        story = _Story(0.0, 0.0, {w: rnd.random() for w in rnd.sample(vocabulary, 8)}, 0)
        for _ in range(rnd.randrange(1, 40)):
            vector = {w: rnd.random() for w in rnd.sample(vocabulary, rnd.randrange(1, 12))}
            if rnd.random() < 0.2:  # a merge: a whole other centroid
                vector = {w: rnd.random() * 5 for w in rnd.sample(vocabulary, 60)}
            story.add(vector)
            assert story.core == _top(story.centroid)
            expected = sum(v * v for v in story.core.values()) ** 0.5
            assert abs(story.core_norm - expected) < 1e-9

"""The note of an export whose marking stopped after its output was written: each count
with its own verb and pronoun (h83: "and 1 are not"), the plural wording unchanged (the
e2e tests in tests/e2e/test_mark_interrupted.py run it through real signals)."""

import pytest

from newscli.cli.export_parts import marking_stopped

HEAD = "interrupted after the output was written: "
SHIPPED = "a story with an article marked, which counts as shipped"


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        (
            (33, 15, 0, 18, 3),
            "15 of the 33 exported articles marked published; the other 18 stay unpublished;"
            " 15 are exported again by the next run that selects them, and 3 are not: each is"
            f" of {SHIPPED}",
        ),
        (
            (5, 2, 0, 3, 1),
            "2 of the 5 exported articles marked published; the other 3 stay unpublished; 2"
            " are exported again by the next run that selects them, and 1 is not: it is of"
            f" {SHIPPED}",
        ),
        (
            (5, 2, 0, 3, 2),
            "2 of the 5 exported articles marked published; the other 3 stay unpublished; 1"
            " is exported again by the next run that selects it, and 2 are not: each is of"
            f" {SHIPPED}",
        ),
        (
            (3, 1, 1, 1, 1),
            "1 of the 3 exported articles marked published, 1 already was; the other 1 stays"
            f" unpublished and is not exported again: it is of {SHIPPED}",
        ),
        (
            (9, 1, 2, 6, 6),
            "1 of the 9 exported articles marked published, 2 already were; the other 6 stay"
            f" unpublished and are not exported again: each is of {SHIPPED}",
        ),
        (
            (2, 1, 0, 1, 0),
            "1 of the 2 exported articles marked published; the other 1 stays unpublished and"
            " is exported again by the next run that selects it",
        ),
        (
            (40, 22, 0, 18, 0),
            "22 of the 40 exported articles marked published; the other 18 stay unpublished"
            " and are exported again by the next run that selects them",
        ),
    ],
)
def test_each_count_has_its_verb(counts: tuple[int, int, int, int, int], said: str) -> None:
    assert marking_stopped("interrupted", *counts) == HEAD + said

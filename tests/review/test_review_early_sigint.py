"""A SIGINT or SIGTERM that comes while the app starts (before on_mount hands them to
the app's loop) is kept by run_interruptible's handler and acted on at mount: the app
quits with 130 or 143 (tests/e2e/test_review_interrupt.py sends real signals)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from review_helpers import corpus, make_queue

from newscli.review.app import HUNG_UP, INTERRUPTED, TERMINATED, ReviewApp


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, INTERRUPTED), (signal.SIGTERM, TERMINATED), (signal.SIGHUP, HUNG_UP)],
)
def test_an_early_signal_quits_at_mount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, code: int
) -> None:
    corpus(tmp_path, fillers=1)
    monkeypatch.chdir(tmp_path)
    app = ReviewApp(make_queue(["feeds"]), signals=True)
    app.terms = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    app._early(signum, None)  # as the handler run_interruptible sets does
    before = {n: signal.getsignal(n) for n in app.terms}
    asyncio.run(_mount(app))
    assert app.return_code == code
    # the handlers the app set at mount are gone with it (not left in this process)
    assert {n: signal.getsignal(n) for n in app.terms} == before


async def _mount(app: ReviewApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

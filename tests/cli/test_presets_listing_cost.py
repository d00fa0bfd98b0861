"""The `presets` listing checks each preset as every command taking presets would take
it; the Click context it reads (each option's default, where each value came from) is
made once a command, not once a preset and command: that was 3 ms of each preset's 4
(200 presets: 2.3 s)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write

from newscli import config
from newscli.cli import every_command
from newscli.cli.presets import check_presets

Command = type(next(iter(every_command().values()))).__mro__[1]  # (typer's own click)


def test_the_listing_makes_one_context_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    presets = "".join(f"  p{n}:\n    min-quality: {n}\n    topic: AI\n" for n in range(20))
    write(tmp_path / "c.yaml", f"presets:\n{presets}")
    made: list[str] = []
    make_context = Command.make_context

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(str(self.name))
        return make_context(self, *args, **kwargs)

    monkeypatch.setattr(Command, "make_context", counted)
    check_presets(config.load(str(tmp_path / "c.yaml")))
    taking = [n for n, c in every_command().items() if any(p.name == "preset" for p in c.params)]
    assert len(taking) > 5 and sorted(made) == sorted(taking)

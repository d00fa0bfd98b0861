"""`export -o` never writes over the template it renders, a template that one names,
or the config file the run read (h99 MED: each was replaced by the output, exit 0)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli


def _export(tmp_path: Path, *args: str) -> tuple[int, str]:
    done = run_cli("export", *args, cwd=tmp_path)
    return done.returncode, done.stderr


def test_the_template_itself(tmp_path: Path) -> None:
    (tmp_path / "my.html").write_text("<p>{{ articles | length }}</p>\n", encoding="utf-8")
    code, err = _export(tmp_path, str(SAMPLES), "--template", "my.html", "-o", "my.html")
    assert code == 1
    assert err == (
        "newscli: error: cannot write my.html: it is a template this run reads (my.html or"
        " what it includes); name another file\n"
    )
    assert (tmp_path / "my.html").read_text(encoding="utf-8") == "<p>{{ articles | length }}</p>\n"


NAMING = ['{% include "inc.html" %}', '{% extends "inc.html" %}', '{% import "inc.html" as m %}x']


@pytest.mark.parametrize("statement", [*NAMING, "{% include name %}"])
def test_a_template_it_reads(tmp_path: Path, statement: str) -> None:
    (tmp_path / "main.html").write_text(statement, encoding="utf-8")
    (tmp_path / "inc.html").write_text("INC\n", encoding="utf-8")
    code, err = _export(tmp_path, str(SAMPLES), "--template", "main.html", "-o", "inc.html")
    assert code == 1
    assert "cannot write inc.html: it is a template this run reads (main.html" in err
    assert (tmp_path / "inc.html").read_text(encoding="utf-8") == "INC\n"


def test_a_file_beside_a_template_that_reads_none_is_written(tmp_path: Path) -> None:
    (tmp_path / "main.html").write_text('{% include "inc.html" %}', encoding="utf-8")
    (tmp_path / "inc.html").write_text("INC\n", encoding="utf-8")
    (tmp_path / "out.html").write_text("old\n", encoding="utf-8")
    code, err = _export(tmp_path, str(SAMPLES), "--template", "main.html", "-o", "out.html")
    assert (code, err) == (0, "")
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == "INC\n"


def test_the_config_file(tmp_path: Path) -> None:
    config = f"feeds: [{SAMPLES}]\n"
    (tmp_path / "newscli.yaml").write_text(config, encoding="utf-8")
    for args in (["-o", "newscli.yaml"], ["--config", "newscli.yaml", "-o", "./newscli.yaml"]):
        code, err = _export(tmp_path, *args)
        assert code == 1
        assert err.startswith("newscli: error: cannot write ")
        assert err.endswith("newscli.yaml: it is the config file this run read\n")
    assert (tmp_path / "newscli.yaml").read_text(encoding="utf-8") == config


@pytest.mark.parametrize("statement", ['{% include "/inc.html" %}', '{% extends "//inc.html" %}'])
def test_a_template_named_from_the_root_of_its_folder(tmp_path: Path, statement: str) -> None:
    """h100: Jinja reads "/inc.html" as the folder's inc.html; it was not protected."""
    (tmp_path / "main.html").write_text(statement, encoding="utf-8")
    (tmp_path / "inc.html").write_text("INC\n", encoding="utf-8")
    code, err = _export(tmp_path, str(SAMPLES), "--template", "main.html", "-o", "inc.html")
    assert code == 1 and "it is a template this run reads" in err
    assert (tmp_path / "inc.html").read_text(encoding="utf-8") == "INC\n"


def test_another_name_of_the_config_file(tmp_path: Path) -> None:
    """h100: a hard link of the config, named by -o, was written over."""
    config = f"feeds: [{SAMPLES}]\n"
    (tmp_path / "newscli.yaml").write_text(config, encoding="utf-8")
    os.link(tmp_path / "newscli.yaml", tmp_path / "hard.yaml")
    code, err = _export(tmp_path, "--config", "hard.yaml", "-o", "newscli.yaml")
    assert code == 1 and err.endswith("it is the config file this run read\n")
    assert (tmp_path / "newscli.yaml").read_text(encoding="utf-8") == config

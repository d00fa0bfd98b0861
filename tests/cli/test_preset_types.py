"""A preset's value is typed as strictly as the option it fills (new-user pass): a flag
takes a YAML boolean, not the text "no" (which was taken as true) or 1 (an internal
error); an integer option an integer, not 71.5 (cut to 71) or true (taken as 1) or the
text "70"; a text option no boolean or fraction. Every such error, and every error
found later about a value the preset gave (a --sort key, a --since date, a --where
expression, a --columns field), is one line naming the file and the preset's key,
exit 2. Run through the installed command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, write


def _run(tmp_path: Path, preset: str, *args: str, command: str = "list"):  # type: ignore[no-untyped-def]
    write(tmp_path / "c.yaml", f"presets:\n  p:\n{preset}")
    return run_cli(
        command, str(SAMPLES), "--config", "c.yaml", "--preset", "p", *args, cwd=tmp_path
    )


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("preset", "reason"),
    [
        ('    unpublished: "no"\n', "unpublished: expected true or false, not the text 'no'"),
        ('    published: "yes"\n', "published: expected true or false, not the text 'yes'"),
        ("    published: 1\n", "published: expected true or false, not the integer 1"),
        ('    dedupe: "true"\n', "dedupe: expected true or false, not the text 'true'"),
        ("    min-quality: 71.5\n", "min-quality: expected an integer, not the number 71.5"),
        ('    min-quality: "70"\n', "min-quality: expected an integer, not the text '70'"),
        ("    limit: true\n", "limit: expected an integer, not the boolean true"),
        ("    offset: 2024-01-01\n", "offset: expected an integer, not the date 2024-01-01"),
        ("    topic: false\n", "topic: expected text, not the boolean false (quote it)"),
        ("    topic: [AI, 1.5]\n", "topic: expected text, not the number 1.5 (quote it)"),
        ("    min-quality: 200\n", "min-quality: 200 is not in the range 0<=x<=100"),
        # a list where the option takes one value (was joined as "[3, 4]")
        ("    limit: [3, 4]\n", "limit: expected one value, not a list"),
        # found after the preset was applied: still its key, not the option
        ("    sort: bogus\n", "sort: unknown key 'bogus' (keys: "),
        ("    since: yesterday\n", "since: expected an RFC 3339 date or timestamp"),
        ("    columns: date,bogus\n", "columns: unknown field 'bogus'"),
        ("    match: '('\n", "match: invalid regular expression"),
    ],
)
def test_a_mistyped_value_is_one_line_naming_file_and_key(
    tmp_path: Path, preset: str, reason: str
) -> None:
    result = _run(tmp_path, preset)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.startswith(f"newscli: error: c.yaml: presets.p.{reason}"), result.stderr
    assert result.stderr.count("\n") == 1 and not result.stderr.endswith(".\n"), result.stderr


def test_a_list_of_columns_is_the_option_repeated(tmp_path: Path) -> None:
    """--columns and --fields repeat (h140): a preset's list of them is each given once
    (until then refused as "expected one value"), a name in it twice refused."""
    result = _run(tmp_path, "    columns: [date, 'title,quality']\n", "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split("\t") == ["date", "title", "quality"]
    result = _run(tmp_path, "    columns: [date, date]\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("newscli: error: c.yaml: presets.p.columns: date: named"), (
        result.stderr
    )


def test_a_where_expression_of_a_preset_names_its_key(tmp_path: Path) -> None:
    result = _run(tmp_path, "    where: 'quality >'\n")
    assert result.returncode == 2
    assert result.stderr == (
        "newscli: error: c.yaml: presets.p.where: expected a field or a value but found "
        "end of expression\n  quality >\n           ^\n"
    )


def test_a_wait_takes_an_integer_or_a_fraction_not_text(tmp_path: Path) -> None:
    bad = _run(tmp_path, '    wait: "5"\n    all: true\n', "--dry-run", command="publish")
    assert bad.returncode == 2
    assert (
        bad.stderr
        == "newscli: error: c.yaml: presets.p.wait: expected a number, not the text '5'\n"
    )
    for wait in ("5", "0.5"):
        good = _run(tmp_path, f"    wait: {wait}\n    all: true\n", "--dry-run", command="publish")
        assert good.returncode == 0, good.stderr


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("preset", "args", "same_as"),
    [
        ("    unpublished: true\n    limit: 2\n", (), ("--unpublished", "--limit", "2")),
        ("    published: false\n", (), ("--unpublished",)),
        ("    min-quality: 70\n    dedupe: true\n", (), ("--min-quality", "70", "--dedupe")),
        ("    topic: [AI, 2024]\n", (), ("--topic", "AI", "--topic", "2024")),
        ("    since: 2025-01-01\n", (), ("--since", "2025-01-01")),
        ("    since: 2025-01-01T00:00:00Z\n", (), ("--since", "2025-01-01T00:00:00+00:00")),
    ],
)
def test_values_of_the_right_kind_select_as_the_command_line_does(
    tmp_path: Path, preset: str, args: tuple[str, ...], same_as: tuple[str, ...]
) -> None:
    with_preset = _run(tmp_path, preset, "--format", "tsv", "--now", "2026-01-01T00:00:00Z")
    direct = run_cli("list", str(SAMPLES), "--format", "tsv", "--now", "2026-01-01T00:00:00Z",
                     *same_as)  # fmt: skip
    everything = run_cli("list", str(SAMPLES), "--format", "tsv")
    assert with_preset.returncode == 0, with_preset.stderr
    assert with_preset.stdout == direct.stdout != everything.stdout
    assert with_preset.stderr == direct.stderr


def test_the_command_lines_own_bad_value_is_still_named_as_its_option(tmp_path: Path) -> None:
    """A value the command line gave is its option's, even where the preset has one
    too (the command line wins: the preset's is not used)."""
    result = _run(tmp_path, "    sort: date\n", "--sort", "bogus")
    assert result.returncode == 2
    assert result.stderr.startswith("newscli: error: --sort: unknown key 'bogus'"), result.stderr
    result = _run(tmp_path, "    limit: 3\n", "--since", "yesterday")
    assert result.stderr.startswith("newscli: error: --since: expected an RFC 3339"), result.stderr


def test_the_presets_listing_refuses_a_preset_a_run_would_refuse(tmp_path: Path) -> None:
    """`newscli presets` listed a preset with an unknown key or a mistyped value and
    exited 0 (h10); using it failed. It now says what a run would, exit 2; a preset
    made of other commands' options (export's format) is still listed."""
    bad = write(tmp_path / "bad.yaml", "presets:\n  ok: {topic: AI}\n  pb: {limit: x}\n")
    done = run_cli("presets", "--config", str(bad))
    assert (done.returncode, done.stdout) == (2, "")
    assert (
        done.stderr
        == f"newscli: error: {bad}: presets.pb.limit: expected an integer, not the text 'x'\n"
    )
    for_export = write(tmp_path / "export.yaml", 'presets:\n  x: {mark-published: "yes"}\n')
    done = run_cli("presets", "--config", str(for_export))  # (an option list has not)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"newscli: error: {for_export}: presets.x.mark-published: expected true or false, "
        "not the text 'yes'\n"
    )
    good = write(
        tmp_path / "good.yaml", "presets:\n  ok: {topic: AI, format: atom, mark-published: true}\n"
    )
    done = run_cli("presets", "--config", str(good), "--format", "tsv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "preset\toptions\nok\t--topic AI --format atom --mark-published\n"


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("preset", "reason"),
    [
        ("sort: bogus", "sort: unknown key 'bogus' (keys: "),
        ("since: yesterdayish", "since: expected an RFC 3339 date or timestamp"),
        ('until: "2024-13-45"', "until: impossible date or time: '2024-13-45' (month must be"),
        ("story-window: forever", "story-window: not a duration like 90m"),
        ("same-story: telepathy", "same-story: unknown evidence 'telepathy'"),
        ('where: "quality >"', "where: expected a field or a value but found end"),
        ('now: "noon"', "now: "),
    ],
)
def test_the_presets_listing_checks_values_a_run_checks_later(
    tmp_path: Path, preset: str, reason: str
) -> None:
    """Values a run checks only once it builds its query (a `since` that is no date, an
    unknown sort key, a `where` that does not parse) were listed as fine, exit 0 (h12
    LOW); the listing now says what the run would, exit 2, and the run agrees."""
    config = write(tmp_path / "c.yaml", f"presets:\n  ok: {{topic: AI}}\n  p:\n    {preset}\n")
    listed = run_cli("presets", "--config", str(config))
    assert (listed.returncode, listed.stdout) == (2, "")
    assert listed.stderr.startswith(f"newscli: error: {config}: presets.p.{reason}"), listed.stderr
    ran = run_cli("list", str(SAMPLES), "--config", str(config), "--preset", "p")
    assert ran.returncode == 2
    assert ran.stderr == listed.stderr


def test_a_format_no_command_takes_names_the_command_whose_choices_are_shown(
    tmp_path: Path,
) -> None:
    """`format: bogus` was refused with one command's choices, unnamed (h12 LOW): the
    listing names that command and says that no command takes the value; a run keeps
    its own plain message."""
    config = write(tmp_path / "c.yaml", "presets:\n  p: {format: bogus}\n")
    listed = run_cli("presets", "--config", str(config))
    assert (listed.returncode, listed.stdout) == (2, "")
    assert listed.stderr.startswith(f"newscli: error: {config}: presets.p.format: 'bogus' is")
    assert listed.stderr.endswith(" takes it; no command takes this value)\n"), listed.stderr
    assert listed.stderr.count("\n") == 1
    ran = run_cli("list", str(SAMPLES), "--config", str(config), "--preset", "p")
    assert ran.returncode == 2
    assert "no command takes" not in ran.stderr


@pytest.mark.parametrize("key", ["feeds", "path"])
def test_a_paths_alias_is_ignored_by_commands_without_paths(tmp_path: Path, key: str) -> None:
    """`feeds:` and `path:` name `paths`; `set`, `unset` and `tag` take none, so they
    ignore it as they ignore `paths:` (they said "unknown option", and so `newscli
    presets` refused a preset `list --preset` runs)."""
    write(tmp_path / "c.yaml", f"presets:\n  p:\n    {key}: [{SAMPLES}]\n")
    listed = run_cli("presets", "--config", "c.yaml", cwd=tmp_path)
    assert (listed.returncode, listed.stderr) == (0, ""), listed.stderr
    edit = run_cli("set", "quality=5", "--config", "c.yaml", "--preset", "p", cwd=tmp_path)
    assert edit.returncode == 2 and "unknown option" not in edit.stderr, edit.stderr
    assert run_cli("list", "--config", "c.yaml", "--preset", "p", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("preset", "reason"),
    [
        ("    since: 2025-06-01\n    until: 2025-01-01\n", "the lower date bound is above"),
        ("    rejected: true\n    include-rejected: true\n", "--rejected and --include-rejected"),
    ],
)
def test_presets_names_the_preset_of_an_error_of_two_keys(
    tmp_path: Path, preset: str, reason: str
) -> None:
    """An error of two keys together names no one key; `newscli presets` (which checks
    every preset) names the file and the preset, not only the reason."""
    write(tmp_path / "c.yaml", f"presets:\n  ok:\n    limit: 3\n  p:\n{preset}")
    done = run_cli("presets", "--config", "c.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith(f"newscli: error: c.yaml: presets.p: {reason}"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.slow  # (the long tier: the default run stays near 2 minutes)
@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("nosuch.j2", "c.yaml: presets.p.template: no such file or built-in template: "),
        ("bad.j2", "bad.j2:1: Expected an expression"),
    ],
)
def test_the_presets_listing_loads_a_presets_template_as_export_does(
    tmp_path: Path, template: str, reason: str
) -> None:
    """A preset's template that is missing or does not parse was listed as fine, exit 0
    (stop 30 LOW), and export refused it; the listing now says what export says, exit 2
    (a template file looked for from the folder it runs in, as export's)."""
    write(tmp_path / "bad.j2", "{% if %}\n")
    write(tmp_path / "good.j2", "{{ articles | length }}\n")
    write(
        tmp_path / "c.yaml",
        f"presets:\n  ok: {{template: good.j2}}\n  p:\n    template: {template}\n",
    )
    listed = run_cli("presets", "--config", "c.yaml", cwd=tmp_path)
    assert (listed.returncode, listed.stdout) == (2, "")
    assert listed.stderr.startswith(f"newscli: error: {reason}"), listed.stderr
    ran = run_cli("export", str(SAMPLES), "--config", "c.yaml", "--preset", "p", cwd=tmp_path)
    assert (ran.returncode, ran.stderr) == (2, listed.stderr)
    write(tmp_path / "c.yaml", "presets:\n  ok: {template: good.j2}\n  d: {template: digest.md}\n")
    listed = run_cli("presets", "--config", "c.yaml", cwd=tmp_path)
    assert listed.returncode == 0 and "--template good.j2" in listed.stdout, listed.stderr


@pytest.mark.parametrize(
    ("preset", "options", "said"),
    [
        ("min-quality: 80, max-quality: 10", [], "c.yaml: presets.p: the lower quality bound"),
        ("max-quality: 10", ["--min-quality", "80"], "c.yaml: presets.p.max-quality: the lower"),
        ("since: 2025-06-01, until: 2025-01-01", [], "c.yaml: presets.p: the lower date bound"),
        ("min-heat: 9", ["--max-heat", "1"], "c.yaml: presets.p.min-heat: the lower heat bound"),
        ("limit: 3", ["--min-heat", "9", "--max-heat", "1"], "the lower heat bound"),
    ],
)
def test_a_run_names_the_preset_of_an_error_of_two_keys(
    tmp_path: Path, preset: str, options: list[str], said: str
) -> None:
    """The run (not only `newscli presets`) names the file and the preset, or its key,
    of a lower bound above the upper one (h84 2: it named neither)."""
    write(tmp_path / "c.yaml", f"presets:\n  p: {{{preset}}}\n")
    done = run_cli(
        "list", str(SAMPLES), "--config", "c.yaml", "--preset", "p", *options, cwd=tmp_path
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith(f"newscli: error: {said}"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.parametrize(
    ("config", "argv", "said"),
    [
        ("feeds: [nope]\n", ["list"], "c.yaml: feeds: no such file or folder: nope"),
        (
            "presets:\n  p: {paths: [nope]}\n",
            ["list", "--preset", "p"],
            "c.yaml: presets.p.paths: no such file or folder: nope",
        ),
        (
            "presets:\n  p: {paths: [nope]}\n",
            ["set", "quality=5", "--all", "--preset", "p"],
            "c.yaml: presets.p.paths: no such file or folder: nope",
        ),
        ("feeds: [nope]\n", ["list", "gone"], "no such file or folder: gone"),
    ],
)
def test_a_missing_path_the_config_gave_names_the_config(
    tmp_path: Path, config: str, argv: list[str], said: str
) -> None:
    """A folder the config's feeds or a preset's paths name that does not exist: the
    error names where it was given (h84 2: "no such file or folder: nope" alone)."""
    write(tmp_path / "c.yaml", config)
    done = run_cli(*argv, "--config", "c.yaml", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"newscli: error: {said}\n"


@pytest.mark.parametrize("command", ["validate", "fields"])
def test_commands_that_read_the_config_feeds_take_config_after_their_name(
    tmp_path: Path, command: str
) -> None:
    """`validate --config FILE` and `fields --config FILE`, as the README says every
    command takes it (h84 3: "no such option: --config"), read that file's feeds."""
    write(tmp_path / "conf" / "c.yaml", "feeds: [../feeds]\n")
    write(tmp_path / "feeds" / "a.md", "---\ntitle: A\nmood: calm\n---\n")
    done = run_cli(command, "--config", "conf/c.yaml", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert ("1 file checked" if command == "validate" else "mood") in done.stdout
    missing = run_cli(command, "--config", "conf/none.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "newscli: error: conf/none.yaml: no such configuration file\n"


@pytest.mark.parametrize("word", ["yes", "No", "on", "OFF", "y"])
def test_yaml_1_1_booleans_are_text_in_the_config(tmp_path: Path, word: str) -> None:
    """h93: `dedupe: yes` was taken as true (PyYAML reads YAML 1.1, where yes, no, on
    and off are booleans), though a flag takes true or false; and `feed-title: on` was
    the boolean. They are the text written, as `24:7` is (h50): a flag refuses it, a
    text option takes it."""
    result = _run(tmp_path, f"    dedupe: {word}\n")
    assert (result.returncode, result.stdout) == (2, "")
    said = (
        f"newscli: error: c.yaml: presets.p.dedupe: expected true or false, not the text {word!r}\n"
    )
    assert result.stderr == said
    feed = f"    feed-title: {word}\n    format: rss\n    feed-link: https://x.example/\n"
    result = _run(tmp_path, feed, "--limit", "1", command="export")
    assert result.returncode == 0, result.stderr
    assert f"<title>{word}</title>" in result.stdout
    assert _run(tmp_path, "    dedupe: True\n").returncode == 0  # (YAML 1.2's spellings)


def test_an_unknown_key_like_an_option_is_named(tmp_path: Path) -> None:
    """h93: the config's top-level `prefer-providers` in a preset was "unknown option"
    only; the option it is like is named, as --where names a field (none for nonsense)."""
    result = _run(tmp_path, "    prefer-providers: [Reuters]\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "newscli: error: c.yaml: presets.p.prefer-providers: unknown option; "
        "did you mean 'prefer-provider'?\n"
    )
    result = _run(tmp_path, "    qqqq: 1\n")
    assert result.stderr == "newscli: error: c.yaml: presets.p.qqqq: unknown option\n"

"""newscli templates: the built-in templates, to copy and change."""

from typing import Annotated, Optional

import typer

from newscli.cli.application import app, exit_codes
from newscli.terminal.output import Output

# ruff: noqa: UP045  (typer reads Optional[...] at run time on Python 3.10)

TEMPLATES_EPILOG = """\b
Examples:
  newscli templates
  newscli templates show newsletter.html > my-newsletter.html
  newscli export sample_feeds --template my-newsletter.html -o newsletter.html
A template sees: articles, groups, stories, feed, counts, first_date, last_date, now.
Filters: rfc3339, day, ago, domain, text, markdown_escape, markdown_url, http_url."""

USES = {
    "newsletter.html": "export --format html (and the HTML part of --format email)",
    "email.txt": "the plain-text part of export --format email",
    "digest.md": "export --format markdown",
}


@app.command("templates", epilog=TEMPLATES_EPILOG)
def templates_command(
    action: Annotated[
        Optional[str],
        typer.Argument(metavar="show", show_default=False, help="Print the template NAME."),
    ] = None,
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="NAME", show_default=False, help="A built-in template's name."),
    ] = None,
) -> None:
    """List the built-in templates (Jinja2), or print one: `templates show NAME`."""
    out = Output()
    with exit_codes(out):
        from newscli.formats.templating.engine import builtin_names, builtin_source

        if action is None:
            rows = [f"{n}\t{USES.get(n, '')}".rstrip() + "\n" for n in builtin_names()]
            out.result("".join(rows))
            return
        if action != "show" or name is None:
            raise typer.BadParameter(
                "use `newscli templates` or `newscli templates show NAME`", param_hint="ACTION"
            )
        out.result(builtin_source(name))

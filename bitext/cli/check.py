"""``bitext check``: terminology, number, untranslated and empty-target QA over a TMX
(or the XLIFF / side-by-side HTML that bitext writes). Exit 1 when any error is found."""

from __future__ import annotations

from pathlib import Path

import click

from bitext.cli.common import input_limit_option, setup_logging, show_progress, verbosity_options
from bitext.files import atomic_write, refuse_overwriting_inputs
from bitext.qa.report import check_file, page_href, render_html, render_text
from bitext.terms.loading import load_glossaries

CHECK_NAMES = ("empty", "term", "number", "untranslated", "identical", "brackets", "quotes")

EXAMPLES = """
\b
Examples:
  bitext check delivery.tmx                         # shipped glossary, text report
  bitext check delivery.tmx --glossary client.tsv --format json
  bitext check out/article.html --format html -o qa.html   # unit ids link to the page
  bitext check delivery.tmx --format html -o qa.html --page out/article.html
  bitext check memory.tmx --no-default-glossary --glossary mine.tsv --skip identical

\b
Checks (severity):
  term          glossary source in the source, its target missing (error)
  number        a source number not expressed in the target: 5.64亿 = 564 million,
                3万 = 30,000, 百分之十五 = 15%, 180多个 = more than 180 (error)
  untranslated  Chinese characters left in the target (error)
  empty         empty target (error)
  identical     target is a copy of the source (warning)
  brackets, quotes  target leaves a pair open that the source closes (warning)

\b
Exit status: 0 no errors (warnings allowed), 1 errors found or unreadable input, 2 usage.
"""


@click.command(epilog=EXAMPLES)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--glossary", "glossaries", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary (TSV, CSV or TBX); repeatable, later files win (after the shipped and user ones).")
@click.option("--no-default-glossary", is_flag=True,
              help="Use only --glossary files (not the shipped and user glossaries).")
@click.option("--format", "out_format", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Report format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--input-format", type=click.Choice(["tmx", "xliff", "html"]), default=None,
              help="Input format (default: from the extension).")
@click.option("--skip", "skip", multiple=True, type=click.Choice(CHECK_NAMES),
              help="Do not run this check; repeatable.")
@click.option("--source-lang", default=None,
              help="TMX: source language prefix (default: zh).")
@click.option("--target-lang", default=None, help="TMX: target language prefix (default: en).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--page", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML report: link each unit to this side-by-side page (default: the checked "
                   "file when it is bitext's HTML page).")
@input_limit_option
@verbosity_options
def check(file: Path, glossaries: tuple[Path, ...], no_default_glossary: bool, out_format: str,
          as_json: bool, output: Path | None, input_format: str | None, skip: tuple[str, ...],
          source_lang: str | None, target_lang: str | None, strict: bool, page: Path | None,
          quiet: bool, verbose: int) -> None:
    """Check a bilingual FILE (TMX, XLIFF or bitext's HTML page) for QA problems.

    Every unit is checked for glossary terms, numbers, untranslated Chinese and empty
    targets (errors), and for copied sources and unbalanced brackets or quotes
    (warnings). The JSON report is {"issues": [{"tuid", "check", "severity",
    "message"}], "summary": {...}}.
    """
    import json

    setup_logging(verbose, quiet)

    if as_json:
        out_format = "json"

    refuse_overwriting_inputs([("FILE", file), *(("--glossary", g) for g in glossaries),
                               ("--page", page)], [("-o", output)])
    glossary = load_glossaries(glossaries, defaults=not no_default_glossary, user=not no_default_glossary) or None
    checks = [c for c in CHECK_NAMES if c not in skip]

    progress = None
    if show_progress(quiet):
        err = click.get_text_stream("stderr")
        seen = [0]

        def progress(n: int) -> None:
            seen[0] += n
            if seen[0] % 5000 == 0:
                err.write(f"\rChecked {seen[0]:,} units")
                err.flush()

    report = check_file(file, glossary, fmt=input_format, checks=checks, source_lang=source_lang,
                        target_lang=target_lang, progress=progress)
    if progress is not None and report.units >= 5000:
        click.echo("", err=True)

    if out_format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    elif out_format == "html":
        if page is None and report.format == "html":
            page = file
        text = render_html(report, page=page_href(page, output))
    else:
        text = render_text(report)
    if output is not None:
        with atomic_write(output) as f:
            f.write(text if text.endswith("\n") else text + "\n")
        if not quiet:
            click.echo(
                f"{file}: {report.units} units, {report.errors} errors, {report.warnings} warnings"
                f" → {output}",
                err=True,
            )
    else:
        click.echo(text.rstrip("\n"))
    if report.errors or (strict and report.warnings):
        raise SystemExit(1)

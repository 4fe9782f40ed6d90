"""``bitext glossary``: list, search, edit, lint, import/export glossaries and suggest terms.

Without ``--file`` (given before or after the subcommand), edits (add, remove, edit,
import) go to the user glossary in the user data folder (``$BITEXT_DATA_DIR`` or the
platform's, created on first use; translate, check and align load it after the shipped
glossaries), ``list`` shows every loaded entry, and the other commands read the shipped
``zh-en-cyberpolicy.tsv``. The installed package is never written to. Edits keep every
other line of the file as it was and are written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bitext.cli.common import input_limit_option, print_json
from bitext.errors import GlossaryError
from bitext.files import refuse_overwriting_inputs
from bitext.terms.edit import GlossaryFile
from bitext.terms.edit import lint as run_lint
from bitext.terms.formats import format_of, read_terms, render, table_from_glossary, write_terms
from bitext.terms.glossary import DEFAULT_GLOSSARY
from bitext.terms.loading import load_glossaries
from bitext.terms.suggest import suggest as run_suggest

EXAMPLES = """
\b
Examples:
  bitext glossary list --sources
  bitext glossary add 测试术语 "test term"          # into the user glossary
  bitext glossary search 网信
  bitext glossary --file my.tsv add 数据出境 "cross-border data transfer" --note "DSL art. 31"
  bitext glossary --file my.tsv add 网信办 CAC --replace
  bitext glossary --file my.tsv edit 网信办 --target "Cyberspace Administration of China"
  bitext glossary --file my.tsv remove 网信办
  bitext glossary lint --json
  bitext glossary --file my.tsv import client.tbx
  bitext glossary export deepl.tsv --format tsv-2col
  bitext glossary suggest article.md --top 20
"""


def _default_file() -> Path:
    return DEFAULT_GLOSSARY


def _file_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--file", "file_", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Glossary TSV to work on (default: the shipped zh-en-cyberpolicy.tsv).",
    )(f)


def _resolve(ctx: click.Context, file_: Path | None, *, write: bool = False) -> Path:
    if file_ is not None:
        return file_
    obj = ctx.find_object(dict) or {}
    if obj.get("file"):
        return obj["file"]
    if write:
        from bitext.terms.glossary import user_glossary_path

        return user_glossary_path()
    return _default_file()


def _given(ctx: click.Context, file_: Path | None) -> Path | None:
    return file_ or (ctx.find_object(dict) or {}).get("file")


def _open_for_edit(path: Path) -> Any:
    """The glossary file to edit; the user glossary (and its folder) is created on first use."""
    if path.exists():
        return GlossaryFile.load(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise GlossaryError(f"cannot create the folder: {e.strerror or e}", str(path.parent)) from None
    return GlossaryFile.new(path)


@click.group(epilog=EXAMPLES)
@_file_option
@input_limit_option
@click.pass_context
def glossary(ctx: click.Context, file_: Path | None) -> None:
    """Edit, check, convert glossaries and suggest new terms.

    Glossaries are UTF-8 TSV files with a header row naming the columns: source, target,
    optional note and any other columns. Comments start with #.
    """
    ctx.ensure_object(dict)
    ctx.obj["file"] = file_


def _row_line(r: Any) -> str:
    extra = "".join(f"  [{k}: {v}]" for k, v in r.extra if v)
    note = f"  # {r.note}" if r.note else ""
    return f"{r.source} → {r.target}{note}{extra}"


@glossary.command("list")
@_file_option
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--sources", is_flag=True, help="Show the file each entry comes from.")
@click.pass_context
def list_(ctx: click.Context, file_: Path | None, as_json: bool, sources: bool) -> None:
    """List every entry (source → target  # note).

    Without --file: every entry translate and check use (the shipped glossaries, then the
    user glossary; a later file's entry replaces an earlier one).
    """
    if _given(ctx, file_) is None:
        entries = list(load_glossaries())
        if as_json:
            print_json({"entries": [{"source": e.source, "target": e.target, "note": e.note,
                                     **dict(e.extra), "file": e.file, "line": e.line}
                                    for e in entries]})
            return
        for e in entries:
            click.echo(_row_line(e) + (f"  ({e.file}:{e.line})" if sources else ""))
        return
    path = _resolve(ctx, file_)
    gf = GlossaryFile.load(path)
    rows = gf.rows()
    if as_json:
        print_json({"file": str(path), "columns": gf.columns, "entries": [r.to_dict() for r in rows]})
        return
    for r in rows:
        click.echo(_row_line(r) + (f"  ({path})" if sources else ""))


@glossary.command()
@_file_option
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the matching rows as JSON.")
@click.pass_context
def search(ctx: click.Context, file_: Path | None, text: str, as_json: bool) -> None:
    """Entries whose source or target contains TEXT (case- and width-insensitive)."""
    path = _resolve(ctx, file_)
    rows = GlossaryFile.load(path).search(text)
    if as_json:
        print_json({"file": str(path), "query": text, "entries": [r.to_dict() for r in rows]})
    else:
        for r in rows:
            click.echo(_row_line(r))
        if not rows:
            click.echo(f"no entry contains '{text}'", err=True)


@glossary.command()
@_file_option
@click.argument("source")
@click.argument("target")
@click.option("--note", default=None, help="Note for the entry.")
@click.option("--replace", is_flag=True,
              help="Change the entry when SOURCE already exists with another target or note.")
@click.pass_context
def add(ctx: click.Context, file_: Path | None, source: str, target: str, note: str | None,
        replace: bool) -> None:
    """Add SOURCE → TARGET (a new row at the end; other rows untouched).

    A SOURCE already present with a different target is refused unless --replace.
    The file is created (header source, target, note) when it does not exist yet.
    """
    path = _resolve(ctx, file_, write=True)
    gf = _open_for_edit(path)
    result = gf.add(source, target, note, replace=replace)
    if result != "unchanged":
        gf.save()
    click.echo(f"{result}: {source.strip()} → {target.strip()} ({path})", err=True)


@glossary.command()
@_file_option
@click.argument("source")
@click.pass_context
def remove(ctx: click.Context, file_: Path | None, source: str) -> None:
    """Remove the entry (every row) for SOURCE. Exit 1 if it is not there."""
    path = _resolve(ctx, file_, write=True)
    gf = GlossaryFile.load(path)
    n = gf.remove(source)
    gf.save()
    click.echo(f"removed {n} row{'s' if n != 1 else ''} for {source.strip()} ({path})", err=True)


@glossary.command()
@_file_option
@click.argument("source")
@click.option("--target", default=None, help="New target.")
@click.option("--note", default=None, help="New note (\"\" clears it).")
@click.pass_context
def edit(ctx: click.Context, file_: Path | None, source: str, target: str | None,
         note: str | None) -> None:
    """Change the target and/or note of SOURCE in place."""
    if target is None and note is None:
        raise click.UsageError("give --target and/or --note")
    path = _resolve(ctx, file_, write=True)
    gf = _open_for_edit(path)
    if not gf.find(source) and _given(ctx, file_) is None:
        from bitext.terms.loading import load_glossaries

        shipped = load_glossaries(user=False).get(source)
        if shipped is not None:  # override a shipped entry in the user glossary
            gf.add(shipped.source, target if target is not None else shipped.target,
                   note if note is not None else shipped.note)
            gf.save()
            click.echo(f"edited {source.strip()} ({path}, overriding {shipped.file})", err=True)
            return
    gf.edit(source, target, note)
    gf.save()
    click.echo(f"edited {source.strip()} ({path})", err=True)


@glossary.command()
@_file_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.pass_context
def lint(ctx: click.Context, file_: Path | None, as_json: bool, strict: bool) -> None:
    """Check a glossary: duplicates, conflicting targets, spaces, Han in targets, nested terms.

    \b
    Errors (exit 1): empty cells, too many cells, exact duplicates, one source with
      two targets, Chinese characters in a target, stray spaces (leading, trailing,
      doubled, no-break), full-width spaces.
    Warnings (exit 1 only with --strict): nested-term conflicts (a term inside a
      longer term whose target does not contain the shorter term's target).
    """
    path = _resolve(ctx, file_)
    gf = GlossaryFile.load(path)
    issues = run_lint(gf)
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    if as_json:
        print_json({
            "file": str(path),
            "issues": [i.to_dict() for i in issues],
            "summary": {"entries": len(gf.row_lines()), "errors": errors, "warnings": warnings},
        })
    else:
        for i in issues:
            click.echo(f"{path}:{i.line}: {i.severity}: [{i.check}] {i.message}")
        click.echo(f"{path}: {len(gf.row_lines())} entries, {errors} errors, {warnings} warnings")
    if errors or (strict and warnings):
        raise SystemExit(1)


@glossary.command("import")
@_file_option
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tsv", "csv", "tbx"]), default=None,
              help="Input format (default: from the extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the imported terms to this new TSV instead of merging into --file.")
@click.option("--replace", is_flag=True, help="Imported targets win over conflicting entries.")
@click.option("--source-lang", default="zh", show_default=True, help="Source language (prefix).")
@click.option("--target-lang", default="en", show_default=True, help="Target language (prefix).")
@click.option("--json", "as_json", is_flag=True, help="Print counts as JSON.")
@click.pass_context
def import_(ctx: click.Context, file_: Path | None, input_path: Path, fmt: str | None,
            output: Path | None, replace: bool, source_lang: str, target_lang: str,
            as_json: bool) -> None:
    """Import terms from CSV, TSV (with header or two-column headerless) or TBX (v2/v3).

    Merges into the glossary (new terms appended, extra columns added at the end);
    conflicting targets are refused as a whole unless --replace. With -o, writes the
    imported terms to a new TSV instead.
    """

    if output is not None:
        refuse_overwriting_inputs([("INPUT", input_path)], [("-o", output)])
    else:
        refuse_overwriting_inputs([("INPUT", input_path)], [("--file", _resolve(ctx, file_))])
    table = read_terms(input_path, fmt, source_lang, target_lang)
    if not table.rows and table.skipped:
        raise GlossaryError(
            f"no term could be read: {table.skipped} entr{'y' if table.skipped == 1 else 'ies'} "
            f"without a source or a target (first at {table.first_skipped or 'the start'}); "
            "nothing written", str(input_path))
    if table.skipped:
        click.echo(f"bitext: warning: {input_path}: {table.skipped} entries skipped (no source or "
                   f"target; first at {table.first_skipped or '?'})", err=True)
    if output is not None:
        from bitext.files import atomic_write

        with atomic_write(output) as f:
            f.write(render(table, "tsv", escape_formulas=False))  # a glossary, not a spreadsheet
        counts = {"added": len(table.rows), "unchanged": 0, "replaced": 0,
                  "skipped": table.skipped}
        dest = output
    else:
        dest = _resolve(ctx, file_, write=True)
        gf = _open_for_edit(dest)
        conflicts = []
        for r in table.rows:
            for ln in gf.find(r.source):
                cur = gf.row(ln)
                if cur.target != r.target:
                    conflicts.append(f"{r.source}: '{cur.target}' (line {cur.line}) vs '{r.target}'")
                    break
        if conflicts and not replace:
            shown = "; ".join(conflicts[:5]) + (" …" if len(conflicts) > 5 else "")
            raise GlossaryError(
                f"{len(conflicts)} imported term(s) conflict with the glossary ({shown}); "
                "nothing written; use --replace to take the imported targets",
                str(dest),
            )
        counts = {"added": 0, "unchanged": 0, "replaced": 0, "skipped": table.skipped}
        for r in table.rows:
            res = gf.add(r.source, r.target, r.note or None, replace=True, extra=r.extra)
            counts[res] += 1
        gf.save()
    if as_json:
        print_json({"input": str(input_path), "glossary": str(dest), **counts})
    else:
        click.echo(
            f"{input_path}: {counts['added']} added, {counts['replaced']} replaced, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped → {dest}",
            err=True,
        )


@glossary.command()
@_file_option
@click.argument("output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--format", "fmt",
              type=click.Choice(["tsv", "csv", "tsv-2col", "csv-2col", "tbx", "deepl", "google"]),
              default=None,
              help="tsv/csv: all columns with header; tsv-2col/csv-2col: headerless source,target "
                   "(deepl = tsv-2col, google = csv-2col); tbx: TBX-Basic v3. Default: from the "
                   "extension.")
@click.option("--no-header", is_flag=True,
              help="TSV/CSV: two headerless columns source, target (same as tsv-2col/csv-2col).")
@click.option("--source-lang", default="zh", show_default=True, help="TBX source language.")
@click.option("--target-lang", default="en", show_default=True, help="TBX target language.")
@click.option("--no-escape-formulas", is_flag=True,
              help="TSV/CSV: write cells starting with = + - @ as they are (by default they get "
                   "a ' in front so spreadsheets do not run them; imports remove it).")
@click.pass_context
def export(ctx: click.Context, file_: Path | None, output: Path, fmt: str | None, no_header: bool,
           source_lang: str, target_lang: str, no_escape_formulas: bool = False) -> None:
    """Export the glossary to OUTPUT (- for stdout) as TSV, CSV or TBX."""
    fmt = {"deepl": "tsv-2col", "google": "csv-2col"}.get(fmt or "", fmt)
    if no_header:
        base = fmt or (format_of(output, None, writing=True) if str(output) != "-" else "tsv")
        if base not in ("tsv", "csv", "tsv-2col", "csv-2col"):
            raise click.UsageError("--no-header applies to TSV and CSV only")
        fmt = base if base.endswith("-2col") else base + "-2col"
    path = _resolve(ctx, file_)

    refuse_overwriting_inputs([("--file", path)], [("OUTPUT", output)])
    table = table_from_glossary(GlossaryFile.load(path))
    if str(output) == "-":
        kind = fmt or "tsv"
        click.echo(render(table, kind, source_lang=source_lang, target_lang=target_lang,
                          title=path.name, escape_formulas=not no_escape_formulas), nl=False)
        return
    kind = format_of(output, fmt, writing=True)
    write_terms(output, table, kind, source_lang=source_lang, target_lang=target_lang,
                title=path.name, escape_formulas=not no_escape_formulas)
    click.echo(f"exported {len(table.rows)} entries as {kind} → {output}", err=True)


@glossary.command()
@_file_option
@click.argument("docs", metavar="DOC...", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--top", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="How many candidates.")
@click.option("--min-count", type=click.IntRange(1, 1000), default=2, show_default=True,
              help="Minimum occurrences of a collocation.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
@click.pass_context
def suggest(ctx: click.Context, file_: Path | None, docs: tuple[Path, ...], top: int,
            min_count: int, as_json: bool) -> None:
    """Suggest new terms from Chinese documents (words and collocations not yet in the glossary).

    Ranked by frequency against a general background (TF-IDF with jieba's IDF table);
    each with a CC-CEDICT hint and an example context.
    """
    path = _resolve(ctx, file_)
    existing = [r.source for r in GlossaryFile.load(path).rows()] if path.exists() else []
    cands = run_suggest(list(docs), existing, top=top, min_count=min_count)
    if as_json:
        print_json({"glossary": str(path), "documents": [str(d) for d in docs],
                    "candidates": [c.to_dict() for c in cands]})
        return
    for i, c in enumerate(cands, start=1):
        kind = " (collocation)" if c.kind == "collocation" else ""
        click.echo(f"{i:>3}. {c.term}  ×{c.count}  score {c.score:.1f}{kind}")
        if c.hint:
            click.echo(f"     CEDICT: {c.hint}")
        if c.context:
            click.echo(f"     {c.context}")


SUBCOMMAND_EXAMPLES: dict[str, list[str]] = {
    "list": ["bitext glossary list", "bitext glossary --file mine.tsv list --json"],
    "search": ["bitext glossary search 网信", "bitext glossary search administration --json"],
    "add": ['bitext glossary --file mine.tsv add 数据出境 "cross-border data transfer"',
            'bitext glossary --file mine.tsv add 网信办 CAC --note "regulator" --replace'],
    "remove": ["bitext glossary --file mine.tsv remove 数据出境"],
    "edit": ['bitext glossary --file mine.tsv edit 网信办 --target "Cyberspace Administration of China"',
             'bitext glossary --file mine.tsv edit 网信办 --note "use the short form in titles"'],
    "lint": ["bitext glossary --file mine.tsv lint", "bitext glossary lint --strict --json"],
    "import": ["bitext glossary --file mine.tsv import terms.tbx",
               "bitext glossary --file mine.tsv import sheet.csv --replace",
               "bitext glossary import deepl.csv -o converted.tsv"],
    "export": ["bitext glossary --file mine.tsv export mine.tbx",
               "bitext glossary --file mine.tsv export deepl.csv --format csv-2col"],
    "suggest": ["bitext glossary suggest report.md --top 20",
                "bitext glossary suggest corpus/*.md --json"],
}
"""Examples shown under each subcommand's ``--help`` (kept here, next to the commands)."""

for _name, _lines in SUBCOMMAND_EXAMPLES.items():
    _cmd = glossary.commands.get(_name)
    if _cmd is not None and not _cmd.epilog:
        _cmd.epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in _lines)

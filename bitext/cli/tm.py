"""``bitext tm``: manage the SQLite translation memory (import, export, lookup, stats)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bitext.cli.common import print_json, setup_logging, show_progress, verbosity_options
from bitext.files import refuse_overwriting_inputs, require_file
from bitext.tm import (
    ImportCounts,
    TranslationMemory,
    check_memory,
    db_errors,
    default_path,
    repair_memory,
    vacuum_memory,
)

DB_HELP = "Memory file (default: tm.sqlite in the user data folder)."


def _db_option(f: Any) -> Any:
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=DB_HELP
    )(f)


def _open(db: Path | None, *, create: bool):  # type: ignore[no-untyped-def]
    """The memory: for reading (``create=False``) opened read-only, never created or changed."""
    return TranslationMemory(db, create=create)


def _db_path(db: Path | None) -> Path:
    return db if db is not None else default_path()


@click.group(
    epilog="""
\b
Examples:
  bitext tm import memory.tmx other.tmx --db tm.sqlite
  bitext tm lookup --db tm.sqlite "网络安全很重要。" --fuzzy 0.75
  bitext tm export --db tm.sqlite all.tmx
  bitext tm stats --db tm.sqlite --json
  bitext translate notice.md --tm tm.sqlite --tm-update
"""
)
def tm() -> None:
    """Translation memory: earlier translations reused before any machine output.

    The memory is one SQLite file (safe to share between processes). Exact matches
    ignore whitespace and full-/half-width punctuation differences; fuzzy matches use
    character-level similarity (0–1).
    """


@tm.command("import", epilog="""
\b
Examples:
  bitext tm import memory.tmx --db tm.sqlite
  bitext tm import a.tmx b.tmx --json        # into the default memory, counts as JSON
""")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON on stdout.")
@click.option("--allow-gist", is_flag=True,
              help="Store word-by-word gist units (labelled gist) instead of refusing the file.")
@verbosity_options
def import_(files: tuple[Path, ...], db: Path | None, as_json: bool, quiet: bool, verbose: int,
            allow_gist: bool = False) -> None:
    """Import TMX files (zh-* source, en-* target), streaming; duplicates are merged.

    Units lacking a Chinese or an English variant are skipped and counted. Dates,
    props, notes and tuids are kept. ``--json`` prints ``{"db", "read", "added"
    (= "imported"), "merged", "skipped", "units" (now in the memory), "files": [...]}``.
    """
    setup_logging(verbose, quiet)
    for f in files:  # every input checked before the memory is created or touched
        require_file(f)

    refuse_overwriting_inputs([("FILE", f) for f in files], [("--db", _db_path(db))])
    per_file: list[dict[str, object]] = []
    total = ImportCounts()
    target = _db_path(db)
    created = not target.exists()
    try:
        with db_errors(target), _open(db, create=True) as mem:
            _import_files(mem, files, quiet, per_file, total, allow_gist)
            size = len(mem)
            path = str(mem.path)
    except BaseException:
        if created:  # a failed first import leaves no new file behind
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(target) + suffix).unlink(missing_ok=True)
        raise
    if as_json:
        print_json({"db": path, **total.as_dict(), "imported": total.added, "units": size,
                    "files": per_file})
    elif not quiet:
        click.echo(
            f"{path}: {total.added} units added, {total.merged} duplicates merged, "
            f"{total.skipped} skipped (of {total.read} read); {size} units in the memory",
            err=True,
        )


def _import_files(mem: Any, files: tuple[Path, ...], quiet: bool, per_file: list[Any],
                  total: Any, allow_gist: bool = False) -> None:
    for f in files:
        counts = ImportCounts()
        if show_progress(quiet):
            done = [0]

            def tick(n: int, name: str = f.name, done: list[int] = done) -> None:
                done[0] += n
                click.echo(f"\rImporting {name}: {done[0]} units", err=True, nl=False)

            mem.import_tmx(f, counts=counts, progress=tick, allow_gist=allow_gist)
            click.echo("", err=True)
        else:
            mem.import_tmx(f, counts=counts, allow_gist=allow_gist)
        per_file.append({"file": str(f), **counts.as_dict()})
        for k in ("read", "added", "merged", "skipped"):
            setattr(total, k, getattr(total, k) + getattr(counts, k))


@tm.command("export", epilog="""
\b
Examples:
  bitext tm export --db tm.sqlite memory.tmx
""")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the count as JSON on stdout.")
@verbosity_options
def export(out: Path, db: Path | None, as_json: bool, quiet: bool, verbose: int) -> None:
    """Export the whole memory as one TMX 1.4b file (streamed, written atomically)."""
    setup_logging(verbose, quiet)

    refuse_overwriting_inputs([("--db", _db_path(db))], [("OUT", out)])
    with db_errors(_db_path(db)), _open(db, create=False) as mem:
        n = mem.export_tmx(out)
        path = str(mem.path)
    if as_json:
        print_json({"db": path, "out": str(out), "units": n})
    elif not quiet:
        click.echo(f"{out}: {n} units from {path}", err=True)


@tm.command("lookup", epilog="""
\b
Examples:
  bitext tm lookup --db tm.sqlite "网络安全很重要。"
  bitext tm lookup --db tm.sqlite "网络安全十分重要。" --fuzzy 0.7 --json
""")
@click.argument("text")
@_db_option
@click.option("--fuzzy", type=click.FloatRange(0.0, 1.0), default=None,
              help="Also list units at least this similar (0–1), best first.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Most fuzzy matches listed.")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON on stdout.")
@verbosity_options
def lookup(text: str, db: Path | None, fuzzy: float | None, limit: int, as_json: bool,
           quiet: bool, verbose: int) -> None:
    """Look a Chinese sentence up: the exact match's target, and fuzzy matches with --fuzzy.

    Prints the exact target on stdout (nothing when there is none); fuzzy matches follow
    as ``similarity<TAB>source<TAB>target`` lines. Exit code 0 either way. ``--json``
    prints ``{"query", "exact", "fuzzy": [{"similarity", "source", "target"}], "matches"}``
    (``matches``: the exact match, if any, then the fuzzy ones, each with a ``type``).
    """
    setup_logging(verbose, quiet)
    with db_errors(_db_path(db)), _open(db, create=False) as mem:
        exact = mem.lookup_exact(text)
        matches = mem.lookup_fuzzy(text, fuzzy, limit=limit) if fuzzy is not None else []
    if as_json:
        fuzzy_list = [{"similarity": s, "source": src, "target": tgt} for s, src, tgt in matches]
        every = ([{"type": "exact", "similarity": 1.0, "target": exact}] if exact is not None else [])
        every += [
            {"type": "fuzzy", **m} for m in fuzzy_list
            if not (exact is not None and m["similarity"] == 1.0 and m["target"] == exact)
        ]
        print_json({"query": text, "exact": exact, "fuzzy": fuzzy_list, "matches": every})
        return
    if exact is not None:
        click.echo(exact)
    elif not quiet and not matches:
        click.echo("no match", err=True)
    for s, src, tgt in matches:
        click.echo(f"{s:.2f}\t{src}\t{tgt}")


@tm.command("stats", epilog="""
\b
Examples:
  bitext tm stats --db tm.sqlite
  bitext tm stats --json
""")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
@verbosity_options
def stats(db: Path | None, as_json: bool, quiet: bool, verbose: int) -> None:
    """Show unit counts, language pairs, dates and file size of a memory."""
    setup_logging(verbose, quiet)
    with db_errors(_db_path(db)), _open(db, create=False) as mem:
        st = mem.stats()
    if as_json:
        print_json(st)
        return
    click.echo(f"memory:           {st['db']}")
    click.echo(f"units:            {st['units']}")
    click.echo(f"distinct sources: {st['distinct_sources']}")
    for pair, n in st["language_pairs"].items():
        click.echo(f"  {pair}: {n}")
    click.echo(f"oldest unit:      {st['oldest_unit'] or '-'}")
    click.echo(f"newest unit:      {st['newest_unit'] or '-'}")
    click.echo(f"size:             {st['size_bytes'] / 1e6:.1f} MB")


@tm.command("check", epilog="""
\b
Examples:
  bitext tm check --db tm.sqlite
""")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON on stdout.")
def check(db: Path | None, as_json: bool) -> None:
    """Check a memory without changing it (SQLite integrity, schema, fuzzy index).

    Exit status 0 when healthy, 1 when problems are found (each on one line).
    """
    path = _db_path(db)
    problems = check_memory(path)
    if as_json:
        print_json({"db": str(path), "ok": not problems, "problems": problems})
    else:
        for p in problems:
            click.echo(f"{path}: {p}")
        if not problems:
            click.echo(f"{path}: ok", err=True)
    if problems:
        raise SystemExit(1)


@tm.command("repair", epilog="""
\b
Examples:
  bitext tm repair --db tm.sqlite
""")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
def repair(db: Path | None, as_json: bool) -> None:
    """Back the memory up (NAME.bak-STAMP), then rebuild its fuzzy index from the units."""
    res = repair_memory(_db_path(db))
    if as_json:
        print_json(res)
    else:
        click.echo(f"{res['db']}: fuzzy index rebuilt for {res['indexed']} of {res['units']} units "
                   f"(backup: {res['backup']})", err=True)


@tm.command("vacuum", epilog="""
\b
Examples:
  bitext tm vacuum --db tm.sqlite
""")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
def vacuum(db: Path | None, as_json: bool) -> None:
    """Back the memory up (NAME.bak-STAMP), then compact it (SQLite VACUUM)."""
    res = vacuum_memory(_db_path(db))
    if as_json:
        print_json(res)
    else:
        click.echo(f"{res['db']}: {res['size_before']:,} → {res['size_after']:,} bytes "
                   f"(backup: {res['backup']})", err=True)

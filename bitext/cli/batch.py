"""``bitext batch translate`` / ``bitext batch align``: corpus runs that resume, on local
worker processes or a Ray cluster (thin: parse, one ``bitext.batch`` call, print)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from bitext import batch
from bitext.cli.common import print_json, setup_logging, show_progress, verbosity_options
from bitext.engines import engine_names

EXAMPLES = """
\b
Examples:
  bitext batch translate archive/ -o out/ --workers 2          # resumable; rerun skips done
  bitext batch translate files.txt -o out/ --json              # a manifest: one path per line
  bitext batch translate archive/ -o out/ --corpus-tmx all.tmx --tm tm.sqlite --tm-update
  bitext batch translate archive/ -o out/ --ray local --workers 4
  bitext batch translate /shared/in -o /shared/out --ray auto --device cuda --workers 8
  bitext batch align zh/ en/ -o beads/ --presplit --corpus-tmx corpus.tmx
  bitext batch align pairs.tsv -o out/                         # zh_path<TAB>en_path lines
"""


def _common(f: Any) -> Any:
    f = verbosity_options(f)
    f = click.option("--json", "as_json", is_flag=True,
                     help="Print the summary as JSON on stdout (done, skipped, failed, failures, "
                          "seconds, segments_per_s …).")(f)
    f = click.option("--corpus-tmx", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also write one TMX of every done document (merged once at the end).")(f)
    f = click.option("--ray", "ray_address", metavar="ADDRESS|local", default=None,
                     help="Run on Ray: 'local' starts a local instance, 'auto' or HOST:PORT joins "
                          "a cluster (pip install \"bitext[ray]\").")(f)
    f = click.option("--workers", type=click.IntRange(1, 1024), default=1, show_default=True,
                     help="Worker processes (Ray actors with --ray); each loads the engine once.")(f)
    f = click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
                     required=True, help="Output folder (mirrors the inputs' subfolders; "
                                         "holds the journal .bitext-batch.sqlite).")(f)
    return f


@click.group(epilog=EXAMPLES)
def batch_group() -> None:
    """Translate or align whole folders: resumable, in parallel, on one machine or Ray.

    A journal in the output folder records every document; a rerun skips what finished
    (unchanged input, same settings) and retries what failed. One broken document is
    reported and never stops the rest; the exit code is 1 when any failed.
    """


@contextlib.contextmanager
def _bar(quiet: bool) -> Iterator[tuple[Any, Any]]:
    """``plan`` and ``progress`` callbacks drawing a documents bar (segments alongside)."""
    state: dict[str, Any] = {"bar": None, "segments": 0}

    def plan(todo: int, skipped: int) -> None:
        if skipped and not quiet:
            click.echo(f"bitext: {skipped} document(s) already done (journal), skipped", err=True)
        if show_progress(quiet) and todo:
            state["bar"] = click.progressbar(
                length=todo, label="Documents", file=click.get_text_stream("stderr"),
                item_show_func=lambda s: s)
            state["bar"].__enter__()

    def progress(job: Any, outcome: Any) -> None:
        state["segments"] += outcome.segments
        if state["bar"] is not None:
            state["bar"].update(1, f"{state['segments']} segments")

    try:
        yield plan, progress
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


def _finish(report: batch.BatchReport, as_json: bool, quiet: bool) -> None:
    if as_json:
        print_json(report.as_dict())
    if not quiet:
        for f in report.failures:
            click.echo(f"bitext: failed: {f['path']}: {f['reason']}", err=True)
        if not as_json:
            click.echo(
                f"{report.done} done, {report.skipped} skipped, {report.failed} failed "
                f"in {report.seconds:.1f} s ({report.segments_per_s:.1f} segments/s, "
                f"{report.backend}, {report.workers} worker(s)); outputs in {report.out_dir}",
                err=True)
            if report.corpus_tmx:
                click.echo(f"  corpus TMX: {report.corpus_tmx} ({report.corpus_units} units)", err=True)
            if report.tm is not None:
                click.echo(f"  memory: {report.tm}", err=True)
    if report.failed:
        sys.exit(1)


@batch_group.command("translate", epilog=EXAMPLES)
@click.argument("source", metavar="SRC_DIR|MANIFEST", type=click.Path(path_type=Path))
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary TSV; repeatable, later files win.")
@click.option("--no-default-glossary", is_flag=True, help="Do not load the shipped glossary.")
@click.option("--engine", type=click.Choice(engine_names()), default=None,
              help="Engine (default: argos when a zh→en model is installed, else gloss).")
@click.option("--beam-size", type=click.IntRange(1, 16), default=None, help="Neural engines: beam size.")
@click.option("--compute-type", default=None, help="Neural engines: int8 (CPU default), float16, …")
@click.option("--threads", type=click.IntRange(0, 256), default=None,
              help="Neural engines: CPU threads per worker (default: CPUs / workers).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default=None,
              help="Neural engines: device (cuda: one GPU per Ray actor).")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              help="ct2 engine: CTranslate2 model folder.")
@click.option("--source-spm", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ct2 engine: source SentencePiece model.")
@click.option("--target-spm", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ct2 engine: target SentencePiece model.")
@click.option("--tm", "tm_db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Translation memory (SQLite): exact matches first.")
@click.option("--tm-fuzzy", type=click.FloatRange(0.0, 1.0), default=0.75, show_default=True,
              help="Similarity threshold for fuzzy memory suggestions.")
@click.option("--tm-update", is_flag=True,
              help="Add the new translations of all done documents to --tm, once at the end.")
@click.option("--overwrite", is_flag=True, help="XLIFF: also retranslate units already translated.")
@_common
def batch_translate(source: Path, glossaries: tuple[Path, ...], no_default_glossary: bool,
                    engine: str | None, tm_db: Path | None, tm_fuzzy: float, tm_update: bool,
                    overwrite: bool, output_dir: Path, workers: int, ray_address: str | None,
                    corpus_tmx: Path | None, as_json: bool, quiet: bool, verbose: int,
                    **engine_opts: Any) -> None:
    """Translate every document under SRC_DIR (recursively) or listed in MANIFEST.

    Each document gets what `bitext translate` writes (TMX, side-by-side HTML, English
    document), mirrored under -o.
    """
    setup_logging(verbose, quiet)
    if tm_update and tm_db is None:
        raise click.UsageError("--tm-update needs --tm DB (the memory to write to)")
    with _bar(quiet) as (plan, progress):
        report = batch.translate_batch(
            source, output_dir, glossaries=glossaries, default_glossaries=not no_default_glossary,
            engine=engine, engine_options=engine_opts, tm=tm_db, tm_fuzzy=tm_fuzzy,
            tm_update=tm_update, overwrite=overwrite, workers=workers, ray=ray_address,
            corpus_tmx=corpus_tmx, plan=plan, progress=progress)
    _finish(report, as_json, quiet)


@batch_group.command("align", epilog=EXAMPLES)
@click.argument("zh", metavar="ZH_DIR|MANIFEST", type=click.Path(path_type=Path))
@click.argument("en", metavar="[EN_DIR]", type=click.Path(path_type=Path), required=False)
@click.option("--presplit", is_flag=True, help="Inputs hold one sentence per line.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary TSV used as extra dictionary; repeatable.")
@click.option("--no-embeddings", is_flag=True,
              help="Leave out the sentence-vector signal (faster; dictionary and lengths only).")
@_common
def batch_align(zh: Path, en: Path | None, presplit: bool, glossaries: tuple[Path, ...],
                output_dir: Path, workers: int, ray_address: str | None, corpus_tmx: Path | None,
                as_json: bool, quiet: bool, verbose: int, no_embeddings: bool = False) -> None:
    """Align every pair of ZH_DIR and EN_DIR (same relative name without extension), or
    the pairs of a TSV MANIFEST (zh_path<TAB>en_path): <name>.align and <name>.tmx per pair."""
    setup_logging(verbose, quiet)
    with _bar(quiet) as (plan, progress):
        report = batch.align_batch(zh, en, output_dir, presplit=presplit, glossaries=glossaries,
                                   workers=workers, ray=ray_address, corpus_tmx=corpus_tmx,
                                   plan=plan, progress=progress, embeddings=not no_embeddings)
    _finish(report, as_json, quiet)

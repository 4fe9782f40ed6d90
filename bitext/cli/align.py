"""``bitext align`` (sentence-align a Chinese document with its English translation) and
``bitext eval-align`` (strict bead scoring against a gold alignment)."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from bitext import api
from bitext.alignment import embed, outputs
from bitext.alignment.beads import format_bead
from bitext.alignment.corpus import align_corpus, match_folders
from bitext.alignment.evaluate import evaluate_report
from bitext.cli.common import (
    check_output_paths,
    input_limit_option,
    print_json,
    progress_bar,
    setup_logging,
    show_progress,
    verbosity_options,
)
from bitext.engines import engine_names
from bitext.files import atomic_outputs
from bitext.terms.glossary import Glossary

ALIGN_EXAMPLES = """
\b
Examples:
  bitext align report.zh.md report.en.md --tmx memory.tmx --html check.html
  bitext align zh.txt en.txt --presplit --beads out.align      # one sentence per line
  bitext align zh.md en.md --omissions                        # list untranslated / added sentences
  bitext align zh.txt en.txt --presplit --mt zh.mt.txt --beads out.align --json
  bitext align zh.html en.html --glossary terms.tsv --tsv pairs.tsv
  bitext align zh.txt en.txt --engine argos --tmx memory.tmx   # translate the Chinese to help
  bitext align zh_dir/ en_dir/ --presplit --beads out/ --tmx corpus.tmx  # corpus mode
  bitext align zh.txt en.txt --no-embeddings                   # faster, without sentence vectors

\b
Inputs: documents (.txt, .md, .html; split into sentences with bitext's Chinese rules and
pysbd for English), or with --presplit one sentence per line, where the 0-based line
number is the sentence id. Blank lines keep their number and come out unaligned
([k]:[] or []:[k]), or inside a multi-sentence bead they fall within. With no output
option the beads are printed on stdout; an output named '-' goes to stdout.
"""

EVAL_EXAMPLES = """
\b
Examples:
  bitext eval-align mac-dev/gold out/                # pooled strict P/R/F1 + per file
  bitext eval-align mac-dev/gold out/ --json
"""


@contextlib.contextmanager
def _progress(zh_path: Path, quiet: bool, embeddings: bool = False) -> Iterator[Any]:
    """A progress bar for long alignments (rows of the Chinese side, three times with
    sentence vectors: encoding and the orphan passes' clauses count as much as the search;
    over 500 in all)."""
    rows = 0
    if show_progress(quiet):
        try:
            with open(zh_path, "rb") as f:
                rows = sum(1 for line in f if line.strip())
        except OSError:
            rows = 0
    with progress_bar(rows * (3 if embeddings else 1) + 1, "Aligning", quiet, minimum=502) as tick:
        yield tick


@contextlib.contextmanager
def _target(path: Path) -> Iterator[Path]:
    """Where to write ``path``: itself (``atomic_write`` writes devices and FIFOs directly),
    or for ``-`` a temporary file whose bytes go to stdout afterwards."""
    if str(path) != "-":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="bitext-align-") as d:
        tmp = Path(d) / "out"
        yield tmp
        click.echo(tmp.read_bytes(), nl=False)


@click.command(epilog=ALIGN_EXAMPLES)
@click.argument("zh_path", metavar="ZH", type=click.Path(path_type=Path))
@click.argument("en_path", metavar="EN", type=click.Path(path_type=Path))
@click.option("--presplit", is_flag=True, help="Inputs hold one sentence per line (ids = 0-based line numbers).")
@click.option("--beads", "beads_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write beads here, one per line: [i,j]:[k].")
@click.option("--tmx", "tmx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a TMX 1.4b translation memory (one tu per bead; unaligned ones marked).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a side-by-side HTML page (weak beads highlighted).")
@click.option("--tsv", "tsv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a TSV: zh, en, score.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary (TSV, CSV or TBX) used as extra dictionary, after the shipped and "
                   "user glossaries; repeatable.")
@click.option("--no-default-glossary", is_flag=True,
              help="Use only --glossary files (not the shipped and user glossaries).")
@click.option("--mt", "mt_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Machine translation of the Chinese side, one line per Chinese sentence "
                   "(per line with --presplit, per split sentence for documents).")
@click.option("--engine", type=click.Choice(engine_names()), default=None,
              help="Translate the Chinese side with this engine and use it as an extra signal.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
@click.option("--omissions", "show_omissions", is_flag=True,
              help="List the unaligned sentences (probable omissions and additions) on stdout, "
                   "then the doubtful ones (kept in a bead whose other side hardly explains them).")
@click.option("--srx", "srx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Split both sides' sentences with these SRX 2.0 rules (zh-CN and en maps).")
@click.option("--encoding", default=None, metavar="NAME",
              help="Read both inputs in this encoding (utf-8, gb18030, big5…) instead of detecting it.")
@click.option("--no-embeddings", is_flag=True,
              help="Leave out the sentence-vector signal (multilingual-e5-small): faster, "
                   "dictionary, names, numbers and lengths only.")
@input_limit_option
@verbosity_options
def align(zh_path: Path, en_path: Path, presplit: bool, beads_path: Path | None,
          tmx_path: Path | None, html_path: Path | None, tsv_path: Path | None,
          glossaries: tuple[Path, ...], no_default_glossary: bool, mt_path: Path | None, engine: str | None,
          as_json: bool, quiet: bool, verbose: int, srx_path: Path | None = None,
          show_omissions: bool = False, encoding: str | None = None,
          no_embeddings: bool = False) -> None:
    """Sentence-align a Chinese document ZH with its English translation EN.

    Finds 1–1, 1–2, 2–1, 2–2, 1–3, 3–1 … beads (and unaligned sentences) with one banded
    dynamic programme over length, dictionary (CC-CEDICT + glossaries), pinyin-name and
    number evidence, sentence vectors (a bundled multilingual-e5-small; --no-embeddings
    leaves them out), plus machine translation when given (--mt or --engine). A pair
    that does not look like a translation gives a warning (exit code 0; --json says so).

    Corpus mode: with two folders, every pair of files with the same name without
    extension is aligned in this one process (dictionary, jieba and the sentence encoder
    load once): --beads names a folder (<name>.align per pair), --tmx one TMX for the
    corpus.
    """
    setup_logging(verbose, quiet)
    if zh_path.is_dir() or en_path.is_dir():
        _corpus(zh_path, en_path, presplit, beads_path, tmx_path, html_path, tsv_path,
                glossaries, mt_path, engine, as_json, quiet, not no_embeddings)
        return
    if mt_path is not None and engine is not None:
        raise click.UsageError("give either --mt FILE or --engine NAME, not both")
    if as_json and "-" in {str(p) for p in (beads_path, tmx_path, html_path, tsv_path)}:
        raise click.UsageError("--json prints the summary on stdout: give the outputs file names, not '-'")
    check_output_paths(
        {"--beads": beads_path, "--tmx": tmx_path, "--html": html_path, "--tsv": tsv_path},
        [zh_path, en_path, *glossaries, *([mt_path] if mt_path else []),
         *([srx_path] if srx_path else [])],
    )
    t0 = time.perf_counter()
    with _progress(zh_path, quiet, not no_embeddings and embed.available()) as tick:
        pair = api.align(zh_path, en_path, presplit=presplit, glossaries=list(glossaries),
                         default_glossaries=not no_default_glossary,
                         mt=mt_path, engine=engine, progress=tick,
                         srx=api.load_srx(srx_path) if srx_path is not None and not presplit else None,
                         encoding=encoding, embeddings=not no_embeddings)
    beads, zh, en, summary = pair.beads, pair.zh, pair.en, pair.summary
    gfiles = pair.glossaries

    jobs: list[tuple[str, Path, Any]] = []
    if beads_path is not None:
        jobs.append(("beads", beads_path, lambda t: outputs.write_bead_file(t, beads)))
    if tmx_path is not None:
        jobs.append(("tmx", tmx_path, lambda t: outputs.write_tmx(
            t, beads, zh, en, zh_path=str(zh_path), en_path=str(en_path),
            signals=summary["signals"], glossaries=gfiles)))
    if html_path is not None:
        jobs.append(("html", html_path, lambda t: outputs.write_html(
            t, beads, zh, en, title=f"{zh_path.name} ↔ {en_path.name}", summary=summary)))
    if tsv_path is not None:
        jobs.append(("tsv", tsv_path, lambda t: outputs.write_tsv(t, beads, zh, en)))
    written: dict[str, str] = {}
    # All files or none: a failing output leaves the others as they were; '-' (stdout) last.
    with atomic_outputs():
        for kind, path, write in jobs:
            if str(path) != "-":
                write(path)
                written[kind] = str(path)
    for kind, path, write in jobs:
        if str(path) == "-":
            with _target(path) as t:
                write(t)
            written[kind] = str(path)
    written = {kind: str(path) for kind, path, _ in jobs}
    elapsed = time.perf_counter() - t0
    summary["outputs"] = written
    summary["elapsed_s"] = round(elapsed, 3)

    if summary["warning"] and not quiet:
        click.echo(f"bitext: warning: {summary['warning']}", err=True)
    if as_json:
        print_json(summary)
    elif show_omissions:
        click.echo(outputs.omission_report(summary), nl=False)
    elif not written:
        for b in beads:
            click.echo(format_bead(b.src_ids, b.tgt_ids))
    if not as_json and not quiet:
        click.echo(
            f"{zh_path.name} ↔ {en_path.name}: {summary['beads']} beads, mean confidence "
            f"{summary['mean_confidence']:.3f}, {summary['weak_beads']} weak ({elapsed:.2f} s)",
            err=True,
        )
        for kind, p in written.items():
            click.echo(f"  {kind}: {p}", err=True)


def _corpus(zh_dir: Path, en_dir: Path, presplit: bool, beads_dir: Path | None,
            tmx_path: Path | None, html_path: Path | None, tsv_path: Path | None,
            glossaries: tuple[Path, ...], mt_path: Path | None, engine: str | None,
            as_json: bool, quiet: bool, embeddings: bool = True) -> None:
    """``bitext align ZH_DIR EN_DIR --beads OUT_DIR [--tmx CORPUS.tmx]``."""
    if not (zh_dir.is_dir() and en_dir.is_dir()):
        raise click.UsageError("give two folders (corpus mode) or two files, not one of each")
    for flag, value in (("--html", html_path), ("--tsv", tsv_path), ("--mt", mt_path)):
        if value is not None:
            raise click.UsageError(f"{flag} is for one pair; in corpus mode give --beads DIR "
                                   "and --tmx FILE (or use `bitext batch align`)")
    if beads_dir is None:
        raise click.UsageError("corpus mode needs --beads OUT_DIR (one <name>.align per pair)")
    if beads_dir.exists() and not beads_dir.is_dir():
        raise click.UsageError(f"--beads {beads_dir}: in corpus mode this is a folder")
    t0 = time.perf_counter()
    pairs = match_folders(zh_dir, en_dir, presplit=presplit)
    g = Glossary.load(list(glossaries)) if glossaries else None
    eng = api.load_engine(engine) if engine else None
    with progress_bar(len(pairs), "Aligning", quiet) as tick:
        report = align_corpus(
            pairs, beads_dir, presplit=presplit,
            glossary_pairs=[(e.source, e.target) for e in g] if g else [],
            glossary_files=g.provenance() if g else (), engine=eng, tmx=tmx_path,
            progress=(lambda _k: tick(1)) if tick else None, embeddings=embeddings)
    elapsed = time.perf_counter() - t0
    if as_json:
        print_json({**report.as_dict(), "beads_dir": str(beads_dir),
                    "tmx": str(tmx_path) if tmx_path else None, "elapsed_s": round(elapsed, 3)})
    elif not quiet:
        click.echo(f"{len(pairs)} pairs, {report.beads} beads in {elapsed:.2f} s; "
                   f"beads in {beads_dir}" + (f", TMX {tmx_path}" if tmx_path else ""), err=True)


@click.command("eval-align", epilog=EVAL_EXAMPLES)
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("auto_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@input_limit_option
def eval_align(gold_dir: Path, auto_dir: Path, as_json: bool) -> None:
    """Strict bead scores of the *.align files in AUTO_DIR against GOLD_DIR.

    A predicted bead counts only when a gold bead has exactly the same Chinese and English
    line sets; precision, recall and F1 are pooled over all files (sums of counts, as in
    the Bertalign paper), and given per file too. A gold file with no automatic
    counterpart counts as predicting nothing (a warning names it); automatic files with no
    gold counterpart are not scored; a file whose beads cover other lines than the gold
    file's gets a warning. No automatic file matching any gold file is an error (exit 1).
    """
    rep = evaluate_report(gold_dir, auto_dir)
    total, per = rep.total, rep.files
    notes = list(rep.warnings)
    if rep.missing:
        notes.append(f"{len(rep.missing)} gold file(s) have no file in {auto_dir}, scored as "
                     f"predicting nothing: {', '.join(rep.missing)}")
    if rep.extra:
        notes.append(f"{len(rep.extra)} file(s) in {auto_dir} have no gold file, not scored: "
                     f"{', '.join(rep.extra)}")
    for line in notes:
        click.echo(f"bitext: warning: {line}", err=True)
    if as_json:
        print_json({"pooled": total.as_dict(), "files": {k: v.as_dict() for k, v in per.items()},
                    "missing": list(rep.missing), "extra": list(rep.extra),
                    "warnings": list(rep.warnings)})
        return
    width = max([20, *(len(n) + 1 for n in per)])
    click.echo(f"{'file':<{width}} {'P':>7} {'R':>7} {'F1':>7} {'match':>6} {'pred':>6} {'gold':>6}")
    for name, s in per.items():
        click.echo(f"{name:<{width}} {s.precision:7.4f} {s.recall:7.4f} {s.f1:7.4f} "
                   f"{s.matched:6d} {s.predicted:6d} {s.gold:6d}")
    click.echo(f"{'pooled':<{width}} {total.precision:7.4f} {total.recall:7.4f} {total.f1:7.4f} "
               f"{total.matched:6d} {total.predicted:6d} {total.gold:6d}")

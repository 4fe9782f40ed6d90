"""``bitext align`` (sentence-align a Chinese document with its English translation) and
``bitext eval-align`` (strict bead scoring against a gold alignment)."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import click
from bitext.cli.common import input_limit_option, print_json, show_progress, verbosity_options

ALIGN_EXAMPLES = """
\b
Examples:
  bitext align report.zh.md report.en.md --tmx memory.tmx --html check.html
  bitext align zh.txt en.txt --presplit --beads out.align      # one sentence per line
  bitext align zh.txt en.txt --presplit --mt zh.mt.txt --beads out.align --json
  bitext align zh.html en.html --glossary terms.tsv --tsv pairs.tsv
  bitext align zh.txt en.txt --engine argos --tmx memory.tmx   # translate the Chinese to help

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


def _read_lines(path: Path) -> list[str]:
    """One sentence per line: any encoding ``bitext.files`` knows, CRLF/CR/LF line ends."""
    from bitext.files import read_text

    text, _ = read_text(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _read_document(path: Path, lang: str) -> list[str]:
    """Sentences of a document: Chinese via the readers' rules, English re-split with pysbd."""
    from bitext import readers
    from bitext.errors import FormatError

    try:
        fmt = readers.format_of(path)
    except FormatError:
        fmt = ""
    if fmt not in ("txt", "md", "html"):
        raise FormatError(
            f"bitext align reads .txt, .md and .html documents, not '{path.suffix or '(no extension)'}'"
            " (for one sentence per line, whatever the extension, add --presplit)",
            str(path),
        )
    doc = readers.read(path, fmt)
    if lang == "zh":
        return [s.text for s in doc.segments]
    from bitext.segment.en import split_sentences

    out: list[str] = []
    for b in doc.blocks:
        if not b.translatable:
            continue
        if b.kind == "heading":
            out.append(b.text.strip())
        else:
            out.extend(split_sentences(b.text))
    return out


def _check_output_paths(outs: dict[str, Path | None], inputs: Sequence[Path]) -> None:
    """Refuse an empty output path, two outputs on one file, or an output over an input.

    Raises:
        click.UsageError / OutputConflictError: one of those (exit code 2), before anything
            is read or written (same-file detection by inode).
    """
    from bitext.files import refuse_overwriting_inputs

    for flag, p in outs.items():
        if p is not None and str(p) != "-" and not p.name.strip():
            raise click.UsageError(f"{flag} needs a file name")
    refuse_overwriting_inputs([("input", p) for p in inputs], list(outs.items()))


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


def _engine_names() -> list[str]:
    from bitext.engines import engine_names

    return engine_names()


def align_lines(aligner, zh: Sequence[str], en: Sequence[str], mt: Sequence[str] | None,  # type: ignore[no-untyped-def]
                progress=None):
    """Align sentence lists keeping blank lines as unaligned beads at their place.

    Blank lines are left out of the search. One that falls inside a multi-sentence bead
    (between its first and last sentence) joins that bead, so that every bead stays a
    contiguous run and both sides stay in order; the others become ``[k]:[]`` / ``[]:[k]``.
    """
    from bitext.align import Alignment

    zi = [k for k, s in enumerate(zh) if s.strip()]
    ei = [k for k, s in enumerate(en) if s.strip()]
    sub = aligner.align([zh[k] for k in zi], [en[k] for k in ei],
                        mt=[mt[k] for k in zi] if mt is not None else None, progress=progress)

    def run(ids: tuple[int, ...], index: list[int]) -> tuple[int, ...]:
        return tuple(range(index[ids[0]], index[ids[-1]] + 1)) if ids else ()

    mapped = [Alignment(run(b.src_ids, zi), run(b.tgt_ids, ei), b.score) for b in sub]
    inside_zh = {k for b in mapped for k in b.src_ids}
    inside_en = {k for b in mapped for k in b.tgt_ids}
    blank_zh = [k for k, s in enumerate(zh) if not s.strip() and k not in inside_zh]
    blank_en = [k for k, s in enumerate(en) if not s.strip() and k not in inside_en]
    if not blank_zh and not blank_en:
        return mapped
    out: list = []
    bz = be = 0
    for b in mapped:
        first_z = b.src_ids[0] if b.src_ids else None
        first_e = b.tgt_ids[0] if b.tgt_ids else None
        while bz < len(blank_zh) and (first_z is not None and blank_zh[bz] < first_z):
            out.append(Alignment((blank_zh[bz],), (), 0.0))
            bz += 1
        while be < len(blank_en) and (first_e is not None and blank_en[be] < first_e):
            out.append(Alignment((), (blank_en[be],), 0.0))
            be += 1
        out.append(b)
    out.extend(Alignment((k,), (), 0.0) for k in blank_zh[bz:])
    out.extend(Alignment((), (k,), 0.0) for k in blank_en[be:])
    return out


@click.command(epilog=ALIGN_EXAMPLES)
@click.argument("zh_path", metavar="ZH", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("en_path", metavar="EN", type=click.Path(dir_okay=False, path_type=Path))
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
              help="Glossary TSV (source, target) used as extra dictionary; repeatable.")
@click.option("--mt", "mt_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Machine translation of the Chinese side, one line per Chinese sentence "
                   "(per line with --presplit, per split sentence for documents).")
@click.option("--engine", type=click.Choice(_engine_names()), default=None,
              help="Translate the Chinese side with this engine and use it as an extra signal.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
@input_limit_option
@verbosity_options
def align(zh_path: Path, en_path: Path, presplit: bool, beads_path: Path | None,
          tmx_path: Path | None, html_path: Path | None, tsv_path: Path | None,
          glossaries: tuple[Path, ...], mt_path: Path | None, engine: str | None,
          as_json: bool, quiet: bool, verbose: int) -> None:
    """Sentence-align a Chinese document ZH with its English translation EN.

    Finds 1–1, 1–2, 2–1, 2–2, 1–3, 3–1 … beads (and unaligned sentences) with one banded
    dynamic programme over length, dictionary (CC-CEDICT + glossaries), pinyin-name and
    number evidence, plus machine translation when given (--mt or --engine). A pair
    that does not look like a translation gives a warning (exit code 0; --json says so).
    """
    from bitext.cli.main import setup_logging

    setup_logging(verbose, quiet)
    if mt_path is not None and engine is not None:
        raise click.UsageError("give either --mt FILE or --engine NAME, not both")
    if as_json and "-" in {str(p) for p in (beads_path, tmx_path, html_path, tsv_path)}:
        raise click.UsageError("--json prints the summary on stdout: give the outputs file names, not '-'")
    _check_output_paths(
        {"--beads": beads_path, "--tmx": tmx_path, "--html": html_path, "--tsv": tsv_path},
        [zh_path, en_path, *glossaries, *([mt_path] if mt_path else [])],
    )
    from bitext.align import Aligner, outputs
    from bitext.errors import AlignmentError

    t0 = time.perf_counter()
    if presplit:
        zh, en = _read_lines(zh_path), _read_lines(en_path)
    else:
        zh, en = _read_document(zh_path, "zh"), _read_document(en_path, "en")

    pairs: list[tuple[str, str]] = []
    gfiles: tuple[tuple[str, str], ...] = ()
    if glossaries:
        from bitext.terms.glossary import Glossary

        gloss = Glossary.load(list(glossaries))
        pairs = [(e.source, e.target) for e in gloss]
        gfiles = gloss.files

    mt: list[str] | None = None
    signals = ["length", "lexicon"]
    if mt_path is not None:
        mt = _read_lines(mt_path)
        if len(mt) != len(zh):
            raise AlignmentError(
                f"{mt_path}: {len(mt)} lines, but the Chinese side has {len(zh)} sentences; "
                "--mt needs one line per Chinese sentence"
            )
        signals.append("mt")
    elif engine is not None:
        from bitext.engines import create_engine

        eng = create_engine(engine)
        todo = [s for s in zh if s.strip()]
        res = iter(eng.translate_batch(todo)) if todo else iter(())
        mt = [next(res).text if s.strip() else "" for s in zh]
        signals.append(f"mt:{eng.signature()}")

    aligner = Aligner(pairs)
    n_rows = sum(1 for s in zh if s.strip())
    if show_progress(quiet) and n_rows > 500:
        with click.progressbar(length=n_rows + 1, label="Aligning",
                               file=click.get_text_stream("stderr")) as bar:
            beads = align_lines(aligner, zh, en, mt, progress=bar.update)
    else:
        beads = align_lines(aligner, zh, en, mt)

    summary = outputs.summarise(beads, n_rows, sum(1 for s in en if s.strip()), zh, en)
    summary["signals"] = "+".join(signals)
    summary["glossaries"] = [{"path": p, "sha256": h} for p, h in gfiles]
    written: dict[str, str] = {}
    if beads_path is not None:
        with _target(beads_path) as t:
            outputs.write_bead_file(t, beads)
        written["beads"] = str(beads_path)
    if tmx_path is not None:
        with _target(tmx_path) as t:
            outputs.write_tmx(t, beads, zh, en, zh_path=str(zh_path), en_path=str(en_path),
                              signals=summary["signals"], glossaries=gfiles)
        written["tmx"] = str(tmx_path)
    if html_path is not None:
        with _target(html_path) as t:
            outputs.write_html(t, beads, zh, en, title=f"{zh_path.name} ↔ {en_path.name}",
                               summary=summary)
        written["html"] = str(html_path)
    if tsv_path is not None:
        with _target(tsv_path) as t:
            outputs.write_tsv(t, beads, zh, en)
        written["tsv"] = str(tsv_path)
    elapsed = time.perf_counter() - t0
    summary["outputs"] = written
    summary["elapsed_s"] = round(elapsed, 3)

    if summary["warning"] and not quiet:
        click.echo(f"bitext: warning: {summary['warning']}", err=True)
    if as_json:
        print_json(summary)
    elif not written:
        from bitext.align.beads import format_bead

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
    from bitext.align.evaluate import evaluate_report

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

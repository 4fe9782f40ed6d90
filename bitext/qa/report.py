"""``bitext check`` without the terminal: read (id, source, target) pairs from a bilingual
file, run ``bitext.qa.checks.check_pair`` on each, and render the report as a dict (JSON),
plain text or a self-contained HTML page.

Readable files: TMX (streamed, any size), XLIFF 1.2/2.x (``trans-unit``/``unit`` with
``source`` and ``target``) and the side-by-side HTML page ``bitext translate`` writes
(``tr.seg`` rows with ``td.src``/``td.tgt``). All XML is parsed with
``resolve_entities=False, no_network=True``.
"""

from __future__ import annotations

import html as _html
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext.errors import FormatError
from bitext.terms.glossary import Glossary
from bitext.files import parse_xml
from bitext.document import Finding

log = logging.getLogger(__name__)

FORMATS = {".tmx": "tmx", ".xlf": "xliff", ".xliff": "xliff", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Pair:
    """One unit under review."""

    id: str
    source: str
    target: str


@dataclass
class Report:
    """Findings on one file, with counts."""

    file: str
    format: str
    units: int = 0
    findings: list[Finding] = field(default_factory=list)
    glossaries: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return sum(1 for f in self.findings if f.severity == "warning")

    def summary(self) -> dict[str, Any]:
        """Counts: units, errors, warnings, per check, units with issues."""
        return {
            "file": self.file,
            "format": self.format,
            "units": self.units,
            "units_with_issues": len({f.segment_id for f in self.findings}),
            "issues": len(self.findings),
            "errors": self.errors,
            "warnings": self.warnings,
            "by_check": dict(sorted(Counter(f.check for f in self.findings).items())),
            "glossaries": list(self.glossaries),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``{"issues": [{tuid, check, severity, message}], "summary": {…}}``."""
        return {
            "issues": [
                {"tuid": f.segment_id, "check": f.check, "severity": f.severity, "message": f.message}
                for f in self.findings
            ],
            "summary": self.summary(),
        }


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """``tmx``, ``xliff`` or ``html`` from ``fmt`` or the extension.

    Raises:
        FormatError: unsupported extension.
    """
    if fmt:
        return fmt
    ext = Path(path).suffix.lower()
    try:
        return FORMATS[ext]
    except KeyError:
        raise FormatError(
            f"cannot check '{ext or '(no extension)'}' files; give a .tmx, .xlf/.xliff or the "
            ".html page bitext writes",
            str(path),
        ) from None


def read_tmx_pairs(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> Iterator[Pair]:
    """Pairs from a TMX file (streamed). Units without a ``tuid`` get ``#n`` (1-based).

    The source variant is the one in ``source_lang`` (default ``zh``: the checks are for
    Chinese→English, so a memory kept the other way round, ``srclang="en-US"``, is still
    read with Chinese as the source); the target is the one in ``target_lang`` (default
    ``en``), else the first other variant; a missing target reads as empty.
    """
    from bitext.readers.tmx import iter_units, lang_matches, read_header

    read_header(path)  # refuse a non-TMX file up front, with a clear message
    source_lang = source_lang or "zh"
    target_lang = target_lang or "en"
    for n, u in enumerate(iter_units(path), start=1):
        source = target = None
        for lang, text in u.variants:
            if source is None and lang_matches(lang, source_lang):
                source = text
            elif target is None and lang_matches(lang, target_lang):
                target = text
        if target is None:
            others = [t for lang, t in u.variants if not lang_matches(lang, source_lang)]
            target = others[0] if others else ""
        if source is None:
            source = next((t for lang, t in u.variants if not lang_matches(lang, target_lang)), "")
        yield Pair(u.tuid if u.tuid else f"#{n}", source, target)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xliff_text(el: Any) -> str:
    """Text of an XLIFF source/target: inline codes' native data dropped, ``mrk``/``g`` kept."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if _local(child.tag) in ("g", "mrk", "pc", "sub"):
            parts.append(_xliff_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _translatable(el: Any) -> bool:
    """XLIFF ``translate`` as inherited from the nearest ancestor that sets it."""
    while el is not None:
        value = el.get("translate")
        if value is not None:
            return value.strip().lower() not in ("no", "false")
        el = el.getparent()
    return True


def read_xliff_pairs(path: str | Path) -> Iterator[Pair]:
    """Pairs from XLIFF 1.2 ``trans-unit`` or XLIFF 2 ``unit``/``segment`` elements.

    Units marked ``translate="no"`` (directly or on an enclosing group or file) are skipped.
    """
    tree = parse_xml(path)
    root = tree.getroot()
    if _local(root.tag) != "xliff":
        raise FormatError(f"not an XLIFF file: the root element is <{_local(root.tag)}>", str(path))
    n = 0
    for el in root.iter():
        name = _local(el.tag)
        if name in ("trans-unit", "segment") and not _translatable(el):
            continue  # translate="no" on the unit or an enclosing group/file
        if name == "trans-unit":
            n += 1
            src = tgt = None
            for c in el:
                if _local(c.tag) == "source" and src is None:
                    src = c
                elif _local(c.tag) == "target" and tgt is None:
                    tgt = c
            yield Pair(el.get("id") or f"#{n}", _xliff_text(src), _xliff_text(tgt))
        elif name == "segment" and el.getparent() is not None and _local(el.getparent().tag) == "unit":
            n += 1
            unit = el.getparent()
            segs = [c for c in unit if _local(c.tag) == "segment"]
            sid = el.get("id") or (
                unit.get("id", f"#{n}") + (f".{segs.index(el) + 1}" if len(segs) > 1 else "")
            )
            src = next((c for c in el if _local(c.tag) == "source"), None)
            tgt = next((c for c in el if _local(c.tag) == "target"), None)
            yield Pair(sid, _xliff_text(src), _xliff_text(tgt))


def read_html_pairs(path: str | Path) -> Iterator[Pair]:
    """Pairs from the side-by-side page: ``tr.seg`` rows, text of ``td.src``/``td.tgt``."""
    from lxml import etree
    from lxml import html as lhtml

    from bitext.files import read_text

    text, _ = read_text(path)
    try:
        doc = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:  # ParserError on empty documents
        raise FormatError(f"cannot parse HTML: {e}", str(path)) from None
    rows = doc.xpath("//tr[contains(concat(' ', normalize-space(@class), ' '), ' seg ')]")
    if not rows:
        raise FormatError(
            "no segment rows (tr.seg) found: give the side-by-side page bitext translate writes",
            str(path),
        )

    def cell_text(tr: Any, cls: str) -> str:
        cells = tr.xpath(f"./td[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
        if not cells:
            return ""
        texts = cells[0].xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' text ')]")
        if texts:
            return "".join(t.text_content() for t in texts)
        return ""

    for n, tr in enumerate(rows, start=1):
        yield Pair(tr.get("id") or f"#{n}", cell_text(tr, "src"), cell_text(tr, "tgt"))


def read_pairs(
    path: str | Path,
    fmt: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Iterator[Pair]:
    """Pairs from any supported file (see module doc).

    Raises:
        FormatError: unsupported, missing or malformed file.
    """
    from bitext.files import require_file

    p = require_file(path)
    kind = format_of(p, fmt)
    if kind == "tmx":
        return read_tmx_pairs(p, source_lang, target_lang)
    if kind == "xliff":
        return read_xliff_pairs(p)
    return read_html_pairs(p)


def check_file(
    path: str | Path,
    glossary: Glossary | None = None,
    *,
    fmt: str | None = None,
    checks: Sequence[str] | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    progress: Any = None,
) -> Report:
    """Check every unit of a file and collect the findings.

    Args:
        path: TMX, XLIFF or side-by-side HTML file.
        glossary: terms to verify.
        fmt: force a format instead of guessing from the extension.
        checks: check names to run (None: all of ``bitext.qa.checks.CHECKS``).
        source_lang / target_lang: TMX language prefixes.
        progress: called with 1 after each unit.
    """
    from bitext.qa.checks import check_pair

    kind = format_of(path, fmt)
    report = Report(str(path), kind, glossaries=tuple(p for p, _ in glossary.files) if glossary else ())
    for pair in read_pairs(path, kind, source_lang, target_lang):
        report.units += 1
        report.findings.extend(check_pair(pair.id, pair.source, pair.target, glossary, checks=checks))
        if progress is not None:
            progress(1)
    return report


def render_text(report: Report) -> str:
    """One line per issue (``tuid  severity  check  message``) and a summary line."""
    lines = [f"{f.segment_id}\t{f.severity}\t{f.check}\t{f.message}" for f in report.findings]
    s = report.summary()
    by = ", ".join(f"{k} {v}" for k, v in s["by_check"].items())
    lines.append(
        f"{report.file}: {s['units']} units, {s['errors']} errors, {s['warnings']} warnings"
        + (f" ({by})" if by else "")
    )
    return "\n".join(lines)


def render_html(report: Report) -> str:
    """A self-contained HTML page (inline CSS, no script); every text is escaped."""
    e = _html.escape
    s = report.summary()
    rows: list[str] = []
    for f in report.findings:
        rows.append(
            f'<tr class="{e(f.severity)}" data-check="{e(f.check)}"><td class="tuid">{e(f.segment_id)}</td>'
            f"<td>{e(f.severity)}</td><td>{e(f.check)}</td><td>{e(f.message)}</td></tr>"
        )
    by = "".join(f"<li>{e(k)}: {v}</li>" for k, v in s["by_check"].items())
    gl = "".join(f"<li>{e(g)}</li>" for g in s["glossaries"])
    body = (
        "<table><thead><tr><th>Unit</th><th>Severity</th><th>Check</th><th>Message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="clean">No issues found.</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>bitext check: {e(report.file)}</title><style>"
        "body{font:15px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:1200px;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;"
        "text-align:left;vertical-align:top}tr.error td{background:#fde7ea}"
        "tr.warning td{background:#fff4e0}.clean{color:#1b6e20}"
        "</style></head><body>"
        f"<h1>bitext check: {e(report.file)}</h1>"
        f'<p class="summary"><span data-count="units">{s["units"]}</span> units, '
        f'<span data-count="errors">{s["errors"]}</span> errors, '
        f'<span data-count="warnings">{s["warnings"]}</span> warnings.</p>'
        f"<ul class=\"by-check\">{by}</ul>"
        + (f"<p>Glossaries:</p><ul class=\"glossaries\">{gl}</ul>" if gl else "")
        + f"{body}</body></html>\n"
    )

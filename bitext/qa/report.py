"""``bitext check`` without the terminal: read (id, source, target) pairs from a bilingual
file, run ``bitext.qa.checks.check_pair`` on each, and render the report as a dict (JSON),
plain text or a self-contained HTML page.

Readable files: TMX (streamed, any size), XLIFF 1.2/2.x (``trans-unit``/``unit`` with
``source`` and ``target``) and the side-by-side HTML page ``bitext translate`` writes
(``tr.seg`` rows with ``td.src``/``td.tgt``). All XML is parsed with
``resolve_entities=False, no_network=True``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from bitext import readers
from bitext.document import Finding, Pair
from bitext.qa.checks import check_pair
from bitext.terms.glossary import Glossary
from bitext.writers import htmlpage
from bitext.writers.htmlpage import add_text, el

log = logging.getLogger(__name__)

@dataclass
class Report:
    """Findings on one file, with counts."""

    file: str
    format: str
    units: int = 0
    findings: list[Finding] = field(default_factory=list)
    glossaries: tuple[str, ...] = ()
    pairs: list[Pair] = field(default_factory=list)
    """The unit each finding is about, parallel to ``findings`` (for the HTML report)."""

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
    kind = readers.format_of(path, fmt, kind="bilingual")
    report = Report(PurePath(path).name, kind, glossaries=tuple(n for n, _ in glossary.provenance()) if glossary else ())
    for pair in readers.read_pairs(path, kind, source_lang, target_lang):
        report.units += 1
        found = check_pair(pair.id, pair.source, pair.target, glossary, checks=checks, keep=pair.keep)
        report.findings.extend(found)
        report.pairs.extend([pair] * len(found))
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


_CSS = """
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; color: #1d1d1f; background: #fff;
  font-size: 15px; line-height: 1.5; }
h1 { font-size: 1.3rem; margin: .2rem 0 .5rem; overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0; padding: 0; list-style: none; }
.summary li { border: 1px solid #ddd; border-radius: 6px; padding: .15rem .6rem; }
.summary .n { font-weight: 600; }
.summary a { color: inherit; }
.summary li.bad { color: #b00020; border-color: #b00020; }
.meta { color: #595959; font-size: .9rem; overflow-wrap: anywhere; }
table.findings { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.findings col.unit { width: 8rem; } table.findings col.sev { width: 5.5rem; } table.findings col.chk { width: 7rem; }
th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; z-index: 1; }
td.unit { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
tr.sev-error td.sev { color: #b00020; font-weight: 600; }
tr.sev-warning td.sev { color: #7a4f00; font-weight: 600; }
tr.sev-error td.unit { border-left: 4px solid #b00020; } tr.sev-warning td.unit { border-left: 4px solid #7a4f00; }
p.msg { margin: 0 0 .3rem; font-weight: 600; }
dl.pair { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem .6rem; margin: 0; }
dl.pair dt { color: #595959; font-size: .85rem; }
dl.pair dd { margin: 0; overflow-wrap: anywhere; }
mark { background: #ffe08a; color: #1d1d1f; padding: 0 1px; border-bottom: 2px solid #b00020; }
.clean { color: #1b6e20; }
footer { color: #595959; font-size: .8rem; margin-top: 1.5rem; border-top: 1px solid #ddd; }
@media (max-width: 700px) {
  table.findings, table.findings tbody, table.findings tr, table.findings td { display: block; width: auto; }
  table.findings colgroup, table.findings thead { display: none; }
  table.findings tr { border-top: 2px solid #ddd; padding: .2rem 0; }
  table.findings td { border: 0; padding: .1rem .3rem; }
  table.findings td.sev, table.findings td.chk { display: inline-block; }
  tr.sev-error td.unit, tr.sev-warning td.unit { border-left: 0; }
  tr.sev-error { border-left: 4px solid #b00020; } tr.sev-warning { border-left: 4px solid #7a4f00; }
}
"""

_TERM_MESSAGE = re.compile(r"^'(.+?)' should be rendered '")


def highlights(f: Finding, pair: Pair) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans to ``<mark>`` in the source and in the target for one finding.

    ``term``: every occurrence of the glossary source named in the message; ``number``: the
    source quantity the target does not express; ``untranslated``: the Chinese left in the
    target. Other checks mark nothing."""
    src: list[tuple[int, int]] = []
    tgt: list[tuple[int, int]] = []
    if f.check == "term":
        m = _TERM_MESSAGE.match(f.message)
        if m:
            term = m.group(1)
            at = pair.source.find(term)
            while term and at >= 0:
                src.append((at, at + len(term)))
                at = pair.source.find(term, at + len(term))
    elif f.check == "number":
        from bitext.qa.numbers import missing_numbers

        for q in missing_numbers(pair.source, pair.target):
            if f"number {q.describe()} " in f.message:
                src.append((q.start, q.start + len(q.text)))
    elif f.check == "untranslated":
        import regex

        tgt = [(m.start(), m.end()) for m in regex.finditer(r"\p{Han}+", pair.target)]
    return src, tgt


def _marked(parent: Any, text: str, spans: list[tuple[int, int]]) -> None:
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        add_text(parent, text[pos:start])
        el(parent, "mark", text[start:end])
        pos = end
    add_text(parent, text[pos:])


def page_href(page: str | Path | None, output: str | Path | None) -> str | None:
    """How a report written to ``output`` links to the side-by-side ``page`` (relative when
    both are files on this machine; None when there is no page)."""
    import os
    from urllib.parse import quote

    if page is None:
        return None
    p = str(page)
    if output is not None:
        p = os.path.relpath(os.path.abspath(p), os.path.dirname(os.path.abspath(str(output))))
    return quote(p.replace(os.sep, "/"))


def render_html(report: Report, *, page: str | None = None) -> str:
    """A self-contained HTML page (inline CSS, one hashed inline script under a strict CSP);
    every text is escaped.

    A summary on top (units, errors, warnings, per check — each a link to its filter), a
    search box and filters by check and severity, and one row per finding: unit (a link to
    ``page#unit`` when the side-by-side page is known), severity, check, message, and the
    unit's source and target with the offending term or number in ``<mark>``.

    Args:
        report: the findings.
        page: the side-by-side page's URL as the report should link to it (see ``page_href``).
    """
    from urllib.parse import quote


    el, add = htmlpage.el, htmlpage.add_text
    s = report.summary()
    html, head, body = htmlpage.new_page(f"bitext check: {report.file}")
    el(head, "meta", name="generator", content="bitext check")
    header = el(body, "header")
    el(header, "h1", f"bitext check: {report.file}")
    summary = el(header, "ul", class_="summary", aria_label="Summary")
    li = el(summary, "li")
    el(li, "span", str(s["units"]), class_="n", data_count="units")
    add(li, " units")
    li = el(summary, "li", class_="bad" if s["errors"] else "")
    a = el(li, "a", href="#show-sev-error", data_show="show-sev-error")
    el(a, "span", str(s["errors"]), class_="n", data_count="errors")
    add(a, " errors")
    li = el(summary, "li")
    a = el(li, "a", href="#show-sev-warning", data_show="show-sev-warning")
    el(a, "span", str(s["warnings"]), class_="n", data_count="warnings")
    add(a, " warnings")
    for check, n in s["by_check"].items():
        li = el(summary, "li", class_="by-check", data_check=check)
        a = el(li, "a", href=f"#show-check-{check}", data_show=f"show-check-{check}")
        el(a, "span", str(n), class_="n")
        add(a, f" {check}")
    meta = el(header, "p", f"{s['units_with_issues']} of {s['units']} units with issues · format "
              f"{report.format}", class_="meta")
    if s["glossaries"]:
        add(meta, " · glossaries: " + ", ".join(s["glossaries"]))
    if page:
        add(meta, " · unit ids link to ")
        el(meta, "a", page, href=page)
    if report.findings:
        htmlpage.tools(header, filters=[
            ("Check", [("show-check-all", "All checks", "")]
             + [(f"show-check-{c}", c, f".check-{c}") for c in s["by_check"]]),
            ("Severity", [("show-sev-all", "All", ""), ("show-sev-error", "Errors only", ".sev-error"),
                          ("show-sev-warning", "Warnings only", ".sev-warning")]),
        ], flag_label="error")
    main = el(body, "main")
    if report.findings:
        table = el(main, "table", class_="findings", data_rows="tr.finding",
                   data_search="td.unit, dl.pair dd, p.msg", data_flag=".sev-error")
        cols = el(table, "colgroup")
        for c in ("unit", "sev", "chk", "what"):
            el(cols, "col", class_=c)
        tr = el(el(table, "thead"), "tr")
        for label in ("Unit", "Severity", "Check", "Finding: source and target"):
            el(tr, "th", label, scope="col")
        tbody = el(table, "tbody")
        pairs = report.pairs if len(report.pairs) == len(report.findings) else [None] * len(report.findings)
        for k, (f, pair) in enumerate(zip(report.findings, pairs), start=1):
            tr = el(tbody, "tr", id=f"f{k}", class_=f"finding sev-{f.severity} check-{f.check}",
                    data_check=f.check, data_unit=f.segment_id)
            unit = el(tr, "td", class_="unit")
            if page:
                el(unit, "a", f.segment_id, href=f"{page}#{quote(f.segment_id, safe='')}",
                   title="open this unit in the side-by-side page")
            else:
                add(unit, f.segment_id)
            el(tr, "td", f.severity, class_="sev")
            el(tr, "td", f.check, class_="chk")
            what = el(tr, "td", class_="what")
            el(what, "p", f.message, class_="msg")
            if pair is not None:
                src_marks, tgt_marks = highlights(f, pair)
                dl = el(what, "dl", class_="pair")
                el(dl, "dt", "Source")
                _marked(el(dl, "dd", class_="src", lang="zh-CN"), pair.source, src_marks)
                el(dl, "dt", "Target")
                _marked(el(dl, "dd", class_="tgt", lang="en"), pair.target, tgt_marks)
    else:
        el(main, "p", "No issues found.", class_="clean")
    el(el(body, "footer"), "p", "Written by bitext check. Self-contained page: one inline script "
       "(search, filters), nothing loaded from the network.")
    return htmlpage.finish(html, _CSS, script=bool(report.findings))

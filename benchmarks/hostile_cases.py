"""Run issue 15's hostile cases against a bitext tree and count clean / failing per family.

    PYTHONPATH=/path/to/tree python benchmarks/hostile_cases.py [--family outputs,limits,signals]

A case is clean when it ends within 30 s with the expected exit code (2 for an output
over an input, 1 or 2 for refused inputs), one line on stderr, no traceback, no
"internal error", the inputs byte-identical and no partial output or temp file left.
Inputs are generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ZH = "网络安全很重要。国家网信办发布了新规定，自2024年起施行。\n\n数据出境安全评估办法共二十条。\n"


def bitext(*args: object, cwd: Path, timeout: float = 30, env: dict | None = None) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-m", "bitext", *map(str, args)], cwd=cwd, capture_output=True,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False,
                           env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return -1, "TIMEOUT", time.perf_counter() - t0
    if "Traceback" in p.stdout or "internal error" in p.stdout:
        return p.returncode, p.stderr + p.stdout, time.perf_counter() - t0
    return p.returncode, p.stderr or p.stdout, time.perf_counter() - t0  # the message lines


def one_line(out: str) -> bool:
    lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith(("WARNING", "bitext: warning",
                                                                             "bitext: --engine", "bitext: no neural"))]
    return len(lines) == 1 and "Traceback" not in out and "internal error" not in out


def fresh(root: Path) -> Path:
    d = Path(tempfile.mkdtemp(dir=root))
    (d / "doc.txt").write_text(ZH, encoding="utf-8")
    (d / "g.tsv").write_text("# c\nsource\ttarget\tnote\textra\n网络安全\tcybersecurity\t\tx\n", encoding="utf-8")
    (d / "en.txt").write_text("Cybersecurity matters.\n", encoding="utf-8")
    return d


def outputs_cases(root: Path) -> list[tuple[str, Callable[[], bool]]]:
    cases = []

    def alias(p: Path, how: str) -> Path:
        if how == "same":
            return p
        if how == "dot":
            return p.parent / "." / p.name
        a = p.parent / f"alias-{how}{p.suffix}"
        if how == "hard":
            os.link(p, a)
        else:
            a.symlink_to(p.name)
        return a

    def case(name: str, prep: Callable[[Path], Path], args: Callable[[Path, Path], list]) -> None:
        def run() -> bool:
            d = fresh(root)
            victim = prep(d)
            before = victim.read_bytes()
            code, out, _ = bitext(*args(d, victim), cwd=d)
            return code == 2 and one_line(out) and victim.read_bytes() == before
        cases.append((name, run))

    def tmx(d: Path) -> Path:
        bitext("translate", "doc.txt", "--tmx", "doc.tmx", "--engine", "gloss", "-q", cwd=d)
        return d / "doc.tmx"

    def db(d: Path) -> Path:
        tmx(d)
        bitext("tm", "import", "doc.tmx", "--db", "tm.sqlite", "-q", "--allow-gist", cwd=d)
        return d / "tm.sqlite"

    for how in ("same", "dot", "hard", "sym"):
        case(f"check -o over its TMX ({how})", tmx, lambda d, v, h=how: ["check", v, "-o", alias(v, h)])
        case(f"tm export over its db ({how})", db, lambda d, v, h=how: ["tm", "export", "--db", v, alias(v, h)])
        case(f"glossary export over itself ({how})", lambda d: d / "g.tsv",
             lambda d, v, h=how: ["glossary", "--file", v, "export", alias(v, h)])
    case("glossary import into itself", lambda d: d / "g.tsv", lambda d, v: ["glossary", "--file", v, "import", v])
    case("tm import into its TMX", tmx, lambda d, v: ["tm", "import", v, "--db", v])
    case("check -o over its glossary", lambda d: d / "g.tsv",
         lambda d, v: ["check", tmx(d), "--glossary", v, "-o", v])
    for flag in ("--tmx", "--html", "--out"):
        for how in ("dot", "hard", "sym"):
            case(f"translate {flag} over input ({how})", lambda d: d / "doc.txt",
                 lambda d, v, f=flag, h=how: ["translate", v, f, alias(v, h), "--engine", "gloss"])
    case("translate --tmx over its glossary", lambda d: d / "g.tsv",
         lambda d, v: ["translate", "doc.txt", "--glossary", v, "--tmx", v])
    for flag in ("--tmx", "--tsv", "--beads", "--html"):
        case(f"align {flag} over EN (hard)", lambda d: d / "en.txt",
             lambda d, v, f=flag: ["align", "doc.txt", v, "--presplit", f, alias(v, "hard")])
    return cases


def limits_cases(root: Path) -> list[tuple[str, Callable[[], bool]]]:
    cases = []

    def case(name: str, args: Callable[[Path], list], codes: tuple[int, ...] = (1, 2), outs: tuple[str, ...] = ()) -> None:
        def run() -> bool:
            d = fresh(root)
            code, out, secs = bitext(*args(d), cwd=d)
            return code in codes and one_line(out) and secs < 30 and not any((d / o).exists() for o in outs)
        cases.append((name, run))

    def fifo(d: Path, name: str) -> Path:
        os.mkfifo(d / name)
        return d / name

    for ext in ("txt", "md", "html", "xlf"):
        case(f"translate FIFO .{ext}", lambda d, e=ext: ["translate", fifo(d, f"p.{e}"), "-o", "out"], outs=("out",))
    case("translate glossary FIFO", lambda d: ["translate", "doc.txt", "--glossary", fifo(d, "p.tsv"), "--tmx", "o.tmx"], outs=("o.tmx",))
    case("align FIFO", lambda d: ["align", fifo(d, "p.txt"), "en.txt", "--presplit"])
    case("check FIFO", lambda d: ["check", fifo(d, "p.tmx")])
    case("tm import FIFO", lambda d: ["tm", "import", fifo(d, "p.tmx"), "--db", "tm.sqlite"])
    case("glossary lint FIFO", lambda d: ["glossary", "--file", fifo(d, "p.tsv"), "lint"])

    def gold_fifo(d: Path) -> list:
        (d / "gold").mkdir()
        (d / "auto").mkdir()
        os.mkfifo(d / "gold" / "1.align")
        (d / "auto" / "1.align").write_text("[0]:[0]\n")
        return ["eval-align", "gold", "auto"]
    case("eval-align gold FIFO", gold_fifo)
    case("translate --glossary /dev/zero", lambda d: ["translate", "doc.txt", "--glossary", "/dev/zero", "--tmx", "o.tmx"], outs=("o.tmx",))
    case("align /dev/zero", lambda d: ["align", "/dev/zero", "en.txt", "--presplit"])
    case("glossary lint /dev/zero", lambda d: ["glossary", "--file", "/dev/zero", "lint"])
    case("glossary suggest /dev/zero", lambda d: ["glossary", "suggest", "/dev/zero"])

    def big_cell(d: Path) -> Path:
        (d / "big.tsv").write_text("source\ttarget\n" + "网" * 1_000_000 + "\tnet\n", encoding="utf-8")
        return d / "big.tsv"
    case("translate with a 1 MB glossary cell", lambda d: ["translate", "doc.txt", "--glossary", big_cell(d), "--tmx", "o.tmx"], outs=("o.tmx",))

    def lint_big() -> bool:  # a lint report (stdout), not an error line: the row is named
        d = fresh(root)
        code, out, secs = bitext("glossary", "--file", big_cell(d), "lint", cwd=d)
        return code == 1 and ":2: error: [too-long]" in out and secs < 30 and "Traceback" not in out
    cases.append(("lint a 1 MB glossary cell", lint_big))

    def big_input(d: Path) -> list:
        (d / "big.txt").write_text("网络安全很重要。\n" * 100_000, encoding="utf-8")
        return ["translate", "big.txt", "--max-input-mb", "1", "-o", "out"]
    case("input over --max-input-mb", big_input, outs=("out",))

    def corrupt_zip(d: Path) -> list:
        pkg = d / "bad.argosmodel"
        with zipfile.ZipFile(pkg, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("zh_en/metadata.json", json.dumps({"from_code": "zh", "to_code": "en"}))
            zf.writestr("zh_en/sentencepiece.model", b"spm" * 100)
            zf.writestr("zh_en/model/model.bin", bytes(range(256)) * 400)
        with zipfile.ZipFile(pkg) as zf:
            info = zf.getinfo("zh_en/model/model.bin")
        data = bytearray(pkg.read_bytes())
        start = info.header_offset + 30 + len(info.filename) + 4
        for k in range(start, start + 40):
            data[k] ^= 0x5A
        pkg.write_bytes(bytes(data))
        os.environ["ARGOS_PACKAGES_DIR"] = str(d / "packages")
        return ["models", "install", pkg]
    case("models install: corrupt zip member", corrupt_zip, codes=(1,))
    return cases


def signals_cases(root: Path) -> list[tuple[str, Callable[[], bool]]]:
    cases = []

    def mid_translate(sig: int, code: int) -> Callable[[], bool]:
        def run() -> bool:
            d = fresh(root)
            (d / "long.txt").write_text("国家网信办发布了网络安全新规定，数据出境安全评估办法共二十条。\n" * 20_000, encoding="utf-8")
            (d / "out").mkdir()
            p = subprocess.Popen([sys.executable, "-m", "bitext", "translate", "long.txt", "-o", "out",
                                  "--engine", "gloss"], cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(8)
            p.send_signal(sig)
            try:
                _, err = p.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                return False
            return p.returncode == code and one_line(err) and list((d / "out").iterdir()) == []
        return run

    cases += [("SIGTERM mid-translate", mid_translate(signal.SIGTERM, 143)),
              ("SIGHUP mid-translate", mid_translate(signal.SIGHUP, 129)),
              ("SIGINT mid-translate", mid_translate(signal.SIGINT, 130))]

    def stale_export() -> bool:
        d = fresh(root)
        bitext("translate", "doc.txt", "--tmx", "doc.tmx", "--engine", "gloss", "-q", cwd=d)
        bitext("tm", "import", "doc.tmx", "--db", "tm.sqlite", "-q", "--allow-gist", cwd=d)
        (d / "exp").mkdir()
        stale = [d / "exp" / ".bitext-tmp-all.tmx.x.tmp", d / "exp" / ".all.tmx.x.tmp"]
        for s in stale:  # the new prefix, and the name the old writer used
            s.write_text("half")
            os.utime(s, (time.time() - 3600, time.time() - 3600))
        bitext("tm", "export", "--db", "tm.sqlite", "exp/all.tmx", cwd=d)
        left = [p.name for p in (d / "exp").iterdir() if p.name != "all.tmx"]
        return not any(p.name in left for p in stale if p.name.startswith(".bitext-tmp-")) and \
            not [n for n in left if n.startswith(".bitext")]
    cases.append(("stale export temp swept by the next export", stale_export))

    def killed_translate() -> bool:  # kill -9 mid-run, then the next run into that folder
        d = fresh(root)
        (d / "long.txt").write_text("国家网信办发布了网络安全新规定。\n" * 300_000, encoding="utf-8")
        (d / "out").mkdir()
        p = subprocess.Popen([sys.executable, "-m", "bitext", "translate", "long.txt", "-o", "out",
                              "--engine", "gloss", "-q"], cwd=d)
        time.sleep(12)
        p.kill()
        p.wait()
        left = [x.name for x in (d / "out").iterdir()]  # the killed run's temp is there
        bitext("translate", "doc.txt", "-o", "out", "--engine", "gloss", "-q", cwd=d)
        after = sorted(x.name for x in (d / "out").iterdir())
        return any(n.startswith(".bitext-tmp-") for n in left) and \
            after == ["doc.en.txt", "doc.html", "doc.tmx"]
    cases.append(("kill -9 mid-translate, temps gone after the next run", killed_translate))

    def stale_install() -> bool:
        d = fresh(root)
        pk = d / "argos" / "packages"
        pk.mkdir(parents=True)
        st = d / "argos" / ".bitext-install-dead"
        (st / "x").mkdir(parents=True)
        os.utime(st, (time.time() - 3600, time.time() - 3600))
        bitext("models", "list", cwd=d, env={"ARGOS_PACKAGES_DIR": str(pk)})
        return not st.exists()
    cases.append(("stale install folder swept by models list", stale_install))
    return cases


FAMILIES = {"outputs": outputs_cases, "limits": limits_cases, "signals": signals_cases}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", default=",".join(FAMILIES))
    args = ap.parse_args()
    import bitext

    print(f"bitext from {Path(bitext.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="bitext-hostile-") as tmp:
        for fam in args.family.split(","):
            cases = FAMILIES[fam](Path(tmp))
            failing = []
            for name, run in cases:
                try:
                    ok = run()
                except Exception as e:  # noqa: BLE001 - a harness error counts as failing
                    ok = False
                    name += f" [{type(e).__name__}]"
                if not ok:
                    failing.append(name)
            print(f"{fam:8s} tried {len(cases):3d}  clean {len(cases) - len(failing):3d}  failing {len(failing):3d}")
            for name in failing:
                print(f"    failing: {name}")


if __name__ == "__main__":
    main()

"""Clean-up: SIGTERM/SIGHUP handled like SIGINT (temps removed, one line, 128+signal),
and stale temps of killed runs swept by the next run (only bitext's own, only old ones).

The signal tests kill a real ``python -m bitext translate`` subprocess mid-run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bitext.engines.packages import INSTALL_TEMP_SECONDS
from bitext.files import STALE_TEMP_SECONDS, TEMP_PREFIX, atomic_write

REPO = Path(__file__).resolve().parents[2]


def _start_translate(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    doc = tmp_path / "long.txt"
    doc.write_text("国家网信办发布了网络安全新规定，数据出境安全评估办法共二十条。\n" * 20_000,
                   encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "long.tmx").write_text("earlier run\n", encoding="utf-8")  # must survive
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.Popen([sys.executable, "-m", "bitext", "translate", str(doc), "-o", str(out),
                          "--engine", "gloss"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    return p, out


def _wait_until_working(p: subprocess.Popen, seconds: float = 6.0) -> None:
    """Let the run get past start-up (imports, engine) into the translation."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if p.poll() is not None:
            pytest.fail(f"finished before the signal: {p.stderr.read() if p.stderr else ''}")
        time.sleep(0.2)


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_signal_mid_translate(tmp_path: Path, sig: int, code: int) -> None:
    p, out = _start_translate(tmp_path)
    _wait_until_working(p)
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        pytest.fail("the run did not end after the signal")
    assert p.returncode == code, err
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("bitext: --engine")]
    assert len(lines) == 1 and "interrupted" in lines[0], err
    assert "Traceback" not in err
    assert sorted(x.name for x in out.iterdir()) == ["long.tmx"]  # no partial output, no temp
    assert (out / "long.tmx").read_text(encoding="utf-8") == "earlier run\n"


def _old(path: Path) -> None:
    t = time.time() - max(STALE_TEMP_SECONDS, INSTALL_TEMP_SECONDS) - 60
    os.utime(path, (t, t))


def test_killed_export_temp_swept_by_next_run(h15_cli, h15_tmx: Path, tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    assert h15_cli("tm", "import", h15_tmx, "--db", db, "-q", "--allow-gist").code == 0
    out = tmp_path / "exp"
    out.mkdir()
    stale = out / f"{TEMP_PREFIX}all.tmx.k1ll3d.tmp"  # what kill -9 mid-export leaves
    stale.write_text("half", encoding="utf-8")
    _old(stale)
    fresh = out / f"{TEMP_PREFIX}all.tmx.running.tmp"  # another run's, still being written
    fresh.write_text("busy", encoding="utf-8")
    foreign = out / ".all.tmx.user.tmp"  # not ours: never touched
    foreign.write_text("mine", encoding="utf-8")
    _old(foreign)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = out / f"{TEMP_PREFIX}{dead}-all.tmx.abc123.tmp"  # kill -9 a moment ago: fresh,
    killed.write_text("half", encoding="utf-8")  # but its process is gone
    mine = out / f"{TEMP_PREFIX}{os.getpid()}-all.tmx.zzz.tmp"  # a running process's: kept
    mine.write_text("busy", encoding="utf-8")
    _old(mine)
    r = h15_cli("tm", "export", "--db", db, out / "all.tmx")
    assert r.code == 0, r.stderr
    assert not stale.exists() and fresh.exists() and foreign.exists()
    assert not killed.exists() and mine.exists()
    assert (out / "all.tmx").is_file()


def test_temp_names_carry_the_prefix(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with atomic_write(target) as f:
        f.write("a")
        names = [p.name for p in tmp_path.iterdir()]
    assert len(names) == 1 and names[0].startswith(f"{TEMP_PREFIX}{os.getpid()}-x.txt.")
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_models_list_sweeps_stale_install_folders(h15_cli, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "argos" / "packages"
    root.mkdir(parents=True)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    stale = root.parent / f"{TEMP_PREFIX}install-abc"
    (stale / "pkg" / "model").mkdir(parents=True)
    (stale / "pkg" / "model" / "model.bin").write_bytes(b"x" * 100)
    legacy = root.parent / ".bitext-install-old"
    legacy.mkdir()
    fresh = root.parent / f"{TEMP_PREFIX}install-now"
    fresh.mkdir()
    other = root.parent / "my-notes"
    other.mkdir()
    for p in (stale, legacy, other):
        _old(p)
    r = h15_cli("models", "list")
    assert r.code == 0, r.stderr
    assert not stale.exists() and not legacy.exists()
    assert fresh.exists() and other.exists()

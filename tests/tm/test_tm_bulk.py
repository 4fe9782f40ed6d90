"""Bulk import into the translation memory: chunked transactions, the prefetch thread,
the deferred ``gram_df`` recount, and safety when an import fails or is killed."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bitext import tm as tm_mod
from bitext.errors import FormatError
from bitext.tm import TmEntry, TranslationMemory, index_tokens, normalize

REPO = Path(__file__).resolve().parents[2]


def _sentence(i: int) -> str:
    digits = "零一二三四五六七八九"
    return f"第{''.join(digits[int(c)] for c in str(i))}条数据处理者应当履行保护义务。"


def _entries(n: int, dup_every: int = 7) -> list[TmEntry]:
    out = []
    for i in range(n):
        j = i - 4 if i % dup_every == 0 and i >= 4 else i  # duplicates across chunks
        out.append(TmEntry(_sentence(j), f"Article {j}.", tuid=str(i), props=[("x-n", str(i % 3))],
                           creationdate=f"202401{1 + i % 28:02d}T000000Z"))
    return out


def _expected_df(db: Path) -> Counter[str]:
    con = sqlite3.connect(db)
    df: Counter[str] = Counter()
    for (key,) in con.execute("SELECT key FROM units"):
        df.update(index_tokens(key).split())
    con.close()
    return df


def _stored_df(db: Path) -> Counter[str]:
    con = sqlite3.connect(db)
    out = Counter(dict(con.execute("SELECT t, n FROM gram_df")))
    con.close()
    return out


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tm_mod, "BATCH", 40)
    monkeypatch.setattr(tm_mod, "TXN_UNITS", 100)


def test_index_tokens_unchanged() -> None:
    key = normalize("数据安全法自2021年起施行，数据数据。")
    grams = [f"{ord(a):x}x{ord(b):x}" for a, b in itertools.pairwise(key)]
    distinct = list(dict.fromkeys(grams))
    assert tm_mod.grams(key) == distinct
    b = tm_mod.length_bucket(len(key))
    assert index_tokens(key) == " ".join(f"{g}b{b}" for g in distinct)
    assert index_tokens("a") == "" and tm_mod.grams("") == []


@pytest.mark.usefixtures("small_chunks")
def test_bulk_import_same_as_one_by_one(tmp_path: Path) -> None:
    entries = _entries(500)
    bulk, slow = tmp_path / "bulk.sqlite", tmp_path / "slow.sqlite"
    seen: list[int] = []
    with TranslationMemory(bulk) as tm:
        counts = tm.add_entries(iter(_entries(500)), progress=seen.append)
        assert counts.read == 500 and counts.added + counts.merged == 500
        assert sum(seen) == 500
        assert tm._db.execute("SELECT 1 FROM meta WHERE key = ?", (tm_mod._DF_STALE,)).fetchone() is None
    with TranslationMemory(slow) as tm:
        total = sum(tm.add_entries([e]).added for e in entries)
    assert total == counts.added
    assert _stored_df(bulk) == _expected_df(bulk) == _stored_df(slow)
    with TranslationMemory(bulk) as a, TranslationMemory(slow) as b:
        ea, eb = list(a.iter_entries()), list(b.iter_entries())
        assert [(e.source, e.target, e.creationdate, e.changedate, e.props) for e in ea] == [
            (e.source, e.target, e.creationdate, e.changedate, e.props) for e in eb
        ]
        # merged duplicates keep both props and the earliest date
        e3 = next(e for e in ea if e.source == _sentence(3))
        assert ("x-n", "0") in e3.props and ("x-n", "1") in e3.props
        assert e3.creationdate == "20240104T000000Z" and e3.tuid == "3"
        q = _sentence(451).replace("数据", "资料")
        assert a.lookup_fuzzy(q, 0.7) == b.lookup_fuzzy(q, 0.7) != []
        assert a.lookup_exact(_sentence(499)) == "Article 499."


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("n", [119, 120, 121, 240, 241])
def test_recount_at_transaction_boundaries(tmp_path: Path, n: int) -> None:
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:  # transactions of 120 units (3 chunks of 40)
        tm.add_entries(iter(_entries(n, dup_every=10**9)))
        assert tm._db.execute("SELECT 1 FROM meta WHERE key = ?", (tm_mod._DF_STALE,)).fetchone() is None
        assert len(tm) == n
    assert _stored_df(db) == _expected_df(db)


@pytest.mark.usefixtures("small_chunks")
def test_bulk_import_into_existing_memory_merges(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        tm.add(_sentence(10), "Article 10.", props=[("x-old", "1")], changedate="20200101T000000Z")
        counts = tm.add_entries(iter(_entries(300)))
        assert counts.merged >= 1
        e = next(e for e in tm.iter_entries() if e.source == _sentence(10))
        assert ("x-old", "1") in e.props and ("x-n", "1") in e.props
        assert e.changedate == "20200101T000000Z"
        assert len(tm) == counts.added + 1
    assert _stored_df(db) == _expected_df(db)


@pytest.mark.usefixtures("small_chunks")
def test_reader_error_keeps_committed_transactions(tmp_path: Path) -> None:
    def broken():  # type: ignore[no-untyped-def]
        yield from _entries(250, dup_every=10**9)
        raise FormatError("malformed TMX: boom", "x.tmx")

    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        with pytest.raises(FormatError):
            tm.add_entries(broken())
        assert len(tm) == 240  # every complete chunk read before the error is kept
        # the next write recounts the frequencies the interrupted load left stale
        tm.add("你好。", "Hello.")
        assert tm._db.execute("SELECT 1 FROM meta WHERE key = ?", (tm_mod._DF_STALE,)).fetchone() is None
    assert _stored_df(db) == _expected_df(db)


_KILLED = r"""
import sys, time
from bitext import tm as m
m.BATCH, m.TXN_UNITS = 50, 100
def slow():
    for i in range(10**6):
        if i >= 400:
            time.sleep(0.01)
        yield m.TmEntry(f"第{i}条规定。", f"Article {i}.")
with m.TranslationMemory(sys.argv[1]) as t:
    t.add_entries(slow())
"""


def test_kill_9_during_import_leaves_intact_memory(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.Popen([sys.executable, "-c", _KILLED, str(db)], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.1)
        try:
            con = sqlite3.connect(db, timeout=5)
            if con.execute("SELECT count(*) FROM units").fetchone()[0] >= 300:
                con.close()
                break
            con.close()
        except sqlite3.OperationalError:
            pass  # not created yet
    p.send_signal(signal.SIGKILL)
    p.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with TranslationMemory(db) as tm:
        n = len(tm)
        assert n >= 300 and n % 100 == 0  # committed transactions only
        assert tm.lookup_exact("第123条规定。") == "Article 123."
        tm.add("你好。", "Hello.")  # recounts the stale frequencies
        assert len(tm) == n + 1
    assert _stored_df(db) == _expected_df(db)


def test_props_given_as_lists(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add_entries([TmEntry("你好。", "Hello.", props=[["x-a", "1"]])])  # type: ignore[list-item]
        assert next(tm.iter_entries()).props == [("x-a", "1")]


def _tmx_file(path: Path, entries: list[TmEntry], tail: str = "</body>\n</tmx>\n") -> Path:
    from xml.sax.saxutils import escape

    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
            'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" '
            'datatype="plaintext"/>\n<body>\n')
    parts = [head]
    for e in entries:
        props = "".join(f'<prop type="{escape(t)}">{escape(v)}</prop>' for t, v in e.props)
        parts.append(f'<tu tuid="{e.tuid}" creationdate="{e.creationdate}">{props}'
                     f'<tuv xml:lang="zh-CN"><seg>{escape(e.source)}</seg></tuv>'
                     f'<tuv xml:lang="en"><seg>{escape(e.target)}</seg></tuv></tu>\n')
    path.write_text("".join(parts) + tail, encoding="utf-8")
    return path


def test_reader_process_imports_like_the_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big TMX is parsed in a reader process: same units, counts, merges and frequencies
    as the in-process reader (the threshold is lowered so a small file takes that path)."""
    src = _tmx_file(tmp_path / "in.tmx", _entries(600))
    results = []
    for name, threshold in (("thread", 1 << 60), ("process", 0)):
        monkeypatch.setattr(tm_mod, "READER_PROCESS_MIN_BYTES", threshold)
        db = tmp_path / f"{name}.sqlite"
        with TranslationMemory(db) as tm:
            # a stored unit the import merges into (the process path rebuilds the entry)
            tm.add(_sentence(10), "Article 10.", props=[("x-old", "1")], changedate="20200101T000000Z")
            counts = tm.import_tmx(src)
            entries = [(e.source, e.target, e.tuid, e.creationdate, e.changedate, e.props)
                       for e in tm.iter_entries()]
        assert _stored_df(db) == _expected_df(db)
        results.append((counts.as_dict(), entries))
    assert results[0] == results[1]
    counts, entries = results[1]
    assert counts["read"] == 600 and counts["merged"] >= 1
    e10 = next(e for e in entries if e[0] == _sentence(10))
    assert ("x-old", "1") in e10[5] and e10[4] == "20200101T000000Z"


def test_reader_process_errors_like_the_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = _tmx_file(tmp_path / "bad.tmx", _entries(30), tail="<tu><tuv>")  # cut off
    messages = []
    for threshold in (1 << 60, 0):
        monkeypatch.setattr(tm_mod, "READER_PROCESS_MIN_BYTES", threshold)
        with TranslationMemory(tmp_path / f"{threshold}.sqlite") as tm:
            with pytest.raises(FormatError) as exc:
                tm.import_tmx(bad)
            messages.append(str(exc.value))
    assert messages[0] == messages[1]
    assert "bad.tmx" in messages[1]


@pytest.mark.parametrize("argv", [["/nonexistent/python"], [sys.executable, "-c", "raise SystemExit(3)"]])
def test_reader_process_that_cannot_start_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     argv: list[str]) -> None:
    """No usable child interpreter (frozen app, broken environment): the import reads in
    this process instead, with the same result."""
    src = _tmx_file(tmp_path / "in.tmx", _entries(200))
    monkeypatch.setattr(tm_mod, "READER_PROCESS_MIN_BYTES", 0)
    real_init = tm_mod._ReaderProcess.__init__

    def init(self, path, gist_file):  # type: ignore[no-untyped-def]
        real_init(self, path, gist_file)
        self._args = argv

    monkeypatch.setattr(tm_mod._ReaderProcess, "__init__", init)
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        counts = tm.import_tmx(src)
        assert counts.read == 200 and len(tm) == counts.added
        assert tm.lookup_exact(_sentence(150)) == "Article 150."

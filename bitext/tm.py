"""SQLite translation memory: import/export TMX, exact and fuzzy lookup, learning from runs.

This module owns the memory file (``TranslationMemory``), the text normalisation used for
matching (``normalize``) and the fuzzy index.

Storage (one SQLite file, WAL mode, ``PRAGMA user_version = 1``):

* ``units``: one row per distinct (normalised source, target) pair with the user's original
  source and target text, languages, ``tuid``, TMX dates, props, notes and other ``<tu>``
  attributes. Duplicates are merged on import (props and notes united, earliest
  ``creationdate`` and latest ``changedate`` kept). A source may have several targets;
  exact lookup returns the most recently changed one.
* ``grams``: a contentless FTS5 table (``detail=none``) holding the distinct character
  bigrams of each unit's normalised source, encoded as ASCII tokens and suffixed with the
  unit's length bucket. It is the inverted index behind fuzzy lookup; ``gram_df`` keeps
  each token's document frequency (FTS5 would have to scan a posting list to count it).

Matching:

* exact: after ``normalize`` (NFC, full-/half-width folding of ASCII and CJK punctuation,
  whitespace collapsed and dropped next to Han characters and punctuation). Lookups go
  through a 64-bit hash index of the normalised source.
* fuzzy: character-level Levenshtein similarity (``1 - distance / max(len)``, rapidfuzz),
  which suits Chinese where words are not space-separated. Candidates come from the bigram
  index with a q-gram count filter: a string within edit distance ``k`` of the query
  shares at least ``|grams(query)| - 2k`` distinct bigrams with it, so only units found
  in the postings of the query's rarest bigrams (and seen often enough) are scored.
  Very short queries, where that bound is empty, scan the length bucket instead.

Concurrency: every connection sets a busy timeout, and writes run in ``BEGIN IMMEDIATE``
transactions (of up to ``TXN_UNITS`` units on import), so several processes may import or
learn into the same file at once; a killed import leaves every committed transaction.
Bulk loads: a long import is parsed in a helper thread (a big TMX file: in a child process,
streaming chunks over a pipe) while SQLite writes, duplicates are
found with one indexed query per chunk, and ``gram_df`` is recounted from the FTS index at
the end (marked stale in ``meta`` until then, so an interrupted load is recounted by the
next write).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import itertools
import json
import logging
import math
import os
import pickle
import queue
import sqlite3
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from bitext.errors import ConfigError, FormatError
from bitext.readers.tmx import iter_units, lang_matches, read_header
from bitext.writers.tmx import TmxUnit, write_units
from bitext.zh.text import fold

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60.0
"""How long a connection waits for another writer before giving up."""
BATCH = 5_000
"""Units per prepared chunk on import (duplicates within a chunk are merged before SQL)."""
READER_PROCESS_MIN_BYTES = 32 << 20
"""TMX files at least this big are parsed and prepared in a separate process while this one
writes (threads would take turns on the GIL: both halves are Python); smaller ones in a
helper thread."""
TXN_UNITS = 100_000
"""Most units per write transaction on import: big transactions make the FTS5 index
cheaper to build; other writers wait (busy timeout) for at most one of them."""
FTS_HASHSIZE = 8 << 20
"""FTS5 ``hashsize`` set by a bulk load: bytes of pending postings kept in memory."""
_DF_STALE = "gram_df_stale"
"""``meta`` key set while ``gram_df`` lags the FTS index (a bulk load in progress or
killed); the next write that ends recounts it."""
CACHE_KIB = 32_768
"""SQLite page cache per connection (KiB): keeps the hash and frequency indexes hot."""
FUZZY_LIMIT = 5
"""Fuzzy suggestions returned by default."""
_POSTINGS_BUDGET = 30_000
"""Most postings read per fuzzy lookup (exactness gives way past it, see ``_candidates``)."""
_POSTINGS_EXTRA = 10_000
"""Postings read beyond the mandatory bigrams to sharpen the count filter."""
_MAX_VERIFY = 2000
"""Candidates scored with rapidfuzz per fuzzy lookup, best-filtered first."""
_SHORT_SCAN = 20_000
"""Rows scanned in the length bucket for queries too short for the bigram filter."""
_IN_CHUNK = 900
"""Most values bound in one SQL ``IN (…)`` list (SQLite's parameter limit is 999)."""


# --------------------------------------------------------------------------- normalisation

_WS = regex.compile(r"\s+")
_CJK_WS = regex.compile(r"\s+(?=[\p{Han}\p{P}])|(?<=[\p{Han}\p{P}])\s+")


def normalize(text: str) -> str:
    """The matching key of a source text.

    NFC; full-width ASCII and CJK punctuation folded to their half-width forms (``，`` →
    ``,``, ``。`` → ``.``, ``（`` → ``(``, curly quotes → straight); whitespace collapsed to
    one space, dropped next to Han characters and punctuation, trimmed. Case is kept.
    The user's original text is what the memory stores and returns.
    """
    t = fold(unicodedata.normalize("NFC", text), case=False, variants=False, punct=True)
    t = _WS.sub(" ", t).strip()
    return _CJK_WS.sub("", t)


def _hash(*parts: str) -> int:
    h = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big", signed=True)


class _HexOf(dict):  # type: ignore[type-arg]
    """Character → lowercase hex code point, computed once per distinct character."""

    def __missing__(self, c: str) -> str:
        v = self[c] = f"{ord(c):x}"
        return v


_HEX = _HexOf()


def _gram_token(a: str, b: str) -> str:
    return f"{_HEX[a]}x{_HEX[b]}"


def grams(key: str) -> list[str]:
    """Distinct character bigrams of a normalised key, as FTS tokens, in first-seen order."""
    hx = _HEX
    return [f"{hx[a]}x{hx[b]}" for a, b in dict.fromkeys(itertools.pairwise(key))]


_BUCKET_RATIO = math.log(1.15)


def length_bucket(n: int) -> int:
    """Geometric length bucket (15 % wide) of a key length; part of every index token.

    Similar strings have similar lengths, so a fuzzy lookup only reads the postings of
    the few buckets its length window covers.
    """
    return int(math.log(max(n, 1)) / _BUCKET_RATIO)


def index_tokens(key: str) -> str:
    """The FTS document of a key: its bigram tokens suffixed with its length bucket."""
    hx = _HEX
    b = f"b{length_bucket(len(key))}"
    return " ".join([f"{hx[x]}x{hx[y]}{b}" for x, y in dict.fromkeys(itertools.pairwise(key))])


def similarity(a: str, b: str) -> float:
    """Character-level similarity of two normalised texts: ``1 - Levenshtein / max(len)``."""
    from rapidfuzz.distance import Levenshtein

    return float(Levenshtein.normalized_similarity(a, b))


GIST_PROP = "x-bitext-origin"
"""The unit prop that marks a word-by-word gist (value ``gist``)."""


def is_gist_unit(props: Any) -> bool:
    """Whether TMX unit props mark a gist (``x-bitext-origin`` or ``x-origin`` = ``gist``)."""
    return any(t in (GIST_PROP, "x-origin") and v == "gist" for t, v in props)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def default_path() -> Path:
    """The default memory file: ``tm.sqlite`` in the user data folder (``platformdirs``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("bitext", appauthor=False)) / "tm.sqlite"


# --------------------------------------------------------------------------- entries

@dataclass
class TmEntry:
    """One unit on its way into the memory (mutable while duplicates are merged).

    Attributes:
        source: Chinese text as written.
        target: English text as written.
        srclang: source language code (``zh-CN``).
        tgtlang: target language code (``en``).
        tuid: unit id from the TMX, or the segment id.
        creationdate: TMX date ``YYYYMMDDTHHMMSSZ`` or None.
        changedate: TMX date or None.
        props: ``(type, value)`` pairs.
        notes: note texts.
        attrs: other ``<tu>`` attributes (``creationid``, ``usagecount`` …).
    """

    source: str
    target: str
    srclang: str = "zh-CN"
    tgtlang: str = "en"
    tuid: str | None = None
    creationdate: str | None = None
    changedate: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def merge(self, other: TmEntry) -> None:
        """Fold a duplicate into this entry: props/notes united, dates widened."""
        for p in other.props:
            if p not in self.props:
                self.props.append(p)
        for n in other.notes:
            if n not in self.notes:
                self.notes.append(n)
        dates = [d for d in (self.creationdate, other.creationdate) if d]
        self.creationdate = min(dates) if dates else None
        dates = [d for d in (self.changedate, other.changedate) if d]
        self.changedate = max(dates) if dates else None
        for k, v in other.attrs.items():
            self.attrs.setdefault(k, v)
        if self.tuid is None:
            self.tuid = other.tuid


@dataclass
class ImportCounts:
    """What an import or an update did (``--json`` prints these).

    Attributes:
        read: units read from the input.
        added: new units stored.
        merged: duplicates folded into an existing unit (in the file or the memory).
        skipped: units without a Chinese source and an English target (or empty).
    """

    read: int = 0
    added: int = 0
    merged: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"read": self.read, "added": self.added, "merged": self.merged, "skipped": self.skipped}


def _lang_of(variants: Sequence[tuple[str, str]], prefix: str) -> tuple[str, str] | None:
    """``(lang, text)`` of the first variant whose language is ``prefix`` or ``prefix-*``."""
    return next(((lang, text) for lang, text in variants if lang_matches(lang, prefix)), None)


_OMEGAT_TAG = regex.compile(r"</?(?:[A-Za-z]{1,3}|!)\d{1,3}/?>")
"""OmegaT's tag text in a segment (``<b0>``, ``</b0>``, ``<br1>``, ``<i2/>``; ``<!2>`` for
Word's ``<![if !supportLists]>``)."""


def untag_omegat(source: str, target: str) -> tuple[str, str]:
    """``source`` and ``target`` without OmegaT's tag text when both carry the same tags
    (a TMX from OmegaT, or bitext's with ``--tmx-tags omegat``): the memory then matches
    the plain sentences, as it does for TMX inline codes, which the reader drops. Otherwise
    (different tags, or none) both are returned unchanged."""
    tags = sorted(_OMEGAT_TAG.findall(source))
    if not tags or tags != sorted(_OMEGAT_TAG.findall(target)):
        return source, target

    def strip(text: str) -> str:
        return " ".join(_OMEGAT_TAG.sub("", text).split())

    return strip(source), strip(target)


def entry_from_tmx(unit: Any) -> TmEntry | None:
    """A ``TmEntry`` from a ``bitext.readers.tmx.TmxUnit``; None without zh-* and en-* text.
    OmegaT's tag text is taken out of both sides (``untag_omegat``)."""
    src = _lang_of(unit.variants, "zh")
    tgt = _lang_of(unit.variants, "en")
    if src is None or tgt is None or not src[1].strip() or not tgt[1].strip():
        return None
    source, target = untag_omegat(src[1], tgt[1])
    if not source.strip() or not target.strip():
        return None
    attrs = dict(unit.attrs)
    return TmEntry(
        source=source,
        target=target,
        srclang=src[0],
        tgtlang=tgt[0],
        tuid=unit.tuid,
        creationdate=attrs.pop("creationdate", None),
        changedate=attrs.pop("changedate", None),
        props=[tuple(p) for p in unit.props],  # type: ignore[misc]
        notes=list(unit.notes),
        attrs=attrs,
    )


def _in_chunks(values: Sequence[Any]) -> Iterator[tuple[Sequence[Any], str]]:
    """``(chunk, "?,?,…")`` pieces of ``values``, each small enough for one ``IN (…)``."""
    for i in range(0, len(values), _IN_CHUNK):
        chunk = values[i : i + _IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def _dumps(obj: Any) -> str | None:
    return json.dumps(obj, ensure_ascii=False) if obj else None


_PROPS_JSON: dict[tuple[tuple[str, str], ...], str | None] = {}


def _dumps_props(props: list[tuple[str, str]]) -> str | None:
    """``_dumps(props)``, memoised: an import's units usually share a few prop sets."""
    try:
        key = tuple(props)
        s = _PROPS_JSON.get(key)
    except TypeError:  # unhashable (lists given by a caller)
        return _dumps(props)
    if s is None:
        if len(_PROPS_JSON) > 4096:
            _PROPS_JSON.clear()
        s = _PROPS_JSON[key] = _dumps(props)
    return s


@dataclass
class _Chunk:
    """Up to ``BATCH`` entries ready for SQL: unit rows without their id, FTS documents."""

    rows: list[tuple[Any, ...]]
    toks: list[str]
    entries: list[TmEntry] | None
    read: int
    merged: int

    def entry(self, k: int) -> TmEntry:
        """The ``k``-th entry (rebuilt from its row when the chunk came from a reader
        process without its entries)."""
        if self.entries is not None:
            return self.entries[k]
        r = self.rows[k]
        return TmEntry(r[4], r[5], srclang=r[6], tgtlang=r[7], tuid=r[8], creationdate=r[9],
                       changedate=r[10], props=[tuple(p) for p in _loads(r[11], [])],  # type: ignore[misc]
                       notes=_loads(r[12], []), attrs=_loads(r[13], {}))

    @classmethod
    def prepare(cls, pending: dict[int, tuple[str, TmEntry]], read: int, merged: int) -> _Chunk:
        rows, toks, entries = [], [], []
        for h, (key, e) in pending.items():
            rows.append(
                (_hash(key), h, len(key), key, e.source, e.target, e.srclang, e.tgtlang,
                 e.tuid, e.creationdate, e.changedate, _dumps_props(e.props), _dumps(e.notes),
                 _dumps(e.attrs))
            )
            toks.append(index_tokens(key))
            entries.append(e)
        return cls(rows, toks, entries, read, merged)


class _Prefetch:
    """Iterate ``source`` in a helper thread, at most two items ahead (a context manager).

    Reading and preparing the next chunk (Python) overlaps with writing the current one
    (SQLite runs without the GIL). An exception in the helper is raised to the consumer;
    leaving the context early stops the helper.
    """

    _END = object()

    def __init__(self, source: Iterable[Any]) -> None:
        self._q: queue.Queue[Any] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source,), daemon=True,
                                         name="bitext-tm-reader")

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, source: Iterable[Any]) -> None:
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            self._put(_Raised(e))
            return
        self._put(self._END)

    def __enter__(self) -> Iterator[Any]:
        self._thread.start()
        return self._iter()

    def _iter(self) -> Iterator[Any]:
        while True:
            item = self._q.get()
            if item is self._END:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class _Raised:
    error: BaseException


def _tmx_entries(path: str | Path, gist_file: bool, skipped: list[int]) -> Iterator[TmEntry]:
    """The entries of a TMX file (gist-labelled when the whole file is a gist); units that
    are not zh→en pairs are counted in ``skipped[0]``."""
    for unit in iter_units(path):
        if gist_file and not is_gist_unit(unit.props):
            unit = dataclasses.replace(unit, props=(*unit.props, (GIST_PROP, "gist")))
        e = entry_from_tmx(unit)
        if e is None:
            skipped[0] += 1
            continue
        yield e


def _reader_main(path: str, gist_file: bool) -> None:
    """Body of the reader process (``python -c`` from ``_ReaderProcess``): parse and
    prepare ``path``'s chunks and write them to stdout as pickled records
    ``("chunk", (rows, toks, read, merged))``, then ``("end", skipped)``, or
    ``("error", exception)``."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it; no second traceback
    out = sys.stdout.buffer
    try:
        try:
            skipped = [0]
            for ch in TranslationMemory._chunks(_tmx_entries(path, gist_file, skipped)):
                pickle.dump(("chunk", (ch.rows, ch.toks, ch.read, ch.merged)), out, protocol=5)
            pickle.dump(("end", skipped[0]), out, protocol=5)
        except BrokenPipeError:
            raise
        except BaseException as e:  # noqa: BLE001 - handed to the parent
            try:
                pickle.loads(pickle.dumps(e))
                err: BaseException = e
            except Exception:  # noqa: BLE001 - an exception that does not travel
                err = FormatError(f"{type(e).__name__}: {e}", path)
            pickle.dump(("error", err), out, protocol=5)
        out.flush()
    except BrokenPipeError:
        pass  # the parent stopped reading
    os._exit(0)  # no flush of a closed pipe at shutdown


class _ReaderFailed(Exception):
    """The reader process ended before sending anything (it could not start here, e.g.
    a frozen interpreter)."""


class _ReaderProcess:
    """Chunks of a TMX file parsed and prepared in a child Python process that streams
    them over a pipe (a context manager yielding ``_Chunk``s; ``skipped`` is set at the
    end). Leaving early kills the child. ``_ReaderFailed`` when it ends before its first
    record (nothing was written then)."""

    def __init__(self, path: str | Path, gist_file: bool) -> None:
        import sys

        code = ("import sys; from bitext.tm import _reader_main; "
                "_reader_main(sys.argv[1], sys.argv[2] == '1')")
        self._args = [sys.executable, "-c", code, str(path), "1" if gist_file else "0"]
        root = str(Path(__file__).resolve().parent.parent)  # this very bitext, not another
        self._env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        self._p: Any = None
        self.skipped = 0
        self.received = False

    def __enter__(self) -> Iterator[_Chunk]:
        import subprocess

        try:
            self._p = subprocess.Popen(self._args, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, env=self._env)
        except OSError as e:
            raise _ReaderFailed(str(e)) from e
        return self._iter()

    def _iter(self) -> Iterator[_Chunk]:
        f = self._p.stdout
        while True:
            try:
                kind, value = pickle.load(f)
            except Exception:  # noqa: BLE001 - end of stream, or a stream that is not ours
                with contextlib.suppress(OSError):
                    self._p.stdout.close()  # a child still writing gets a broken pipe
                code = self._p.wait()
                if not self.received:
                    raise _ReaderFailed(f"exit code {code}") from None
                raise FormatError(f"the TMX reader process stopped (exit code {code}); "
                                  "nothing after the last committed chunk was stored") from None
            self.received = True
            if kind == "chunk":
                rows, toks, read, merged = value
                yield _Chunk(rows, toks, None, read, merged)
            elif kind == "end":
                self.skipped = value
                return
            else:
                raise value

    def __exit__(self, *exc: object) -> None:
        if self._p is None:
            return
        if self._p.poll() is None:
            self._p.kill()
        self._p.stdout.close()
        self._p.wait()


def _mentions(path: str | Path, needle: bytes) -> bool:
    """Whether the file's bytes contain ``needle`` (read in 1 MiB blocks: no parse, flat memory)."""
    tail = b""
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                if needle in tail + block[: len(needle)] or needle in block:
                    return True
                tail = block[-(len(needle) - 1):]
    except OSError:
        return True  # cannot tell: let the parse decide
    return False


def _loads(s: str | None, default: Any) -> Any:
    return json.loads(s) if s else default


# --------------------------------------------------------------------------- the memory

_TU_ATTRS = frozenset({
    "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationid", "changeid", "o-tmf",
})
"""Stored ``<tu>`` attributes written back on export (those the TMX 1.4 DTD allows; ``segtype``
is an enumeration and ``srclang`` is recomputed, so neither is copied blindly)."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS units(
        id INTEGER PRIMARY KEY,
        kh INTEGER NOT NULL,
        h INTEGER NOT NULL UNIQUE,
        klen INTEGER NOT NULL,
        key TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        srclang TEXT NOT NULL,
        tgtlang TEXT NOT NULL,
        tuid TEXT,
        creationdate TEXT,
        changedate TEXT,
        props TEXT,
        notes TEXT,
        attrs TEXT)""",
    "CREATE INDEX IF NOT EXISTS units_kh ON units(kh)",
    "CREATE INDEX IF NOT EXISTS units_klen ON units(klen)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5(g, content='', detail=none)",
    "CREATE TABLE IF NOT EXISTS gram_df(t TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)",
)


_REQUIRED_TABLES = ("units", "grams", "gram_df", "meta")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_header(path: Path, *, empty_ok: bool) -> None:
    """Refuse a file that is not SQLite (or is empty, when only reading) before opening it."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise FormatError(f"cannot read the translation memory: {e.strerror or e}", str(path)) from None
    if not head:
        if empty_ok:
            return
        raise FormatError(
            "an empty file, not a translation memory (bitext tm import creates one)", str(path)
        )
    if head != _SQLITE_MAGIC:
        raise FormatError(
            "not a SQLite file, so not a translation memory; give the right --db", str(path)
        )


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open for reading only: nothing is created or converted; works in read-only folders.

    A WAL memory needs its ``-shm`` file; where that cannot be created (read-only folder)
    the file is opened as immutable (no other writer can be running there anyway).
    """
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    try:
        db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
            raise
    return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=BUSY_TIMEOUT_S,
                           isolation_level=None)


def database_error(e: BaseException, path: str | Path | None) -> FormatError:
    """A SQLite error as one line naming the file and what to do."""
    msg = str(e)
    low = msg.lower()
    where = str(path) if path is not None else None
    db = f" --db {path}" if path is not None else ""
    if "readonly" in low or "read-only" in low:
        text = ("the translation memory is read-only (file or folder not writable); reading "
                "works, but to write into it copy it somewhere writable or fix its permissions")
    elif "malformed" in low or "not a database" in low or "encrypted" in low or "corrupt" in low:
        text = (f"the translation memory is damaged ({msg}); run 'bitext tm check{db}', then "
                f"'bitext tm repair{db}' or restore a backup")
    elif "no such table" in low or "no such column" in low:
        text = (f"the translation memory lacks part of its schema ({msg}); run "
                f"'bitext tm repair{db}' to rebuild the index")
    elif "locked" in low or "busy" in low:
        text = "the translation memory is busy (another process holds a lock); try again"
    elif "disk" in low and ("full" in low or "i/o" in low) or "i/o error" in low:
        text = f"cannot write the translation memory ({msg}); free disk space or check the disk"
    elif "unable to open" in low:
        text = f"cannot open the translation memory ({msg}); check the path and permissions"
    else:
        text = f"translation memory error: {msg}"
    return FormatError(text, where)


@contextlib.contextmanager
def db_errors(path: str | Path | None) -> Iterator[None]:
    """Turn SQLite errors raised inside into one-line ``FormatError``s naming ``path``."""
    try:
        yield
    except sqlite3.Error as e:
        raise database_error(e, path) from None


class TranslationMemory:
    """A translation memory in one SQLite file.

    Args:
        path: the file; created (with its folder) when missing unless ``create`` is False.
        create: False to refuse a missing file (``ConfigError``).

    Raises:
        ConfigError: missing file with ``create=False``.
        FormatError: the file is not a SQLite database or not a bitext memory.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_path()
        self.readonly = not create
        if not self.path.exists():
            if not create:
                raise ConfigError(f"no translation memory at {self.path} (import a TMX first)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif self.path.is_dir():
            raise FormatError("is a folder, not a translation memory file", str(self.path))
        else:
            _check_header(self.path, empty_ok=create)
        try:
            if create:
                self._db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            else:
                self._db = _connect_readonly(self.path)
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            if create:
                self._setup()
            else:
                self._validate()
        except sqlite3.DatabaseError as e:
            with contextlib.suppress(Exception):
                self._db.close()
            raise database_error(e, self.path) from None
        except BaseException:
            with contextlib.suppress(Exception):
                self._db.close()
            raise

    # ------------------------------------------------------------------ setup / lifecycle
    def _validate(self) -> None:
        """Check a memory opened for reading, changing nothing (no WAL switch, no schema)."""
        db = self._db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
        if version > SCHEMA_VERSION:
            raise FormatError(
                f"translation memory schema {version} is newer than this bitext ({SCHEMA_VERSION})",
                str(self.path),
            )
        if version != SCHEMA_VERSION or "units" not in tables:
            raise FormatError(
                "this SQLite file is not a bitext translation memory" if tables or version
                else "an empty SQLite file, not a translation memory (bitext tm import fills one)",
                str(self.path),
            )
        missing = [t for t in _REQUIRED_TABLES if t not in tables]
        if missing:
            raise FormatError(
                f"the translation memory lacks its {', '.join(missing)} table(s); "
                f"run 'bitext tm repair --db {self.path}' to rebuild the index",
                str(self.path),
            )

    def _setup(self) -> None:
        db = self._db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise FormatError(
                f"translation memory schema {version} is newer than this bitext ({SCHEMA_VERSION})",
                str(self.path),
            )
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == SCHEMA_VERSION:
            missing = [t for t in _REQUIRED_TABLES if t not in tables]
            if missing:
                raise FormatError(
                    f"the translation memory lacks its {', '.join(missing)} table(s); "
                    f"run 'bitext tm repair --db {self.path}' to rebuild the index",
                    str(self.path),
                )
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        if tables:  # checked before anything is written: a foreign file stays as it was
            raise FormatError("this SQLite file is not a bitext translation memory", str(self.path))
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _SCHEMA:
                db.execute(stmt)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('created', ?)", (_now(),)
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when this was the last one)."""
        self._db.close()

    def __enter__(self) -> TranslationMemory:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM units").fetchone()[0])

    # ------------------------------------------------------------------ writing
    def add_entries(
        self,
        entries: Iterable[TmEntry],
        *,
        counts: ImportCounts | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportCounts:
        """Store entries, merging duplicates (with each other and with stored units).

        Entries are prepared (normalised, hashed, bigram-tokenised) in chunks of ``BATCH``
        and written in ``BEGIN IMMEDIATE`` transactions of up to ``TXN_UNITS`` entries.
        A long input is read and prepared in a helper thread while the previous chunk is
        written (SQLite releases the GIL), and the bigram frequency table is recounted
        once at the end (see ``_recount_gram_df``) instead of being updated per unit.

        Returns:
            the counts (``added`` and ``merged`` updated; ``read`` counts entries given).
        """
        counts = counts or ImportCounts()
        if isinstance(entries, (list, tuple)) and len(entries) <= BATCH:
            return self._load(contextlib.nullcontext(self._chunks(entries)), counts, progress)
        return self._load(_Prefetch(self._chunks(entries)), counts, progress)

    def _load(self, source: Any, counts: ImportCounts,
              progress: Callable[[int], None] | None) -> ImportCounts:
        """Write the chunks ``source`` (a context manager yielding ``_Chunk``s) yields."""
        db = self._db
        sync = db.execute("PRAGMA synchronous").fetchone()[0]
        # WAL + NORMAL is still crash-safe (a kill -9 or power loss keeps every committed
        # transaction but possibly the last one consistent); it skips an fsync per commit.
        db.execute("PRAGMA synchronous = NORMAL")
        try:
            with source as chunks:
                self._write_chunks(chunks, counts, progress)
        finally:
            db.execute(f"PRAGMA synchronous = {int(sync)}")
        return counts

    @staticmethod
    def _chunks(entries: Iterable[TmEntry]) -> Iterator[_Chunk]:
        """Entries in chunks of ``BATCH``, duplicates within a chunk merged, rows prepared."""
        pending: dict[int, tuple[str, TmEntry]] = {}
        read = merged = 0
        for e in entries:
            read += 1
            key = normalize(e.source)
            e.target = e.target.strip()
            h = _hash(key, e.target)
            prev = pending.get(h)
            if prev is not None:
                prev[1].merge(e)
                merged += 1
            else:
                pending[h] = (key, e)
            if read >= BATCH:
                yield _Chunk.prepare(pending, read, merged)
                pending = {}
                read = merged = 0
        if read:
            yield _Chunk.prepare(pending, read, merged)

    def _write_chunks(
        self, chunks: Iterable[_Chunk], counts: ImportCounts, progress: Callable[[int], None] | None
    ) -> None:
        db = self._db
        it = iter(chunks)
        first = True
        bulk = False
        chunk = next(it, None)
        error: BaseException | None = None
        while chunk is not None:
            db.execute("BEGIN IMMEDIATE")
            try:
                in_txn = 0
                done: list[int] = []
                while chunk is not None:
                    # The first chunk keeps gram_df exact incrementally (small writes stay
                    # cheap); a longer load marks it stale and recounts it at the end.
                    self._write_chunk(chunk, counts, exact_df=first)
                    if not first:
                        if not bulk:
                            bulk = True
                            # FTS5 keeps up to this many bytes of new postings in memory before
                            # writing a segment: fewer, larger segments mean far less merging
                            # (a persistent FTS5 setting; the default is 1 MiB).
                            db.execute("INSERT INTO grams(grams, rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,))
                        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (_DF_STALE,))
                    first = False
                    in_txn += chunk.read
                    done.append(chunk.read)
                    if in_txn >= TXN_UNITS:
                        break
                    try:
                        chunk = next(it, None)
                    except BaseException as e:  # noqa: BLE001 - the input failed: keep what is written
                        chunk, error = None, e
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if progress:
                for n in done:
                    progress(n)
            if error is not None:
                raise error
            if chunk is not None:
                chunk = next(it, None)
        if not first:
            # Frequencies left stale by this load (or by an earlier, interrupted one)
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("SELECT 1 FROM meta WHERE key = ?", (_DF_STALE,)).fetchone():
                    self._recount_gram_df()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _write_chunk(self, chunk: _Chunk, counts: ImportCounts, *, exact_df: bool) -> None:
        db = self._db
        counts.read += chunk.read
        counts.merged += chunk.merged
        existing: dict[int, tuple[Any, ...]] = {}
        if chunk.rows:
            # one statement for the whole chunk: the hashes travel as a JSON array
            for row in db.execute(
                "SELECT h, id, tuid, creationdate, changedate, props, notes, attrs FROM units "
                "WHERE h IN (SELECT value FROM json_each(?))",
                (json.dumps([r[1] for r in chunk.rows]),),
            ):
                existing[row[0]] = row
        updates = []
        if existing:
            new_rows: list[tuple[Any, ...]] = []
            new_toks: list[str] = []
            for k, (row_tail, toks) in enumerate(zip(chunk.rows, chunk.toks)):
                row = existing.get(row_tail[1])
                if row is None:
                    new_rows.append(row_tail)
                    new_toks.append(toks)
                    continue
                counts.merged += 1
                old = TmEntry(
                    "", "", tuid=row[2], creationdate=row[3], changedate=row[4],
                    props=[tuple(p) for p in _loads(row[5], [])],  # type: ignore[misc]
                    notes=_loads(row[6], []), attrs=_loads(row[7], {}),
                )
                old.merge(chunk.entry(k))
                updates.append(
                    (old.tuid, old.creationdate, old.changedate, _dumps(old.props),
                     _dumps(old.notes), _dumps(old.attrs), row[1])
                )
        else:  # the usual case in a bulk load: nothing to merge
            new_rows, new_toks = chunk.rows, chunk.toks
        if updates:
            db.executemany(
                "UPDATE units SET tuid=?, creationdate=?, changedate=?, props=?, notes=?, "
                "attrs=? WHERE id=?",
                updates,
            )
        if not new_rows:
            return
        # Inside this transaction nobody else inserts, so SQLite gives the rows the ids
        # next_id, next_id + 1, … in order (max(rowid) + 1 each).
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM units").fetchone()[0]
        db.executemany(
            "INSERT INTO units(kh, h, klen, key, source, target, srclang, tgtlang, tuid, "
            "creationdate, changedate, props, notes, attrs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            new_rows,
        )
        last = db.execute("SELECT max(id) FROM units").fetchone()[0]
        if last != next_id + len(new_rows) - 1:  # cannot happen; never index the wrong rows
            raise sqlite3.DatabaseError("unit ids were not assigned consecutively")
        db.executemany(
            "INSERT INTO grams(rowid, g) VALUES (?, ?)",
            [(uid, t) for uid, t in enumerate(new_toks, next_id) if t],
        )
        if exact_df:
            df: Counter[str] = Counter()
            for t in new_toks:
                df.update(t.split())
            db.executemany(
                "INSERT INTO gram_df(t, n) VALUES (?, ?) "
                "ON CONFLICT(t) DO UPDATE SET n = n + excluded.n",
                df.items(),
            )
        counts.added += len(new_rows)

    def _recount_gram_df(self) -> None:
        """Rebuild ``gram_df`` from the FTS index itself (inside the caller's transaction).

        FTS5's ``fts5vocab`` reports each token's document count; one pass over the index
        in C is far cheaper than counting tens of millions of tokens in Python during a
        bulk load. Clears the stale mark set by a bulk load.
        """
        db = self._db
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.grams_vocab USING fts5vocab(main, grams, 'row')")
        db.execute("DELETE FROM gram_df")
        db.execute("INSERT INTO gram_df(t, n) SELECT term, doc FROM temp.grams_vocab")
        db.execute("DELETE FROM meta WHERE key = ?", (_DF_STALE,))

    def import_tmx(
        self,
        path: str | Path,
        *,
        counts: ImportCounts | None = None,
        progress: Callable[[int], None] | None = None,
        allow_gist: bool = False,
    ) -> ImportCounts:
        """Stream a TMX file into the memory (zh-* source, en-* target).

        Units from bitext's gloss engine (``<prop type="x-bitext-origin">gist</prop>``, or
        every unit of a file whose header says ``x-bitext-gist`` ``true``) are word-by-word
        gists, not translations: the file is refused unless ``allow_gist``; then they are
        stored with ``x-bitext-origin`` ``gist`` and every reuse says so.

        A file of ``READER_PROCESS_MIN_BYTES`` or more is parsed and prepared in a child
        Python process that streams chunks over a pipe while this one writes them (two
        threads would take turns on the GIL); when no child can start, it is read here.

        Raises:
            FormatError: the file is missing, malformed or not TMX.
            BitextError: the file holds gist units and ``allow_gist`` is False (nothing stored).
        """
        counts = counts or ImportCounts()
        gist_file = ("x-bitext-gist", "true") in [tuple(p) for p in read_header(path).get("props", [])]
        if not allow_gist and (gist_file or _mentions(path, GIST_PROP.encode("ascii"))):
            # a byte scan first: a second full parse only for files that name gist units
            n = sum(1 for u in iter_units(path) if gist_file or is_gist_unit(u.props))
            if n:
                from bitext.errors import BitextError

                raise BitextError(
                    f"{path}: {n} unit(s) are word-by-word gists from the gloss engine, not "
                    "translations; refusing to import them (use --allow-gist to store them labelled as gist)"
                )

        try:
            big = os.path.getsize(path) >= READER_PROCESS_MIN_BYTES
        except OSError:
            big = False
        if big:
            # Parsing and preparing (Python) run in a reader process, writing here.
            reader = _ReaderProcess(path, gist_file)
            try:
                self._load(reader, counts, progress)
            except _ReaderFailed as e:
                log.info("the TMX reader process did not start (%s); reading in this process", e)
                big = False
            finally:
                counts.skipped += reader.skipped
        if not big:
            skipped = [0]
            try:
                self.add_entries(_tmx_entries(path, gist_file, skipped), counts=counts,
                                 progress=progress)
            finally:
                counts.skipped += skipped[0]
        counts.read += counts.skipped
        return counts

    def is_gist(self, text: str) -> bool:
        """Whether the exact match for ``text`` (``lookup_exact``) was stored as a gist."""
        row = self._exact_row(text)
        return row is not None and is_gist_unit(tuple(p) for p in _loads(row[1], []))

    def add(self, source: str, target: str, **fields: Any) -> ImportCounts:
        """Store one pair (see ``TmEntry`` for the other fields)."""
        return self.add_entries([TmEntry(source, target, **fields)])

    def add_results(self, tdoc: Any) -> ImportCounts:
        """Learn the machine translations of a run (``bitext translate --tm-update``).

        Only neural (``mt``) results are written, each with props ``x-origin`` and
        ``x-engine``; memory matches are already there, and word-by-word gists and
        passthrough segments are not translations.
        """
        stamp = tdoc.info.created or _now()
        entries = []
        gists = 0
        for r in tdoc.results.values():
            if r.origin == "gist":
                gists += 1
                continue
            if r.origin != "mt" or not r.target.strip() or not r.segment.text.strip():
                continue
            entries.append(
                TmEntry(
                    source=r.segment.text,
                    target=r.target,
                    tuid=r.segment.id,
                    creationdate=stamp,
                    props=[("x-origin", "mt"), ("x-engine", tdoc.info.engine_signature)],
                )
            )
        if gists:
            log.warning("%d word-by-word gist(s) not written to the translation memory", gists)
        return self.add_entries(entries)

    # ------------------------------------------------------------------ reading
    def lookup_exact(self, text: str) -> str | None:
        """The target of a unit whose normalised source equals ``text``'s, or None.

        Among several targets the most recently changed (then created, then stored) wins.
        """
        row = self._exact_row(text)
        return str(row[0]) if row is not None else None

    def _exact_row(self, text: str) -> tuple[Any, Any] | None:
        """``(target, props)`` of the exact (normalised) match for ``text``, or None; among
        several, the most recently changed (then created, then stored) wins."""
        key = normalize(text)
        if not key:
            return None
        rows = self._db.execute(
            "SELECT key, target, props FROM units WHERE kh = ? "
            "ORDER BY coalesce(changedate, creationdate, '') DESC, id DESC",
            (_hash(key),),
        ).fetchall()
        for stored, target, props in rows:
            if stored == key:
                return target, props
        return None

    def lookup_fuzzy(
        self, text: str, threshold: float = 0.75, limit: int = FUZZY_LIMIT
    ) -> list[tuple[float, str, str]]:
        """Units whose source is at least ``threshold`` similar to ``text``.

        Returns:
            up to ``limit`` ``(similarity, source, target)``, best first (exact matches,
            similarity 1.0, included).
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        key = normalize(text)
        if not key:
            return []
        threshold = max(0.0, min(1.0, threshold))
        la = len(key)
        # Levenshtein similarity >= t implies distance <= k and the other length in range.
        t = max(threshold, 1e-6)
        k = int((1 - t) * la / t + 1e-9)
        lo, hi = max(1, int(la * t - 1e-9)), int(la / t + 1e-9) + 1
        qgrams = grams(key)
        required = len(qgrams) - 2 * k
        db = self._db
        if required <= 0 or threshold <= 0:
            rows = db.execute(
                "SELECT id, key, source, target FROM units WHERE klen BETWEEN ? AND ? LIMIT ?",
                (lo, hi, _SHORT_SCAN),
            ).fetchall()
        else:
            buckets = range(length_bucket(lo), length_bucket(hi) + 1)
            ids = self._candidates(qgrams, required, buckets)
            rows = []
            for chunk, q in _in_chunks(ids):
                rows += db.execute(
                    f"SELECT id, key, source, target FROM units WHERE id IN ({q}) "
                    "AND klen BETWEEN ? AND ?",
                    (*chunk, lo, hi),
                ).fetchall()
        if not rows:
            return []
        scored = process.extract(
            key, [r[1] for r in rows], scorer=Levenshtein.normalized_similarity,
            score_cutoff=threshold, limit=None,
        )
        best: dict[tuple[str, str], tuple[float, int]] = {}
        for _, s, idx in scored:
            uid, _, source, target = rows[idx]
            if s >= threshold and s > 0:
                prev = best.get((source, target))
                if prev is None or s > prev[0]:
                    best[(source, target)] = (s, uid)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1]))
        return [(round(float(s), 4), src, tgt) for (src, tgt), (s, _) in ranked[:limit]]

    def _candidates(self, qgrams: list[str], required: int, buckets: range) -> list[int]:
        """Unit ids sharing enough bigrams with the query (q-gram count filter).

        Postings are read rarest bigram first. All of the ``n - required + 1`` rarest must
        be read for the filter to be exact; past a postings budget (pathological memories
        where every bigram is frequent) the lookup settles for the best-sharing candidates.
        """
        db = self._db
        toks = {g: [f"{g}b{b}" for b in buckets] for g in qgrams}
        flat = [t for ts in toks.values() for t in ts]
        df_tok: dict[str, int] = {}
        for chunk, q in _in_chunks(flat):
            df_tok.update(
                db.execute(f"SELECT t, n FROM gram_df WHERE t IN ({q})", chunk)
            )
        df = {g: sum(df_tok.get(t, 0) for t in ts) for g, ts in toks.items()}
        order = sorted(qgrams, key=lambda g: df[g])
        n = len(order)
        mandatory = n - required + 1  # a match must hold at least one of these
        counter: Counter[int] = Counter()
        read = 0
        probed = 0
        for i, g in enumerate(order):
            if df[g] == 0:
                probed += 1
                continue
            if read and read + df[g] > (_POSTINGS_BUDGET if i < mandatory else _POSTINGS_EXTRA):
                break
            match = " OR ".join(f'"{t}"' for t in toks[g] if df_tok.get(t))
            counter.update(r for (r,) in db.execute(
                "SELECT rowid FROM grams WHERE grams MATCH ?", (match,)
            ))
            read += df[g]
            probed += 1
        need = max(1, required - (n - probed))
        cands = [(c, rid) for rid, c in counter.items() if c >= need]
        if len(cands) > _MAX_VERIFY:
            cands.sort(reverse=True)
            cands = cands[:_MAX_VERIFY]
        return [rid for _, rid in cands]

    def iter_entries(self) -> Iterator[TmEntry]:
        """All units in storage order (streamed)."""
        cur = self._db.execute(
            "SELECT id, source, target, srclang, tgtlang, tuid, creationdate, changedate, "
            "props, notes, attrs FROM units ORDER BY id"
        )
        for row in cur:
            yield TmEntry(
                source=row[1], target=row[2], srclang=row[3], tgtlang=row[4],
                tuid=row[5] if row[5] is not None else str(row[0]),
                creationdate=row[6], changedate=row[7],
                props=[tuple(p) for p in _loads(row[8], [])],  # type: ignore[misc]
                notes=_loads(row[9], []), attrs=_loads(row[10], {}),
            )

    def export_tmx(self, path: str | Path) -> int:
        """Stream every unit into a TMX 1.4b file (atomic). Returns the unit count."""
        row = self._db.execute(
            "SELECT srclang, count(*) AS n FROM units GROUP BY srclang "
            "ORDER BY n DESC, srclang = 'zh-CN' DESC, srclang LIMIT 1"
        ).fetchone()
        srclang = row[0] if row else "zh-CN"

        def tu_attrs(e: TmEntry) -> tuple[tuple[str, str], ...]:
            out = [(k, v) for k, v in e.attrs.items() if k in _TU_ATTRS]
            if e.srclang != srclang:  # this unit's source language differs from the header's
                out.append(("srclang", e.srclang))
            return tuple(out)

        units = (
            TmxUnit(
                tuid=e.tuid, source=e.source, target=e.target, props=tuple(e.props),
                notes=tuple(e.notes), creationdate=e.creationdate, changedate=e.changedate,
                srclang=e.srclang, tgtlang=e.tgtlang, attrs=tu_attrs(e),
            )
            for e in self.iter_entries()
        )
        return write_units(
            path, units, srclang=srclang, header_props=(("x-bitext-tm", str(self.path.name)),)
        )

    def stats(self) -> dict[str, Any]:
        """Counts and facts about the memory (``bitext tm stats``)."""
        db = self._db
        units = db.execute("SELECT count(*) FROM units").fetchone()[0]
        sources = db.execute("SELECT count(DISTINCT kh) FROM units").fetchone()[0]
        pairs = {
            f"{s}→{t}": n
            for s, t, n in db.execute(
                "SELECT srclang, tgtlang, count(*) FROM units GROUP BY srclang, tgtlang "
                "ORDER BY count(*) DESC"
            )
        }
        first, last = db.execute(
            "SELECT min(creationdate), max(coalesce(changedate, creationdate)) FROM units"
        ).fetchone()
        created = db.execute("SELECT value FROM meta WHERE key='created'").fetchone()
        size = sum(
            p.stat().st_size
            for p in (self.path, Path(str(self.path) + "-wal"))
            if p.exists()
        )
        return {
            "db": str(self.path),
            "units": units,
            "distinct_sources": sources,
            "language_pairs": pairs,
            "oldest_unit": first,
            "newest_unit": last,
            "created": created[0] if created else None,
            "size_bytes": size,
            "schema": SCHEMA_VERSION,
        }


# ---------------------------------------------------------------------- maintenance
def check_memory(path: str | Path) -> list[str]:
    """Problems of a memory file (empty list: healthy), found without changing it.

    Runs SQLite's ``integrity_check`` and checks the schema and the fuzzy index tables.
    """
    p = Path(path)
    if not p.exists():
        return [f"no such file: {p}"]
    try:
        _check_header(p, empty_ok=False)
    except FormatError as e:
        return [e.message]
    problems: list[str] = []
    try:
        db = _connect_readonly(p)
    except sqlite3.Error as e:
        return [f"cannot open: {e}"]
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check(20)")]
        if rows != ["ok"]:
            problems += [f"integrity: {r}" for r in rows]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version != SCHEMA_VERSION or "units" not in tables:
            problems.append("not a bitext translation memory (schema version "
                            f"{version}, tables: {', '.join(sorted(tables)) or 'none'})")
            return problems
        for t in _REQUIRED_TABLES:
            if t not in tables:
                problems.append(f"missing table {t} (repair rebuilds it)")
        if not problems:
            units = db.execute("SELECT count(*) FROM units").fetchone()[0]
            df = db.execute("SELECT count(*) FROM gram_df").fetchone()[0]
            if units and not df:
                problems.append(f"the fuzzy index is empty but {units} units are stored "
                                "(repair rebuilds it)")
    except sqlite3.Error as e:
        problems.append(f"unreadable: {e}")
    finally:
        db.close()
    return problems


def backup_memory(path: str | Path) -> Path:
    """Copy the memory (consistently, through SQLite) next to it as ``NAME.bak-STAMP``."""
    p = Path(path)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    dest = p.with_name(f"{p.name}.bak-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = p.with_name(f"{p.name}.bak-{stamp}-{n}")
    tmp = p.with_name(f".{dest.name}.tmp")
    try:
        src = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_S)
        try:
            out = sqlite3.connect(str(tmp))
            try:
                src.backup(out)
            finally:
                out.close()
        finally:
            src.close()
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, sqlite3.Error):
            raise database_error(e, p) from None
        raise FormatError(f"cannot write the backup {dest}: {e.strerror or e}", str(p)) from None
    return dest


def repair_memory(path: str | Path) -> dict[str, Any]:
    """Back the memory up, then rebuild its fuzzy index (``grams``, ``gram_df``) from ``units``.

    Returns:
        ``{"db", "backup", "units", "indexed"}``.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"no translation memory at {p}")
    _check_header(p, empty_ok=False)
    with db_errors(p):
        db = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if "units" not in tables or version not in (0, SCHEMA_VERSION):
                raise FormatError("this SQLite file is not a bitext translation memory; "
                                  "nothing to repair", str(p))
        finally:
            db.close()
        backup = backup_memory(p)
        db = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DROP TABLE IF EXISTS grams")
                db.execute("DROP TABLE IF EXISTS gram_df")
                for stmt in _SCHEMA:
                    db.execute(stmt)
                df: Counter[str] = Counter()
                indexed = 0
                rows = db.execute("SELECT id, key FROM units ORDER BY id").fetchall()
                batch = []
                for uid, key in rows:
                    toks = index_tokens(key)
                    if toks:
                        batch.append((uid, toks))
                        df.update(toks.split())
                        indexed += 1
                db.executemany("INSERT INTO grams(rowid, g) VALUES (?, ?)", batch)
                db.executemany("INSERT INTO gram_df(t, n) VALUES (?, ?)", df.items())
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created', ?)", (_now(),))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.close()
    return {"db": str(p), "backup": str(backup), "units": len(rows), "indexed": indexed}


def vacuum_memory(path: str | Path) -> dict[str, Any]:
    """Back the memory up, then ``VACUUM`` it (reclaims space after deletions).

    Returns:
        ``{"db", "backup", "size_before", "size_after"}``.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"no translation memory at {p}")
    with TranslationMemory(p, create=False):
        pass  # refuses foreign, empty and damaged-schema files before anything is written
    before = p.stat().st_size
    backup = backup_memory(p)
    with db_errors(p):
        db = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("VACUUM")
        finally:
            db.close()
    return {"db": str(p), "backup": str(backup), "size_before": before, "size_after": p.stat().st_size}

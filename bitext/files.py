"""File plumbing shared by readers and writers: atomic writes and encoding detection."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import os
import re
import stat as _stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from bitext.errors import BitextError, ConfigError, FormatError, OutputConflictError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".bitext-tmp-"
"""Every temp file and install folder bitext makes starts with this and the writing
process's id (``.bitext-tmp-PID-NAME.…``), so that a later run can sweep the ones a killed
run left (see :func:`sweep_stale_temps`)."""

STALE_TEMP_SECONDS = 300
"""A temp file whose writer cannot be told (no process id in its name) is a leftover once
older than this (5 minutes); one whose process has ended is a leftover at once."""

LIVE_TEMP_SECONDS = 24 * 3600
"""A temp file of a process id still running is kept unless older than this (a day: the
id was reused by another process)."""


def temp_prefix(name: str = "") -> str:
    """``.bitext-tmp-PID-NAME.``: the prefix of this process's temp files."""
    return f"{TEMP_PREFIX}{os.getpid()}-{name}"


def _pid_of(entry_name: str, prefix: str) -> int | None:
    head = entry_name[len(prefix):].split("-", 1)[0]
    return int(head) if head.isdigit() and prefix == TEMP_PREFIX else None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


DEFAULT_MAX_INPUT_MB = 200
"""Inputs larger than this are refused before reading (``--max-input-mb`` or the
``BITEXT_MAX_INPUT_MB`` environment variable change it; 0 means no limit)."""

_MAX_INPUT_MB: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "bitext_max_input_mb", default=None
)

_STAGED: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar(
    "bitext_staged_outputs", default=None
)


def _write_error(path: Path, e: OSError) -> BitextError:
    return BitextError(f"cannot write {path}: {e.strerror or e}")


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temp file in the target's folder, then ``os.replace`` it into place.

    If the block raises, the temp file is removed and any earlier file at ``path`` is
    left untouched. A symlink is followed (its target is replaced, the link kept); a
    device or pipe (``/dev/stdout``, a FIFO) is written directly, never replaced. Inside :func:`atomic_outputs` the replace waits until every output
    of the group is written.

    Raises:
        BitextError: the folder or file cannot be created or written (one line).
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()  # replace the link's target, keep the link
    if path.exists() and not path.is_file():
        # A device, pipe or socket (/dev/stdout, a FIFO): write into it; renaming a temp file
        # over it would replace the device with a regular file.
        if path.is_dir():
            raise BitextError(f"cannot write {path}: it is a folder")
        try:
            if "b" in mode:
                with open(path, mode) as fb:
                    yield fb
            else:
                with open(path, mode, encoding=encoding, newline="") as ft:
                    yield ft
        except OSError as e:
            raise _write_error(path, e) from None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_once(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name) + ".", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise _write_error(path, e) from None
    _LIVE_TEMPS.add(tmp)
    try:
        if "b" in mode:
            f = os.fdopen(fd, mode)
        else:
            f = os.fdopen(fd, mode, encoding=encoding, newline="")
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _final_mode(path))  # mkstemp makes 0600; outputs get normal permissions
        staged = _STAGED.get()
        if staged is not None:
            staged.append((tmp, path))
        else:
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise _write_error(path, e) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _LIVE_TEMPS.discard(tmp)
        raise
    if staged is None:
        _LIVE_TEMPS.discard(tmp)


_LIVE_TEMPS: set[str] = set()
"""Temp files of this process not yet moved into place (removed on SIGTERM/SIGHUP)."""


def remove_live_temps() -> None:
    """Remove this process's temp files still in flight (called by the CLI's signal handler)."""
    import shutil

    for tmp in list(_LIVE_TEMPS):
        with contextlib.suppress(OSError):
            if os.path.isdir(tmp) and not os.path.islink(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.unlink(tmp)
        _LIVE_TEMPS.discard(tmp)


_SWEPT: set[str] = set()


def _sweep_once(folder: Path) -> None:
    """Sweep ``folder`` on this process's first write there (a batch run writes thousands)."""
    key = os.path.abspath(folder)
    if key not in _SWEPT:
        _SWEPT.add(key)
        sweep_stale_temps(folder)


def sweep_stale_temps(folder: str | Path, prefix: str = TEMP_PREFIX,
                      older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove leftovers of killed runs in ``folder``: entries named ``prefix…`` (files, or
    folders for install staging) whose writing process has ended (its id is in the name:
    ``.bitext-tmp-PID-…``), or, when no running process can be told, older than
    ``older_than`` seconds. Nothing else is touched; a running process's temps are kept.

    Returns the number removed; errors are ignored (another run may be sweeping too).
    """
    import shutil

    now = time.time()
    n = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        if not e.name.startswith(prefix):
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        age = now - st.st_mtime
        pid = _pid_of(e.name, prefix)
        if pid is not None:
            if _running(pid) and age < LIVE_TEMP_SECONDS:
                continue
        elif age < older_than:
            continue
        with contextlib.suppress(OSError):
            if _stat.S_ISDIR(st.st_mode):
                shutil.rmtree(e.path)
            elif _stat.S_ISREG(st.st_mode):
                os.unlink(e.path)
            else:
                continue
            n += 1
    return n


@contextlib.contextmanager
def atomic_outputs() -> Iterator[None]:
    """Group the :func:`atomic_write` calls made inside: all outputs or none.

    Each file is written to its temp file as usual; only when the whole block succeeds
    are they moved into place, so a run that fails half-way leaves every earlier file
    untouched.

    Raises:
        BitextError: a file cannot be moved into place.
    """
    staged: list[tuple[str, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            _LIVE_TEMPS.discard(tmp)
        raise
    finally:
        _STAGED.reset(token)
    try:
        for k, (tmp, path) in enumerate(staged):
            try:
                os.replace(tmp, path)
            except OSError as e:
                for later, _ in staged[k:]:
                    with contextlib.suppress(OSError):
                        os.unlink(later)
                raise _write_error(path, e) from None
    finally:
        for tmp, _ in staged:
            _LIVE_TEMPS.discard(tmp)


def _final_mode(path: Path) -> int:
    """The mode an output gets: the replaced file's, else 0666 minus the process umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP or Office file (.docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
"""Signatures of common binary formats a user may pass by mistake (some have no NUL early)."""


CUT_CHARACTER = "file ends in a cut character (a truncated UTF-8 sequence); it was dropped"
"""The warning for a UTF-8 file whose last character lost its final byte(s)."""


def normalize_encoding(name: str) -> str:
    """A Python codec name for ``--encoding`` (``utf8``, ``GBK``, ``big5``…).

    Raises:
        ConfigError: an unknown encoding name.
    """
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ConfigError(
            f"unknown encoding '{name}'; use e.g. utf-8, gb18030, gbk, big5, utf-16"
        ) from None


def decode_bytes(data: bytes, name: str = "<input>", encoding: str | None = None,
                 warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK, Big5.

    Valid UTF-8 whose last character was cut short (a truncated download) is still
    UTF-8: the cut bytes are dropped with a warning. A legacy encoding is chosen only
    when its result reads as common Chinese at least as well as a near-fit UTF-8 reading.

    Args:
        data: the file's bytes.
        name: the file name for messages.
        encoding: force this encoding (``--encoding``); no detection.
        warnings: a list that receives warnings (also logged).

    Returns:
        ``(text, encoding)``.

    Raises:
        FormatError: binary or undecodable input (one line, says what to do).
    """
    def warn(msg: str) -> None:
        log.warning("%s: %s", name, msg)
        if warnings is not None:
            warnings.append(msg)

    if encoding:
        enc = normalize_encoding(encoding)
        if enc == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
            enc = "utf-8-sig"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as e:
            raise FormatError(
                f"not valid {enc} (byte {e.start}: {e.reason}); check --encoding", name
            ) from None
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                cut = _cut_utf8(data, e) if enc == "utf-8-sig" else None
                if cut is not None:
                    warn(CUT_CHARACTER)
                    return cut[3:].decode("utf-8"), enc
                raise FormatError(f"file starts with a {enc} byte-order mark but is not valid {enc}", name) from None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise FormatError(
                f"looks like a binary file ({kind}), not text; give a text, Markdown or HTML document", name
            )
    head = data[:4096]
    if b"\x00" in head:
        if _utf16_without_bom(data[:4096]):
            raise FormatError(
                "looks like UTF-16 without a byte-order mark; re-save it as UTF-8 (or UTF-16 with a BOM)",
                name,
            )
        raise FormatError(
            "looks like a binary file (NUL bytes); give a text, Markdown or HTML document", name
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        cut = _cut_utf8(data, e)
        if cut is not None:
            text = cut.decode("utf-8")
            _check_controls(text, name)
            warn(CUT_CHARACTER)
            return text, "utf-8"
    else:
        _check_controls(text, name)
        return text, "utf-8"
    # Legacy Chinese encodings: try both strictly and keep the one that yields more common
    # Chinese characters (Big5 bytes often decode as GB18030 too, but into rare characters).
    candidates: list[tuple[str, str]] = []
    for enc in ("gb18030", "big5", "cp950", "big5hkscs"):
        if enc != "big5" and enc.startswith(("cp9", "big5")) and any(c[1] != "gb18030" for c in candidates):
            continue  # Windows (cp950) and Hong Kong extensions only when plain Big5 fails
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    near = _near_utf8(data)
    if not candidates and near is None:
        raise FormatError(
            "cannot decode the file as UTF-8, UTF-16, GB18030 or Big5; re-save it as UTF-8", name
        )
    best = None
    if candidates:
        best = candidates[0] if len(candidates) == 1 else max(candidates, key=lambda c: _plausibility(c[0]))
    if near is not None and (best is None or _plausibility(best[0]) < max(0.8, _plausibility(near[0]))):
        text, bad = near
        warn(f"{bad} byte(s) are not valid UTF-8 and were replaced by \ufffd "
             "(use --encoding to force another encoding)")
        _check_controls(text, name)
        return text, "utf-8"
    assert best is not None
    _check_controls(best[0], name)
    return best


def _cut_utf8(data: bytes, e: UnicodeDecodeError) -> bytes | None:
    """``data`` without its last, truncated UTF-8 character, when that is the only flaw."""
    if e.reason != "unexpected end of data" or e.end != len(data) or len(data) - e.start > 3:
        return None
    head = data[: e.start]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return head


def _near_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, bad bytes)`` when ``data`` is UTF-8 but for a few bad bytes (≤ 1 in 1,000)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= max(1, len(data) // 1000):
        return text, bad
    return None


def _utf16_without_bom(head: bytes) -> bool:
    """Whether ``head`` reads as real text in UTF-16 LE or BE (NULs being ASCII high bytes)."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if (even == 0) == (odd == 0):
        return False
    enc = "utf-16-le" if odd else "utf-16-be"
    text = head[: len(head) // 2 * 2].decode(enc, errors="replace")
    if "\ufffd" in text or any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return False
    return _plausibility(text) > 0.9


def _plausibility(text: str) -> float:
    """How much ``text`` looks like real Chinese: the share of common characters.

    A character is common when it is ASCII, CJK punctuation, full-width, or a Han
    character in GB2312 (common simplified) or in Big5 level 1 (common traditional).
    Big5 bytes read as GB18030 (and the reverse) come out as rare characters instead.
    Only the first 20,000 characters are looked at.
    """
    sample = text[:20_000]
    if not sample:
        return 0.0
    good = 0.0
    for ch in sample:
        o = ord(ch)
        if o < 128 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027:
            good += 1
        elif 0x4E00 <= o <= 0x9FFF:
            good += 1 if _common_han(ch) else 0.2
    return good / len(sample)


@functools.lru_cache(maxsize=16384)
def _common_han(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        code = int.from_bytes(ch.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= code <= 0xC67E


def _check_controls(text: str, name: str) -> None:
    """Refuse decoded text that is mostly control characters (a binary file)."""
    sample = text[:20_000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if sample and bad > max(2, 0.01 * len(sample)):
        raise FormatError(
            "looks like a binary file (control characters); give a text, Markdown or HTML document",
            name,
        )


def require_file(path: str | Path) -> Path:
    """``path`` as a ``Path`` if it is an existing, non-empty-named file.

    Raises:
        FormatError: no such file, or a folder (one line).
    """
    p = Path(path)
    if not p.exists():
        raise FormatError("no such file", str(p))
    if p.is_dir():
        raise FormatError("is a folder, not a file", str(p))
    return p


def set_max_input_mb(mb: float | None) -> None:
    """Set the input size limit of this process (None: the default or ``BITEXT_MAX_INPUT_MB``;
    0: no limit)."""
    _MAX_INPUT_MB.set(mb)


def max_input_bytes() -> int | None:
    """The input size limit in bytes now in force (None: no limit)."""
    mb = _MAX_INPUT_MB.get()
    if mb is None:
        env = os.environ.get("BITEXT_MAX_INPUT_MB", "").strip()
        try:
            mb = float(env) if env else DEFAULT_MAX_INPUT_MB
        except ValueError:
            mb = DEFAULT_MAX_INPUT_MB
    return None if mb <= 0 else int(mb * 1024 * 1024)


def _mb(n: int) -> str:
    x = n / 1048576
    return f"{x:.0f}" if x >= 10 else f"{x:.2g}"


def check_input(path: str | Path, what: str = "input", *, missing_ok: bool = False,
                limit: bool = True) -> os.stat_result | None:
    """Refuse, before opening it, an input that is not a regular file or is too large.

    A FIFO, socket or device (``/dev/zero``) would hang or never end; only ``-`` (stdin,
    where a command accepts it) reads a stream. ``os.stat`` never blocks on a FIFO.

    Raises:
        FormatError: missing (unless ``missing_ok``: None returned), a folder, not a regular
            file, or over the size limit
            (:func:`max_input_bytes`; ``--max-input-mb`` raises it).
    """
    p = str(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if missing_ok:
            return None  # the caller's own open() reports it in its words
        raise FormatError("no such file", p) from None
    except OSError as e:
        raise FormatError(f"cannot read: {e.strerror or e}", p) from None
    if _stat.S_ISDIR(st.st_mode):
        raise FormatError("is a folder, not a file", p)
    if not _stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if _stat.S_ISFIFO(st.st_mode)
                else "a device" if _stat.S_ISCHR(st.st_mode) or _stat.S_ISBLK(st.st_mode)
                else "a socket" if _stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise FormatError(f"is {kind}, not a regular file; give a file as {what}", p)
    most = max_input_bytes() if limit else None
    if most is not None and st.st_size > most:
        raise FormatError(
            f"{_mb(st.st_size)} MB is over the {_mb(most)} MB input limit; "
            "split the file, or raise the limit with --max-input-mb N (or BITEXT_MAX_INPUT_MB)",
            p,
        )
    return st


def read_bytes(path: str | Path, what: str = "input") -> bytes:
    """A file's bytes; one-line ``FormatError`` when it is missing, a folder, unreadable, not
    a regular file or over the input size limit (see :func:`check_input`)."""
    p = Path(path)
    check_input(p, what)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise FormatError("no such file", str(p)) from None
    except IsADirectoryError:
        raise FormatError("is a folder, not a file", str(p)) from None
    except MemoryError:
        raise FormatError("too large to read into memory; split the file", str(p)) from None
    except OSError as e:
        raise FormatError(f"cannot read: {e.strerror}", str(p)) from None


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """``(st_dev, st_ino)`` of an existing file (symlinks followed), else None: two paths
    name the same file exactly when their identities are equal and not None."""
    return _identity(Path(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def refuse_overwriting_inputs(inputs: Iterable[tuple[str, str | Path | None]],
                              outputs: Iterable[tuple[str, str | Path | None]]) -> None:
    """Refuse (exit code 2) an output that is one of the run's inputs, or two outputs on one file.

    Called by every command before any work. Same-file detection is by device and inode
    (``os.stat``, symlinks followed), so a hard link, a symlink or another spelling of an
    input's path is caught; an output that does not exist yet cannot be an input, and is
    compared with the other outputs by its resolved path. ``-`` (stdout/stdin) is skipped.

    Args:
        inputs: ``(label, path)`` pairs (e.g. ``("INPUT", p)``, ``("--db", db)``).
        outputs: ``(label, path)`` pairs (e.g. ``("-o", out)``).

    Raises:
        OutputConflictError: an output would replace an input, or two outputs name one file.
    """
    ins: list[tuple[str, Path, tuple[int, int]]] = []
    for label, p in inputs:
        if p is None or str(p) == "-":
            continue
        ident = _identity(Path(p))
        if ident is not None:
            ins.append((label, Path(p), ident))
    seen: dict[object, str] = {}
    for label, p in outputs:
        if p is None or str(p) == "-":
            continue
        path = Path(p)
        ident = _identity(path)
        if ident is not None:
            for in_label, in_path, in_ident in ins:
                if ident == in_ident:
                    raise OutputConflictError(
                        f"{label} {path} would overwrite the input file {in_path} ({in_label}); "
                        "write the output elsewhere (the input was not touched)"
                    )
        key: object = ident if ident is not None else path.resolve()
        if key in seen:
            raise OutputConflictError(f"{seen[key]} and {label} name the same file {path}")
        seen[key] = label


def refuse_entities(tree: Any, name: str) -> None:
    """Raise ``FormatError`` when a parsed document's DOCTYPE declares entities.

    Parsers never expand them (``resolve_entities=False``); a document that declares them
    (billion laughs, external entities) is refused outright.
    """
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FormatError("the DOCTYPE declares entities; refused for safety", name)


def parse_xml(source: str | Path | bytes, name: str | None = None, kind: str = "XML",
              **options: Any) -> Any:
    """Parse an XML file (or its bytes) safely: no entities, no network, no DTD loading.

    Args:
        source: a path, or the file's bytes.
        name: the file name for messages (default: ``source`` when it is a path).
        kind: the format named in messages (``malformed XLIFF: …``).
        **options: further ``lxml.etree.XMLParser`` options (e.g. ``remove_comments``).

    Raises:
        FormatError: unreadable or malformed file, or a DOCTYPE that declares entities.
    """
    import io as _io

    from lxml import etree

    data = source if isinstance(source, bytes) else read_bytes(source)
    label = name if name is not None else str(source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             load_dtd=False, **options)
    try:
        tree = etree.parse(_io.BytesIO(data), parser)
    except etree.XMLSyntaxError as e:
        line = (e.position[0] or None) if getattr(e, "position", None) else None
        raise FormatError(f"malformed {kind}: {xml_error(e.msg)}", label, line) from None
    refuse_entities(tree, label)
    return tree


def xml_error(msg: str) -> str:
    """libxml2's message, said for a user (its depth limit names a parser flag)."""
    m = re.search(r"Excessive depth in document: (\d+)", msg or "")
    if m:
        return (f"elements nested more than {int(m.group(1)):,} deep (the parser's limit); "
                "refused rather than read in part")
    return msg


def read_text(path: str | Path, encoding: str | None = None,
              warnings: list[str] | None = None) -> tuple[str, str]:
    """Read and decode a text file (``encoding`` forces one); one-line ``FormatError`` on failure."""
    return decode_bytes(read_bytes(path), str(path), encoding, warnings)


_XML_FORBIDDEN = re.compile(r"[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def xml_safe(text: str) -> str:
    """Remove characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/F)."""
    return _XML_FORBIDDEN.sub("", text)

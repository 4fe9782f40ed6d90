"""File plumbing shared by readers and writers: atomic writes and encoding detection."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from bitext.errors import FormatError


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temp file in the target's folder, then ``os.replace`` it into place.

    If the block raises, the temp file is removed and any earlier file at ``path`` is
    left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK, Big5.

    Returns:
        ``(text, encoding)``.

    Raises:
        FormatError: binary or undecodable input (one line, says what to do).
    """
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise FormatError(f"file starts with a {enc} byte-order mark but is not valid {enc}", name) from None
    if b"\x00" in data[:4096]:
        raise FormatError(
            "looks like a binary file (NUL bytes); give a text, Markdown or HTML document", name
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Legacy Chinese encodings: try both strictly and keep the one that yields more common
    # Chinese characters (Big5 bytes often decode as GB18030 too, but into rare characters).
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise FormatError(
            "cannot decode the file as UTF-8, UTF-16, GB18030 or Big5; re-save it as UTF-8", name
        )
    if len(candidates) == 1:
        return candidates[0]
    return max(candidates, key=lambda c: _plausibility(c[0]))


def _plausibility(text: str) -> float:
    """Share of characters that are common CJK, ASCII or common punctuation."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if o < 128 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif 0x4E00 <= o <= 0x9FFF:
            # GB2312 level-1 characters live at GB18030 0xB0A1–0xD7F9; a cheap proxy for
            # "common": encodable in GB2312.
            try:
                ch.encode("gb2312")
                good += 1
            except UnicodeEncodeError:
                good += 0.3
    return good / len(text)


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode a text file; one-line ``FormatError`` on failure."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise FormatError("no such file", str(p)) from None
    except IsADirectoryError:
        raise FormatError("is a folder, not a file", str(p)) from None
    except OSError as e:
        raise FormatError(f"cannot read: {e.strerror}", str(p)) from None
    return decode_bytes(data, str(p))

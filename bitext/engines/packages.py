"""Argos Translate model packages: discovery, validation, safe install/remove, index download.

An Argos package (``.argosmodel``) is a zip archive holding one top folder with
``metadata.json`` (``from_code``, ``to_code``, ``package_version``, optional
``target_prefix``), a CTranslate2 model folder ``model/`` and a SentencePiece model
``sentencepiece.model``. Installed packages are folders inside the packages directory:
``$ARGOS_PACKAGES_DIR`` when set, else argostranslate's own default
(``~/.local/share/argos-translate/packages``).

This module owns everything on disk: it reads packages with ``argostranslate.package``
(a light import; ``argostranslate.translate`` is never imported), validates an archive
completely *before* extracting anything, extracts into a temporary folder next to the
packages directory and moves the result in with one ``os.replace``; a refused or failed
install leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bitext.engines.ct2 import import_ctranslate2
from bitext.errors import EngineUnavailableError, ModelPackageError
from bitext.files import _LIVE_TEMPS, TEMP_PREFIX, sweep_stale_temps, temp_prefix

log = logging.getLogger(__name__)

MAX_UNCOMPRESSED_BYTES = 4 * 1024**3
"""Refuse archives whose members add up to more than this (4 GiB; real zh→en packages are ~100–400 MB)."""
MAX_MEMBERS = 10_000
"""Refuse archives with more members than this."""
MAX_RATIO = 200
"""Refuse members compressed more than this (zip bombs; members over 64 KiB), and archives
whose uncompressed total is more than this many times their compressed size (over 64 MiB)."""
SP_MODEL = "sentencepiece.model"
INDEX_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class PackageInfo:
    """An installed package.

    Attributes:
        name: the folder name inside the packages directory (what ``remove`` takes).
        path: the package folder.
        from_code: source language code.
        to_code: target language code.
        package_version: the package's version string.
        target_prefix: token the decoder must start with ('' when none).
        sp_model: the SentencePiece model path (None when missing).
        problem: why the package cannot be used ('' when it is fine).
    """

    name: str
    path: Path
    from_code: str
    to_code: str
    package_version: str
    target_prefix: str = ""
    sp_model: Path | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Whether the package can be loaded."""
        return not self.problem

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model folder."""
        return self.path / "model"

    @property
    def code(self) -> str:
        """``zh-en`` style pair code."""
        return f"{self.from_code}-{self.to_code}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (paths as strings)."""
        d = asdict(self)
        d["path"] = str(self.path)
        d["sp_model"] = str(self.sp_model) if self.sp_model else None
        d["ok"] = self.ok
        return d


# --- where packages live ----------------------------------------------------------------


def packages_dir() -> Path:
    """The packages directory: ``$ARGOS_PACKAGES_DIR`` (read now) or argostranslate's default.

    argostranslate reads its settings once at import; this function reads the environment
    at call time so that a changed ``ARGOS_PACKAGES_DIR`` (tests, scripts) is honoured.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    _require_argostranslate()
    from argostranslate import settings  # light; creates argostranslate's data folders

    return Path(settings.package_data_dir)


def _require_argostranslate() -> None:
    """Raise a one-line ``EngineUnavailableError`` when argostranslate is not installed."""
    import importlib.util

    if importlib.util.find_spec("argostranslate") is None:
        raise EngineUnavailableError(
            "argostranslate is not installed: run `pip install torch==2.13.0 && pip install "
            "'bitext[argos]'` (torch first, the CPU build) to manage and use Argos packages"
        )


def _read_metadata(folder: Path) -> dict[str, Any]:
    """The package's metadata, read with ``argostranslate.package.Package``."""
    _require_argostranslate()
    from argostranslate.package import Package

    with open(folder / "metadata.json", encoding="utf-8-sig") as f:
        raw = json.load(f)
    problems = metadata_problems(raw)
    if problems:
        raise ValueError("; ".join(problems))
    pkg = Package(folder)
    return {
        "from_code": pkg.from_code or "",
        "to_code": pkg.to_code or "",
        "package_version": pkg.package_version or "",
        "target_prefix": getattr(pkg, "target_prefix", "") or "",
        "type": pkg.type or "translate",
    }


_STR_FIELDS = ("code", "package_version", "argos_version", "from_code", "from_name", "to_code",
               "to_name", "type", "target_prefix", "source_prefix")
_LIST_FIELDS = ("from_codes", "to_codes", "links", "languages", "dependencies",
                "source_languages", "target_languages")
_VERSION = re.compile(r"^\d+(\.\d+){0,3}([-.+]?[A-Za-z0-9.]+)?$")
_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")
MAX_PREFIX_CHARS = 100
"""Longest ``source_prefix``/``target_prefix`` accepted (real packages use a few characters)."""


def metadata_problems(metadata: Any) -> list[str]:
    """What is wrong with a package's ``metadata.json`` for argostranslate and bitext.

    Types of every field argostranslate reads (strings, lists of objects for languages),
    ``type == "translate"`` when present, prefixes short strings without line breaks,
    ``package_version``/``argos_version`` dotted versions, language codes well-formed.
    """
    if not isinstance(metadata, dict):
        return ["metadata.json must hold a JSON object"]
    out: list[str] = []
    for k in _STR_FIELDS:
        if k in metadata and metadata[k] is not None and not isinstance(metadata[k], str):
            out.append(f"'{k}' must be a string, not {type(metadata[k]).__name__}")
    for k in _LIST_FIELDS:
        v = metadata.get(k)
        if v is not None and not isinstance(v, list):
            out.append(f"'{k}' must be a list, not {type(v).__name__}")
        elif k in ("languages", "source_languages", "target_languages") and v:
            if not all(isinstance(x, dict) for x in v):
                out.append(f"'{k}' must be a list of objects")
        elif k in ("from_codes", "to_codes", "links") and v and not all(isinstance(x, str) for x in v):
            out.append(f"'{k}' must be a list of strings")
    if out:
        return out
    if metadata.get("type", "translate") != "translate":
        out.append(f"'type' is {metadata.get('type')!r}; bitext installs translation packages only")
    for k in ("from_code", "to_code"):
        v = metadata.get(k)
        if not isinstance(v, str) or not _LANG_CODE.match(v):
            out.append(f"'{k}' must be a language code such as 'zh' or 'en', not {v!r}")
    for k in ("target_prefix", "source_prefix"):
        v = metadata.get(k) or ""
        if len(v) > MAX_PREFIX_CHARS or any(c in v for c in "\r\n\x00"):
            out.append(f"'{k}' must be a short one-line string (at most {MAX_PREFIX_CHARS} characters)")
    for k in ("package_version", "argos_version"):
        v = metadata.get(k)
        if v not in (None, "") and not _VERSION.match(v):
            out.append(f"'{k}' {v!r} is not a version such as 1.9 or 1.9.0")
    return out


def inspect_package(folder: Path) -> PackageInfo:
    """Read and check one installed package folder (never raises for a broken one)."""
    folder = Path(folder)
    try:
        meta = _read_metadata(folder)
    except FileNotFoundError:
        return PackageInfo(folder.name, folder, "", "", "", problem="no metadata.json")
    except (OSError, ValueError, AttributeError) as e:
        return PackageInfo(folder.name, folder, "", "", "", problem=f"unreadable metadata.json ({e})")
    problem = package_problem(folder, meta)
    sp = folder / SP_MODEL
    return PackageInfo(
        name=folder.name,
        path=folder,
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        package_version=meta["package_version"],
        target_prefix=meta["target_prefix"],
        sp_model=sp if sp.is_file() else None,
        problem=problem,
    )


def package_problem(folder: Path, meta: dict[str, Any] | None = None) -> str:
    """What is wrong with an extracted package folder ('' when nothing)."""
    model = folder / "model"
    if not model.is_dir():
        return "no CTranslate2 model folder 'model/'"
    if not (model / "model.bin").is_file():
        return "corrupt model folder: 'model/model.bin' is missing"
    if not (folder / SP_MODEL).is_file():
        if (folder / "bpe.model").is_file():
            return "BPE packages are not supported (no sentencepiece.model)"
        return "no SentencePiece model 'sentencepiece.model'"
    if meta is not None and meta.get("type", "translate") != "translate":
        return f"not a translation package (type {meta.get('type')!r})"
    return ""


INSTALL_TEMP_SECONDS = 600
"""An install/remove staging folder older than this (10 minutes) is a killed run's leftover."""


def sweep_package_temps(root: Path) -> int:
    """Remove staging folders that killed installs/removals left next to (or in) ``root``.

    Only bitext's own names are touched: ``.bitext-tmp-*`` and the older
    ``.bitext-install-*``/``.bitext-remove-*``; only when the process that made them has
    ended (its id is in the name), or, for names without one, when older than
    :data:`INSTALL_TEMP_SECONDS`.
    """
    n = 0
    for folder in (root.parent, root):
        for prefix in (TEMP_PREFIX, ".bitext-install-", ".bitext-remove-"):
            n += sweep_stale_temps(folder, prefix, INSTALL_TEMP_SECONDS)
    return n


def list_packages(directory: Path | None = None) -> list[PackageInfo]:
    """Every package folder in the packages directory (broken ones included, with ``problem``).

    Stale staging folders of killed installs are swept first (see :func:`sweep_package_temps`).
    """
    root = Path(directory) if directory is not None else packages_dir()
    sweep_package_temps(root)
    if not root.is_dir():
        return []
    out = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            out.append(inspect_package(child))
    return out


def _version_key(version: str) -> tuple:
    """Sort key for package version strings; an unparsable version sorts first."""
    try:
        from packaging.version import Version

        return (0, Version(version))
    except Exception:  # noqa: BLE001 - any unparsable version sorts first
        return (-1, version)


def best_package(packages: Iterable[PackageInfo], from_code: str = "zh", to_code: str = "en") -> PackageInfo | None:
    """The usable package for a language pair among ``packages`` (highest version), or None."""
    cands = [p for p in packages if p.ok and p.from_code == from_code and p.to_code == to_code]
    if not cands:
        return None
    return max(cands, key=lambda p: (*_version_key(p.package_version), p.name))


def find_package(from_code: str = "zh", to_code: str = "en", directory: Path | None = None) -> PackageInfo | None:
    """The usable installed package for a language pair (highest version), or None."""
    return best_package(list_packages(directory), from_code, to_code)


# --- validation of an archive -----------------------------------------------------------


@dataclass(frozen=True)
class ArchiveCheck:
    """What ``validate_archive`` learnt about a package file.

    Attributes:
        top: the archive's single top folder (the installed package's name).
        metadata: the parsed ``metadata.json``.
        total_bytes: uncompressed size of all members.
    """

    top: str
    metadata: dict[str, Any]
    total_bytes: int


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if "\x00" in name:
        return "a member name contains a NUL byte"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"absolute member path {name!r}"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return f"member path with '..' {name!r}"
    mode = info.external_attr >> 16
    fmt = stat.S_IFMT(mode)  # 0 when the archiver recorded no file type (e.g. Windows zips)
    if fmt == stat.S_IFLNK:
        return f"symbolic link member {name!r}"
    if fmt and fmt not in (stat.S_IFREG, stat.S_IFDIR):
        return f"special file member {name!r}"
    if info.flag_bits & 0x1:
        return f"encrypted member {name!r}"
    return ""


def validate_archive(path: Path, from_code: str = "zh", to_code: str = "en") -> ArchiveCheck:
    """Check a ``.argosmodel`` file completely without extracting anything.

    Checks: a readable zip; every member relative, without ``..``, not a link or special
    file, not encrypted; bounded member count, total size and compression ratio; one top
    folder; ``metadata.json`` there with the wanted language pair; ``model/model.bin``
    and ``sentencepiece.model`` present.

    Raises:
        ModelPackageError: naming the first problem found.
    """
    path = Path(path)
    where = str(path)
    if path.is_dir():
        raise ModelPackageError(f"{where}: is a folder; give the path of a .argosmodel package file")
    if not path.is_file():
        raise ModelPackageError(f"{where}: no such file; give the path of a .argosmodel package")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ModelPackageError(f"{where}: not a zip archive; an Argos package (.argosmodel) is a zip file") from None
    except OSError as e:
        raise ModelPackageError(f"{where}: cannot read the file ({e.strerror})") from None
    with zf:
        infos = zf.infolist()
        if not infos:
            raise ModelPackageError(f"{where}: empty archive")
        if len(infos) > MAX_MEMBERS:
            raise ModelPackageError(f"{where}: refused: {len(infos)} members (limit {MAX_MEMBERS})")
        total = 0
        tops: set[str] = set()
        names: set[str] = set()
        for info in infos:
            problem = _member_problem(info)
            if problem:
                raise ModelPackageError(f"{where}: refused unsafe package: {problem}")
            parts = _member_parts(info.filename)
            if not parts:
                continue
            key = "/".join(parts)
            if key in names and not info.is_dir():
                raise ModelPackageError(f"{where}: refused: duplicate member {key!r}")
            names.add(key)
            tops.add(parts[0])
            if len(parts) == 1 and not info.is_dir():
                raise ModelPackageError(
                    f"{where}: refused: file {key!r} at the archive root; a package holds one top folder"
                )
            total += info.file_size
            if info.file_size > 64 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ModelPackageError(f"{where}: refused: member {key!r} is compressed suspiciously well")
        packed = sum(i.compress_size for i in infos)
        if total > 64 * 1024**2 and total > MAX_RATIO * max(packed, 1):
            raise ModelPackageError(
                f"{where}: refused: {total / 1024**2:.0f} MiB uncompressed from {packed / 1024**2:.1f} MiB "
                f"(more than {MAX_RATIO}× as a whole; a zip bomb?)"
            )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ModelPackageError(
                f"{where}: refused: {total / 1024**3:.1f} GiB uncompressed (limit {MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GiB)"
            )
        if len(tops) != 1:
            raise ModelPackageError(f"{where}: refused: expected one top folder, found {len(tops)}")
        top = tops.pop()
        if top.startswith("."):
            raise ModelPackageError(f"{where}: refused: hidden top folder {top!r}")
        try:
            raw = zf.read(_member_name(zf, f"{top}/metadata.json"))
            metadata = json.loads(raw.decode("utf-8-sig"))
        except KeyError:
            raise ModelPackageError(f"{where}: not an Argos package: no {top}/metadata.json") from None
        except (ValueError, UnicodeDecodeError) as e:
            raise ModelPackageError(f"{where}: metadata.json is not valid JSON ({e})") from None
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error,
                NotImplementedError) as e:
            raise ModelPackageError(
                f"{where}: corrupt archive member {top}/metadata.json ({e})") from None
        problems = metadata_problems(metadata)
        if problems:
            raise ModelPackageError(f"{where}: refused: bad metadata.json: {'; '.join(problems)}")
        src, tgt = metadata.get("from_code"), metadata.get("to_code")
        if (src, tgt) != (from_code, to_code):
            raise ModelPackageError(
                f"{where}: this package translates {src}→{tgt}; bitext needs a {from_code}→{to_code} package"
            )
        if f"{top}/model/model.bin" not in names:
            raise ModelPackageError(f"{where}: corrupt package: no CTranslate2 model ({top}/model/model.bin)")
        if f"{top}/{SP_MODEL}" not in names:
            raise ModelPackageError(f"{where}: no SentencePiece model ({top}/{SP_MODEL}); bitext needs one")
        return ArchiveCheck(top, metadata, total)


def _member_parts(name: str) -> list[str]:
    """A member name's path parts, ``\\`` read as ``/``, empty and ``.`` parts dropped."""
    return [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]


def _member_name(zf: zipfile.ZipFile, wanted: str) -> str:
    for info in zf.infolist():
        if "/".join(_member_parts(info.filename)) == wanted:
            return info.filename
    raise KeyError(wanted)


# --- install / remove -------------------------------------------------------------------


def _safe_extract(zf: zipfile.ZipFile, dest: Path, limit: int) -> None:
    """Extract already-validated members under ``dest``, counting real bytes against ``limit``."""
    dest_resolved = dest.resolve()
    written = 0
    for info in zf.infolist():
        parts = _member_parts(info.filename)
        if not parts:
            continue
        target = dest.joinpath(*parts)
        if not target.resolve().is_relative_to(dest_resolved):  # belt and braces
            raise ModelPackageError(f"refused unsafe member {info.filename!r}")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, open(target, "xb") as out:
                while True:
                    chunk = src.read(1 << 20)
                    if not chunk:
                        break
                    written += len(chunk)
                    if written > limit:
                        raise ModelPackageError("refused: archive expands beyond its declared size")
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError,
                NotImplementedError) as e:
            raise ModelPackageError(f"corrupt archive member {info.filename!r} ({e})") from None


def _check_sentencepiece(path: Path) -> None:
    import sentencepiece as spm

    try:
        spm.SentencePieceProcessor(model_file=str(path))
    except Exception as e:  # noqa: BLE001 - sentencepiece raises OSError/RuntimeError
        raise ModelPackageError(f"corrupt SentencePiece model {path.name} ({str(e).splitlines()[0]})") from None


def _check_ct2_model(path: Path) -> None:
    ctranslate2 = import_ctranslate2()

    if not ctranslate2.contains_model(str(path)):
        raise ModelPackageError("corrupt package: 'model/' is not a CTranslate2 model")
    try:  # the real check: CTranslate2 reads the whole model (a second or two for a real package)
        ctranslate2.Translator(str(path), device="cpu", compute_type="default", intra_threads=1)
    except (RuntimeError, ValueError, OSError) as e:
        first = str(e).strip().splitlines()[0].split(". ")[0] if str(e).strip() else type(e).__name__
        raise ModelPackageError(f"corrupt package: CTranslate2 cannot load 'model/' ({first})") from None


def install_package(file: Path, directory: Path | None = None) -> PackageInfo:
    """Validate and install a ``.argosmodel`` file; an existing package of the same name is replaced.

    Nothing is written before the whole archive has been validated. Extraction goes to a
    temporary folder next to the packages directory (same file system), the extracted
    package is checked (SentencePiece loads, ``model/`` is a CTranslate2 model), then moved
    in with ``os.replace``. On any failure the temporary folder is removed.

    Raises:
        ModelPackageError: the package is invalid or unsafe (nothing was installed).
    """
    file = Path(file)
    check = validate_archive(file)
    root = Path(directory) if directory is not None else packages_dir()
    created = [d for d in (root, *root.parents) if not d.exists()]  # removed again on failure
    root.mkdir(parents=True, exist_ok=True)
    final = root / check.top
    sweep_package_temps(root)
    staging = Path(tempfile.mkdtemp(prefix=temp_prefix("install-"), dir=root.parent))
    _LIVE_TEMPS.add(str(staging))
    old: Path | None = None
    try:
        try:
            with zipfile.ZipFile(file) as zf:
                _safe_extract(zf, staging, check.total_bytes)
        except ModelPackageError as e:
            raise ModelPackageError(f"{file}: {e}") from None
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error) as e:
            raise ModelPackageError(f"{file}: corrupt archive ({e})") from None
        extracted = staging / check.top
        try:
            _check_sentencepiece(extracted / SP_MODEL)
            _check_ct2_model(extracted / "model")
        except ModelPackageError as e:
            raise ModelPackageError(f"{file}: {e}") from None
        if final.exists():
            old = staging / ".previous"
            os.replace(final, old)
        os.replace(extracted, final)
    except BaseException:
        if old is not None and old.exists() and not final.exists():
            with contextlib.suppress(OSError):
                os.replace(old, final)
        shutil.rmtree(staging, ignore_errors=True)
        for d in created:  # innermost first; only folders this call created and left empty
            with contextlib.suppress(OSError):
                d.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _LIVE_TEMPS.discard(str(staging))
    log.info("installed %s into %s", file, final)
    return inspect_package(final)


def remove_package(name: str, directory: Path | None = None) -> PackageInfo:
    """Remove an installed package by folder name (or by pair code such as ``zh-en``).

    Raises:
        ModelPackageError: no such package, or a name that is not a plain folder name.
    """
    root = Path(directory) if directory is not None else packages_dir()
    pkgs = list_packages(root)
    match = [p for p in pkgs if p.name == name]
    if not match:
        match = [p for p in pkgs if p.code == name or f"{p.from_code}_{p.to_code}" == name]
    if not match:
        names = ", ".join(p.name for p in pkgs) or "none installed"
        raise ModelPackageError(f"no installed package {name!r} in {root} (installed: {names})")
    if len(match) > 1:
        raise ModelPackageError(
            f"{name!r} matches {len(match)} packages; give the folder name: {', '.join(p.name for p in match)}"
        )
    pkg = match[0]
    if pkg.path.parent.resolve() != root.resolve() or pkg.path.is_symlink():
        raise ModelPackageError(f"refusing to remove {pkg.path}: not a folder inside {root}")
    # Move aside first (atomic disappearance), then delete.
    trash = Path(tempfile.mkdtemp(prefix=temp_prefix("remove-"), dir=root.parent))
    try:
        os.replace(pkg.path, trash / pkg.name)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
    return pkg


# --- the Argos package index ------------------------------------------------------------


@contextlib.contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


@contextlib.contextmanager
def _quiet_argos_log() -> Iterator[None]:
    """Keep argostranslate's own error records (raw exception tuples) off the user's terminal.

    ``update_package_index`` logs a failure at ERROR and returns; the caller turns that
    into one clear line. The record is passed on to this module's logger at DEBUG.
    """

    class _ToDebug(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            log.debug("argostranslate: %s", record.getMessage())

    alog = logging.getLogger("argostranslate")
    handler = _ToDebug()
    old_propagate = alog.propagate
    alog.addHandler(handler)
    alog.propagate = False
    try:
        yield
    finally:
        alog.removeHandler(handler)
        alog.propagate = old_propagate


def download_package(from_code: str = "zh", to_code: str = "en") -> Path:
    """Download the newest ``from→to`` package from the Argos package index.

    Uses argostranslate's own index code (``update_package_index``,
    ``get_available_packages``, ``AvailablePackage.download``). The downloaded file is
    *not* installed; pass it to ``install_package`` (which validates it).

    Raises:
        EngineUnavailableError: the index or the package cannot be fetched (offline?).
    """
    _require_argostranslate()
    from argostranslate import package as apkg
    from argostranslate import settings

    index = Path(settings.local_package_index)
    before = index.stat().st_mtime if index.exists() else None
    with _socket_timeout(INDEX_TIMEOUT_S), _quiet_argos_log():
        apkg.update_package_index()  # logs and returns on failure
    after = index.stat().st_mtime if index.exists() else None
    if after is None:
        raise EngineUnavailableError(
            f"cannot reach the Argos package index ({settings.remote_package_index}); this machine "
            "seems offline. Download a zh→en .argosmodel elsewhere and run `bitext models install FILE`"
        )
    if after == before:
        log.warning("could not refresh the Argos package index; using the cached copy")
    try:
        available = apkg.get_available_packages()
    except (OSError, ValueError) as e:
        raise EngineUnavailableError(f"cannot read the Argos package index ({e})") from None
    cands = [p for p in available if p.from_code == from_code and p.to_code == to_code]
    if not cands:
        raise EngineUnavailableError(f"the Argos package index lists no {from_code}→{to_code} package")

    best = max(cands, key=lambda p: _version_key(p.package_version))
    try:
        with _socket_timeout(INDEX_TIMEOUT_S):
            return Path(best.download())
    except Exception as e:  # noqa: BLE001 - argostranslate raises bare Exception
        raise EngineUnavailableError(
            f"cannot download the {from_code}→{to_code} package ({e}); download it elsewhere and "
            "run `bitext models install FILE`"
        ) from None

"""``bitext models`` and ``bitext.engines.packages``: install the tiny real package, refuse unsafe or
wrong ones without writing anything, list, remove, argostranslate compatibility."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli
from bitext.engines.packages import (
    find_package,
    install_package,
    list_packages,
    remove_package,
    validate_archive,
)
from bitext.errors import ModelPackageError

TOP = "translate-zh_en-tiny_0_1"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def rezip(src: Path, dst: Path, *, drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None,
          replace: dict[str, bytes] | None = None) -> Path:
    """Copy a package archive, dropping/adding/replacing members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            name = info.filename
            if any(name == d or name.startswith(d + "/") for d in drop):
                continue
            data = (replace or {}).get(name, zin.read(info))
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def symlink_zip(src: Path, dst: Path) -> Path:
    rezip(src, dst)
    with zipfile.ZipFile(dst, "a") as z:
        info = zipfile.ZipInfo(f"{TOP}/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    return dst


def metadata(src: Path) -> dict:
    with zipfile.ZipFile(src) as z:
        return json.loads(z.read(f"{TOP}/metadata.json"))


@pytest.fixture
def pkgdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "argos" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(d))
    return d


def test_cli_install_list_remove(tiny_model: Path, pkgdir: Path) -> None:
    code, out, err = run("models", "install", str(tiny_model))
    assert code == 0, err
    assert TOP in out
    assert (pkgdir / TOP / "model" / "model.bin").is_file()
    assert (pkgdir / TOP / "sentencepiece.model").is_file()
    # nothing left next to the packages folder
    assert sorted(p.name for p in pkgdir.parent.iterdir()) == ["packages"]

    code, out, _ = run("models", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["packages_dir"] == str(pkgdir)
    assert data["default_zh_en"] == TOP
    [p] = data["packages"]
    assert (p["from_code"], p["to_code"], p["ok"], p["target_prefix"]) == ("zh", "en", True, "<en>")

    code, out, _ = run("models", "list")
    assert code == 0 and TOP in out and "zh→en" in out

    # installing again replaces the package atomically
    code, _, err = run("models", "install", str(tiny_model))
    assert code == 0, err
    assert [p.name for p in list_packages()] == [TOP]
    assert sorted(p.name for p in pkgdir.parent.iterdir()) == ["packages"]

    code, out, _ = run("models", "remove", TOP)
    assert code == 0 and "removed" in out
    assert list(pkgdir.iterdir()) == []
    code, _, err = run("models", "remove", TOP)
    assert code == 1 and "no installed package" in err


def test_default_engine_follows_installed_package(tiny_model: Path, pkgdir: Path) -> None:
    from bitext.engines import default_engine_name

    assert default_engine_name() == "gloss"
    install_package(tiny_model)
    assert default_engine_name() == "argos"
    assert find_package("zh", "en").name == TOP  # type: ignore[union-attr]
    remove_package("zh-en")  # by pair code
    assert default_engine_name() == "gloss"


BAD_CASES = [
    # (id, builder, expected message fragment)
    ("traversal", lambda s, d: rezip(s, d, add={f"{TOP}/../../evil.txt": b"pwned"}), "'..'"),
    ("absolute", lambda s, d: rezip(s, d, add={"/tmp/bitext-evil-abs.txt": b"pwned"}), "absolute"),
    ("symlink", symlink_zip, "symbolic link"),
    ("wrong-pair", lambda s, d: rezip(s, d, replace={f"{TOP}/metadata.json": json.dumps(
        {**metadata(s), "from_code": "en", "to_code": "zh"}).encode()}), "en→zh"),
    ("no-metadata", lambda s, d: rezip(s, d, drop=(f"{TOP}/metadata.json",)), "no translate-zh_en-tiny_0_1/metadata.json"),
    ("bad-metadata", lambda s, d: rezip(s, d, replace={f"{TOP}/metadata.json": b"{nope"}), "not valid JSON"),
    ("no-model", lambda s, d: rezip(s, d, drop=(f"{TOP}/model",)), "no CTranslate2 model"),
    ("no-spm", lambda s, d: rezip(s, d, drop=(f"{TOP}/sentencepiece.model",)), "no SentencePiece model"),
    ("corrupt-spm", lambda s, d: rezip(s, d, replace={f"{TOP}/sentencepiece.model": b"garbage" * 50}),
     "corrupt SentencePiece model"),
    ("corrupt-model-bin", lambda s, d: rezip(s, d, replace={f"{TOP}/model/model.bin": b"garbage" * 100}),
     "CTranslate2 cannot load"),
    ("two-tops", lambda s, d: rezip(s, d, add={"other/metadata.json": b"{}"}), "one top folder"),
    ("root-file", lambda s, d: rezip(s, d, add={"evil.txt": b"x"}), "archive root"),
    ("not-zip", lambda s, d: (d.write_bytes(b"this is not a zip file at all"), d)[1], "not a zip archive"),
]


@pytest.mark.parametrize("case,build,message", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_refused_package_writes_nothing(case: str, build, message: str, tiny_model: Path,
                                        tmp_path: Path, pkgdir: Path) -> None:
    bad = build(tiny_model, tmp_path / f"{case}.argosmodel")
    before = all_files(tmp_path)
    code, _out, err = run("models", "install", str(bad))
    assert code == 1
    assert message in err
    assert err.startswith("bitext: error:") and err.count("\n") == 1  # one line
    assert all_files(tmp_path) == before  # nothing extracted anywhere, not even an empty packages dir entry
    assert not Path("/tmp/bitext-evil-abs.txt").exists()


def test_validate_archive_reports_metadata(tiny_model: Path) -> None:
    check = validate_archive(tiny_model)
    assert check.top == TOP
    assert check.metadata["from_code"] == "zh" and check.metadata["to_code"] == "en"
    assert check.total_bytes > 100_000


def test_size_limit(tiny_model: Path, tmp_path: Path, pkgdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bitext.engines.packages as m

    monkeypatch.setattr(m, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ModelPackageError, match="uncompressed"):
        install_package(tiny_model)
    assert not pkgdir.exists() or list(pkgdir.iterdir()) == []


def test_unreadable_and_missing_file(tmp_path: Path, pkgdir: Path) -> None:
    code, _, err = run("models", "install", str(tmp_path / "nope.argosmodel"))
    assert code == 1 and "no such file" in err
    code, _, err = run("models", "install", str(tmp_path))
    assert code == 1 and "is a folder" in err
    if os.geteuid() != 0:  # root reads everything
        f = tmp_path / "locked.argosmodel"
        f.write_bytes(b"PK")
        f.chmod(0)
        code, _, err = run("models", "install", str(f))
        assert code == 1 and "cannot read" in err


def test_list_shows_broken_package(tiny_model: Path, pkgdir: Path) -> None:
    install_package(tiny_model)
    (pkgdir / TOP / "sentencepiece.model").unlink()
    (pkgdir / "junk").mkdir()
    code, out, _ = run("models", "list", "--json")
    assert code == 0
    data = json.loads(out)
    by_name = {p["name"]: p for p in data["packages"]}
    assert by_name[TOP]["ok"] is False and "SentencePiece" in by_name[TOP]["problem"]
    assert by_name["junk"]["problem"] == "no metadata.json"
    assert data["default_zh_en"] is None


def test_install_zh_en_offline_says_so(tmp_path: Path) -> None:
    """``install zh-en`` without network: a clear one-line message, exit 1, nothing installed.

    The index URL points at a closed local port and argostranslate's data folder is empty,
    so this never downloads anything even on a machine that is online.
    """
    env = dict(os.environ)
    env.update(
        ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    r = subprocess.run([sys.executable, "-m", "bitext", "models", "install", "zh-en"],
                       capture_output=True, text=True, env=env, timeout=120, check=False)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    last = lines[-1]
    assert last.startswith("bitext: error: cannot reach the Argos package index")
    assert len(lines) == 2 and lines[0].startswith("fetching"), lines  # argostranslate's own log stays quiet
    assert "bitext models install FILE" in last
    assert not (tmp_path / "packages").exists() or not any((tmp_path / "packages").iterdir())


def test_argostranslate_installs_and_lists_it(tiny_model: Path, tmp_path: Path) -> None:
    """Format compatibility: argostranslate's own installer and package list accept the package."""
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    code = (
        "import json, sys\n"
        "from argostranslate import package\n"
        "package.install_from_path(sys.argv[1])\n"
        "print(json.dumps([[p.from_code, p.to_code, p.package_version, p.target_prefix,\n"
        "                   type(p.tokenizer).__name__] for p in package.get_installed_packages()]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(tiny_model)], capture_output=True, text=True,
                       env=env, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout.strip().splitlines()[-1])
    assert listed == [["zh", "en", "0.1", "<en>", "SentencePieceTokenizer"]]
    # and bitext reads what argostranslate installed
    [p] = list_packages(tmp_path / "packages")
    assert p.ok and p.name == TOP


def test_without_argostranslate_models_list_says_how_to_install(tmp_path):
    """`pip install -e .` (no [argos] extra): a one-line error that says what to install."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['argostranslate'] = None\n"
        "from bitext.cli.main import main\n"
        "main(['models', 'list'])\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "ARGOS_PACKAGES_DIR"}
    env["HOME"] = str(tmp_path)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and "bitext[argos]" in res.stderr
    assert "Traceback" not in res.stderr

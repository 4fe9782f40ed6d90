"""Shared fixtures: a hermetic Argos packages folder and the tiny real zh→en model.

* Every test session runs with ``ARGOS_PACKAGES_DIR`` pointing at an empty temporary
  folder, so a model installed on the developer's machine never changes which engine the
  tests get (the default engine is ``gloss`` unless a test installs a model).
* ``BITEXT_DATA_DIR`` points at an empty temporary folder for the session, so the user
  glossary (``bitext glossary add`` without ``--file``) is never the developer's own.
* ``tiny_model`` builds ``scripts/make_tiny_model.py``'s package once per session (about
  half a minute on 2 cores); set ``BITEXT_TINY_MODEL=/path/file.argosmodel`` to reuse a
  package built earlier.
* ``omegat_srx``: OmegaT's own ``defaultRules.srx``, taken out of the installed OmegaT.jar
  (GPL: not shipped here); the test is skipped without OmegaT.
* ``tiny_argos`` points ``ARGOS_PACKAGES_DIR`` at a folder where the tiny model is
  installed (by ``bitext.engines.packages.install_package``), for one test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _hermetic_argos_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    empty = tmp_path_factory.mktemp("argos-none") / "packages"
    empty.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("ARGOS_PACKAGES_DIR", str(empty))
    yield empty
    mp.undo()


@pytest.fixture(scope="session", autouse=True)
def _hermetic_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``BITEXT_DATA_DIR`` at an empty folder: no test reads or writes the real user glossary."""
    folder = tmp_path_factory.mktemp("bitext-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("BITEXT_DATA_DIR", str(folder))
    yield folder
    mp.undo()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny zh→en ``.argosmodel`` (built once per session)."""
    prebuilt = os.environ.get("BITEXT_TINY_MODEL")
    if prebuilt and Path(prebuilt).is_file():
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("tiny-model") / "translate-zh_en-tiny.argosmodel"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_tiny_model.py"), str(out), "-q"],
        check=True,
        timeout=900,
    )
    return out


@pytest.fixture(scope="session")
def tiny_packages_dir(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A packages folder holding the installed tiny model (shared by the session: do not modify)."""
    from bitext.engines.packages import install_package

    root = tmp_path_factory.mktemp("argos-tiny") / "packages"
    install_package(tiny_model, root)
    return root


@pytest.fixture
def tiny_argos(tiny_packages_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``ARGOS_PACKAGES_DIR`` → the folder with the tiny model, for one test."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tiny_packages_dir))
    return tiny_packages_dir


OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


@pytest.fixture
def omegat_srx(tmp_path: Path) -> Path:
    """OmegaT's own defaultRules.srx, taken out of OmegaT.jar (GPL: not shipped here)."""
    if not OMEGAT_JAR.exists():
        pytest.skip("omegat is not installed (apt-get install -y omegat)")
    out = tmp_path / "defaultRules.srx"
    with zipfile.ZipFile(OMEGAT_JAR) as z:
        out.write_bytes(z.read("org/omegat/core/segmentation/defaultRules.srx"))
    return out

"""The ``argos`` engine: an installed Argos Translate zh→en package, decoded directly.

Packages are found with ``argostranslate.package`` (see ``bitext.engines.packages``; the packages
directory honours ``ARGOS_PACKAGES_DIR``). The package's ``model/`` is loaded with
``ctranslate2.Translator`` and its ``sentencepiece.model`` with SentencePiece, through
``CT2Engine``: ``argostranslate.translate`` (which imports torch, stanza and spaCy) is
never imported. The package's ``target_prefix`` is honoured.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bitext.engines.ct2 import CT2Engine
from bitext.engines.packages import (
    best_package,
    find_package,
    inspect_package,
    list_packages,
    packages_dir,
)
from bitext.errors import ConfigError, EngineError, EngineUnavailableError

log = logging.getLogger(__name__)


def find_zh_en_package(directory: Path | None = None) -> Any:
    """The installed, usable zh→en package (``bitext.engines.packages.PackageInfo``) or None."""
    return find_package("zh", "en", directory)


class ArgosEngine(CT2Engine):
    """Translate with an installed Argos zh→en package.

    Args:
        model_dir: an installed package folder (holding ``metadata.json``) to use instead
            of the one found in the packages directory.
        **options: ``beam_size``, ``compute_type``, ``threads``, ``device``,
            ``max_batch_tokens`` (see ``CT2Engine``).

    Raises:
        EngineUnavailableError: no zh→en package is installed.
        EngineError: the package is broken (one line naming what to do).
        ConfigError: ``--source-spm``/``--target-spm`` given (they belong to ``ct2``).
    """

    name = "argos"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        source_spm: str | Path | None = None,
        target_spm: str | Path | None = None,
        **options: Any,
    ) -> None:
        if source_spm is not None or target_spm is not None:
            raise ConfigError("--source-spm/--target-spm are for --engine ct2; Argos packages carry their own")

        if model_dir is not None:
            if not (Path(model_dir) / "metadata.json").is_file():
                raise ConfigError(
                    f"{model_dir} is not an Argos package folder (no metadata.json); "
                    "use --engine ct2 for a bare CTranslate2 model"
                )
            pkg = inspect_package(Path(model_dir))
        else:
            installed = list_packages()
            found = best_package(installed, "zh", "en")
            if found is None:
                broken = [p for p in installed if (p.from_code, p.to_code) == ("zh", "en")]
                if broken:
                    raise EngineError(
                        f"Argos package {broken[0].path}: {broken[0].problem}; reinstall it with "
                        "`bitext models install FILE.argosmodel`"
                    )
                raise EngineUnavailableError(
                    f"no usable zh→en Argos package in {packages_dir()}; install one with "
                    "`bitext models install FILE.argosmodel` (or `bitext models install zh-en` online)"
                )
            pkg = found
        if pkg.problem:
            raise EngineError(f"Argos package {pkg.path}: {pkg.problem}; reinstall it with `bitext models install FILE`")
        if (pkg.from_code, pkg.to_code) != ("zh", "en"):
            raise EngineError(
                f"Argos package {pkg.path} translates {pkg.from_code}→{pkg.to_code}; bitext needs zh→en"
            )
        self.package = pkg
        assert pkg.sp_model is not None  # guaranteed by pkg.problem == ''
        super().__init__(
            pkg.model_dir,
            pkg.sp_model,
            pkg.sp_model,
            target_prefix=pkg.target_prefix,
            model_id=f"{pkg.name}@{pkg.package_version or '?'}",
            **options,
        )

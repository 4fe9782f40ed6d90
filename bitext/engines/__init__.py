"""Translation engines: a registry of names to factories, resolved lazily.

Each engine module is imported only when its engine is asked for, so ``bitext --help``
stays fast and a missing optional dependency only matters when it is used.
"""

from __future__ import annotations

import importlib
from typing import Any

from bitext.engines.base import Engine, Translation
from bitext.errors import ConfigError

ENGINES: dict[str, str] = {
    "gloss": "bitext.engines.gloss:GlossEngine",
    "argos": "bitext.engines.argos:ArgosEngine",
    "ct2": "bitext.engines.ct2:CT2Engine",
}
"""Engine name → ``module:class``. The class is built with keyword options."""


def engine_names() -> list[str]:
    """Names the CLI offers (``--engine`` choices)."""
    return list(ENGINES)


def create_engine(name: str, **options: Any) -> Engine:
    """Build an engine by name.

    Raises:
        ConfigError: unknown engine name.
        EngineUnavailableError: the engine's model is not installed.
    """
    try:
        target = ENGINES[name]
    except KeyError:
        raise ConfigError(
            f"unknown engine '{name}'; choose one of: {', '.join(ENGINES)}"
        ) from None
    mod_name, cls_name = target.split(":")
    cls = getattr(importlib.import_module(mod_name), cls_name)
    return cls(**options)


def default_engine_name() -> str:
    """``argos`` when a zh→en Argos package is installed, else ``gloss``."""
    try:
        from bitext.engines.argos import find_zh_en_package
    except ImportError:  # pragma: no cover - argos module absent
        return "gloss"
    try:
        return "argos" if find_zh_en_package() is not None else "gloss"
    except Exception:  # noqa: BLE001 - a broken packages dir must not hide the gloss engine
        return "gloss"


__all__ = ["ENGINES", "Engine", "Translation", "create_engine", "default_engine_name", "engine_names"]

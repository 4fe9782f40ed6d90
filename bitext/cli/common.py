"""Helpers shared by CLI commands: error conversion, JSON printing, progress bars."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def print_json(obj: Any) -> None:
    """Print ``obj`` as pretty UTF-8 JSON on stdout."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def show_progress(quiet: bool) -> bool:
    """Progress bars only on an interactive stderr and without ``-q``."""
    return not quiet and sys.stderr.isatty()


class _State:
    """Process-wide CLI flags set by option callbacks."""

    tracebacks = False


state = _State()


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int) -> int:
    state.tracebacks = value > 0
    return value


def verbosity_options(f: Any) -> Any:
    """Add ``-q/--quiet`` and ``-v/--verbose`` to a command."""
    f = click.option("-v", "--verbose", count=True, callback=_set_verbose,
                     help="More log output; -v also shows tracebacks.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bar.")(f)
    return f


def _set_max_input(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    from bitext.files import set_max_input_mb

    set_max_input_mb(value)  # None (option absent) restores the default for this run
    return value


def input_limit_option(f: Any) -> Any:
    """Add ``--max-input-mb`` (inputs over it are refused before reading; 0 = no limit)."""
    return click.option(
        "--max-input-mb", type=click.FloatRange(min=0), default=None, expose_value=False,
        callback=_set_max_input, is_eager=True,
        help="Refuse input files larger than this many MB before reading them "
             "(default 200, or $BITEXT_MAX_INPUT_MB; 0 = no limit).",
    )(f)

"""``bitext`` command group. Subcommands live in their own modules and load lazily.

Each entry of ``COMMANDS`` maps a command name to ``module:attribute`` inside
``bitext.cli``; the module is imported only when that command runs (or when ``--help``
lists it, which imports nothing heavy by convention).
"""

from __future__ import annotations

import importlib
import importlib.util
import signal
import sys
import threading
from typing import Any

import click

from bitext import __version__
from bitext.cli.common import state
from bitext.errors import BitextError

COMMANDS: dict[str, str] = {
    "translate": "bitext.cli.translate:translate",
    "models": "bitext.cli.models:models",
    "glossary": "bitext.cli.glossary:glossary",
    "check": "bitext.cli.check:check",
    "align": "bitext.cli.align:align",
    "eval-align": "bitext.cli.align:eval_align",
    "tm": "bitext.cli.tm:tm",
    "batch": "bitext.cli.batch:batch_group",
}


class BitextFailure(click.ClickException):
    """A library error shown as ``bitext: error: …`` (one line) with the error's exit code."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.exit_code = getattr(error, "exit_code", 1)

    def show(self, file: Any = None) -> None:
        click.echo(f"bitext: error: {self.format_message()}", err=True, file=file)


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def _available(self) -> dict[str, str]:
        out = {}
        for name, target in COMMANDS.items():
            mod = target.split(":")[0]
            try:
                if importlib.util.find_spec(mod) is not None:
                    out[name] = target
            except ModuleNotFoundError:
                continue
        return out

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a ``BitextError`` becomes a one-line error with its exit code."""
        try:
            return super().invoke(ctx)
        except BitextError as e:
            if state.tracebacks:
                raise
            raise BitextFailure(e) from e
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as e:
            if state.tracebacks:
                raise
            raise BitextFailure(e) from e
        except KeyboardInterrupt as e:  # SIGINT, or SIGTERM/SIGHUP through _on_signal
            _ignore_signals()  # a second signal must not interrupt the clean-up
            from bitext.files import remove_live_temps

            remove_live_temps()
            signum = getattr(e, "signum", signal.SIGINT)
            name = signal.Signals(signum).name
            click.echo(f"bitext: interrupted ({name}); no partial output was left", err=True)
            raise click.exceptions.Exit(128 + int(signum)) from None
        except MemoryError:
            if state.tracebacks:
                raise
            raise BitextFailure(RuntimeError(
                "out of memory: the input is too large for this machine; split it into smaller files"
            )) from None
        except Exception as e:
            if state.tracebacks:
                raise
            raise BitextFailure(
                RuntimeError(f"internal error: {type(e).__name__}: {e} (rerun with -v for details)")
            ) from e

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._available()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            return cmd
        target = self._available().get(cmd_name)
        if target is None:
            return None
        mod_name, attr = target.split(":")
        return getattr(importlib.import_module(mod_name), attr)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="bitext")
def cli() -> None:
    """Offline Chinese→English translation and bilingual alignment.

    \b
    Examples:
      bitext translate article.md -o out/          # TMX + HTML + English Markdown
      bitext translate report.html --glossary my.tsv --json
      bitext models install zh_en.argosmodel
      bitext align zh.txt en.txt --tmx memory.tmx
      bitext check out/article.tmx --glossary my.tsv
    """


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like SIGINT's KeyboardInterrupt so that the same clean-up
    runs (temp files removed, atomic outputs abandoned); exit code 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: Any) -> None:
    raise Terminated(signum)


_HANDLED = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _ignore_signals() -> None:
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, *_HANDLED):
            signal.signal(sig, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point. SIGTERM and SIGHUP are handled like SIGINT: temp files
    removed, one line on stderr, exit code 143 / 129 (130 for SIGINT)."""
    if threading.current_thread() is threading.main_thread():
        for sig in _HANDLED:
            signal.signal(sig, _on_signal)
    try:
        return cli.main(args=argv, prog_name="bitext")
    except KeyboardInterrupt as e:  # a signal outside a command (start-up, argument parsing)
        _ignore_signals()
        from bitext.files import remove_live_temps

        remove_live_temps()
        signum = int(getattr(e, "signum", signal.SIGINT))
        sys.stderr.write(f"bitext: interrupted ({signal.Signals(signum).name})\n")
        sys.exit(128 + signum)

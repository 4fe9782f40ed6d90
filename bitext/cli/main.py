"""``bitext`` command group. Subcommands live in their own modules and load lazily.

Each entry of ``COMMANDS`` maps a command name to ``module:attribute`` inside
``bitext.cli``; the module is imported only when that command runs (or when ``--help``
lists it, which imports nothing heavy by convention).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import signal
import sys
import threading
from typing import Any

import click

from bitext import __version__
from bitext.cli.common import state
from bitext.errors import BitextError, FormatError

COMMANDS: dict[str, str] = {
    "translate": "bitext.cli.translate:translate",
    "models": "bitext.cli.models:models",
    "glossary": "bitext.cli.glossary:glossary",
    "check": "bitext.cli.check:check",
    "align": "bitext.cli.align:align",
    "eval-align": "bitext.cli.align:eval_align",
    "tm": "bitext.cli.tm:tm",
    "srx": "bitext.cli.srx:srx",
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
        except BrokenPipeError:
            _quiet_pipe()
            raise click.exceptions.Exit(0) from None
        except click.BadParameter as e:
            failure = _input_path_failure(e)
            if failure is None:
                raise
            raise failure from None
        except BitextError as e:
            if state.tracebacks:
                raise
            raise BitextFailure(e) from e
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as e:
            if _is_pipe_error(e):
                _quiet_pipe()
                raise click.exceptions.Exit(0) from None
            if e.filename is None and (_from_echo(e) or _stdout_fails()):
                _quiet_pipe()  # nothing more can be written there; Python's exit flush too
                raise BitextFailure(RuntimeError(
                    f"cannot write to standard output: {e.strerror or e}")) from None
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
            raise BitextFailure(RuntimeError(
                "out of memory: the input is too large for this machine; split it into parts"
            )) from None
        except RecursionError:
            raise BitextFailure(RuntimeError(
                "the input is nested too deeply to be read (flatten it or split it)"
            )) from None
        except Exception as e:
            import sqlite3

            if isinstance(e, sqlite3.Error):
                from bitext.tm import database_error

                raise BitextFailure(database_error(e, None)) from None
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


def _is_pipe_error(e: BaseException) -> bool:
    import errno

    return isinstance(e, BrokenPipeError) or (
        isinstance(e, OSError) and e.errno in (errno.EPIPE, errno.EINVAL) and _stdout_closed()
    )


def _stdout_closed() -> bool:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        return True
    except OSError:
        return False
    return False


def _from_echo(e: BaseException) -> bool:
    """Whether the error was raised while ``click.echo`` wrote (to stdout: stderr is for us)."""
    tb = e.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "echo" and code.co_filename.endswith(("click/utils.py", "click\\utils.py")):
            return not tb.tb_frame.f_locals.get("err")
        tb = tb.tb_next
    return False


def _stdout_fails() -> bool:
    """Whether flushing stdout fails (the write error just raised came from stdout)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _quiet_pipe() -> None:
    """The reader of stdout went away (``| head``): end quietly, as git does.

    stdout is pointed at /dev/null so that Python's flush at exit does not fail again.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


_OUTPUT_PARAMS = frozenset({
    "beads_path", "tmx_path", "html_path", "tsv_path", "out_path", "output", "output_dir", "out",
})
"""click parameters that name outputs (not inputs) in bitext's commands."""


def _input_path_failure(e: click.BadParameter) -> BitextFailure | None:
    """A path parameter naming a folder or an unreadable file: exit 1 with the reason.

    click calls these usage errors (exit 2); the command line is right, the file is not.
    """
    import os


    if not isinstance(getattr(e.param, "type", None), click.Path):
        return None
    if e.param is None or (e.param.name or "") in _OUTPUT_PARAMS:
        return None  # an output naming a folder stays a usage error
    msg = str(e.message)
    found = [p for p in re.findall(r"'([^']*)'", msg) if os.path.lexists(p)]
    if not found:
        return None
    path = found[-1]
    if os.path.isdir(path) and "directory" in msg:
        return BitextFailure(FormatError("is a folder, not a file", path))
    if "readable" in msg:
        return BitextFailure(FormatError("cannot read: permission denied", path))
    if "writable" in msg:
        return BitextFailure(FormatError("cannot write: permission denied", path))
    return None


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point. SIGTERM and SIGHUP are handled like SIGINT (temp files
    removed, one line on stderr, exit code 143 / 129; 130 for SIGINT); a write error on
    stdout is exit 1."""
    if threading.current_thread() is threading.main_thread():
        for sig in _HANDLED:
            signal.signal(sig, _on_signal)
    try:
        return cli.main(args=argv, prog_name="bitext")
    except SystemExit as e:
        code = e.code
        _flush_stdout(code)
        raise
    except KeyboardInterrupt as e:  # a signal outside a command (start-up, argument parsing)
        _ignore_signals()
        from bitext.files import remove_live_temps

        remove_live_temps()
        signum = int(getattr(e, "signum", signal.SIGINT))
        sys.stderr.write(f"bitext: interrupted ({signal.Signals(signum).name})\n")
        sys.exit(128 + signum)


def _flush_stdout(code: Any) -> None:
    """Flush stdout before Python does: a write error (``> /dev/full``) becomes exit 1.

    Python's own flush at exit reports such an error as exit 120 with a traceback-like
    message; a closed pipe (``| head``) ends quietly instead.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe()
    except OSError as e:
        _quiet_pipe()
        sys.stderr.write(f"bitext: error: cannot write to standard output: {e.strerror or e}\n")
        sys.exit(1)
    except ValueError:
        pass

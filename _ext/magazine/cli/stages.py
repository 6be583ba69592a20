"""Each stage of ``make check`` and ``make publish`` runs in a child process with limits.

A stage (the web edition build, the PDF edition build, the quick check) is a command run
by :func:`run_stage` in a session of its own, so that its whole process tree (Sphinx's
``-j`` readers, Typst's threads, anything they start) is one process group. Every
:data:`POLL` seconds the tree's resident memory is added up; when it passes the memory
limit, or the stage passes its time limit, the group is killed and the result carries one
message in the gate's format, naming the stage, the file the build was working on (from
:mod:`magazine.cli.progress`) and the limit::

    articles/x.md: error: the web edition build stopped: it used more than 6144 MB while
    reading this file; ...

Each process of the tree also gets ``RLIMIT_DATA`` at twice the memory limit plus
:data:`HEADROOM`, a backstop for an allocation too fast for the polling (the headroom lets
an interpreter start under a tiny limit, for the polling to stop it); Typst's threads run
under it unharmed. A child that the backstop ends reports a ``MemoryError``: the stage is
then stopped for memory like any other, and the child's crash report is not shown. The sum
of resident sizes counts twice the pages that forked readers share, so it errs on the side
of stopping. Ctrl-C or a ``SIGTERM`` to the supervisor kills the tree too (the child's
session does not get the terminal's signals).

Limits come from :data:`BUILD` and :data:`QUICK`, unless ``MAGAZINE_TIME_LIMIT`` (seconds)
or ``MAGAZINE_MEMORY_LIMIT`` (MB) say otherwise, or the command line (``make check
TIME_LIMIT=60 MEMORY_LIMIT=2048``); 0 means no limit.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import psutil

from . import progress

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

MB = 2**20
POLL = 0.1  # seconds between two looks at the tree
BACKSTOP = 2  # RLIMIT_DATA of each process, in memory limits ...
HEADROOM = 512 * MB  # ... plus this

TIME_VARIABLE = "MAGAZINE_TIME_LIMIT"
MEMORY_VARIABLE = "MAGAZINE_MEMORY_LIMIT"

# What each line of the progress file says the build was doing.
ACTIVITIES = {
    "reading": "while reading this file",
    "writing": "while resolving and writing this file",
    "compiling": "while typesetting this file's PDF",
}


@dataclass(frozen=True)
class Limits:
    """A stage's limits: wall-clock seconds and megabytes of the whole tree (None: none)."""

    time: float | None
    memory: float | None


# A 1,000-article archive on a CI machine: the web edition ~80 s and ~400 MB, the PDF
# edition ~130 s and ~4 GB. The quick check reads two kinds of file and builds nothing.
BUILD = Limits(time=20 * 60, memory=6 * 1024)
QUICK = Limits(time=2 * 60, memory=1024)


class LimitError(ValueError):
    """A limit given in the environment that is not a number; the message says which."""


def limits(default: Limits, *, time: float | None = None, memory: float | None = None,
           environ: Mapping[str, str] | None = None) -> Limits:
    """``default``, overridden by the environment, overridden by ``time``/``memory``
    (seconds and MB; 0 is no limit)."""
    environ = os.environ if environ is None else environ
    seconds = time if time is not None else _number(environ.get(TIME_VARIABLE), TIME_VARIABLE,
                                                     "seconds")
    megabytes = memory if memory is not None else _number(environ.get(MEMORY_VARIABLE),
                                                           MEMORY_VARIABLE, "MB")
    return Limits(
        time=default.time if seconds is None else (seconds or None),
        memory=default.memory if megabytes is None else (megabytes or None),
    )


def _number(text: str | None, name: str, unit: str) -> float | None:
    """``text`` as a number of ``unit`` (None when empty); LimitError unless it is one."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = -1
    if not 0 <= number < float("inf"):  # also false for NaN
        msg = (f"{name}: error: {text!r} is not a number of {unit}; set it to a positive "
               "number, or 0 for no limit")
        raise LimitError(msg)
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--time-limit SECONDS`` and ``--memory-limit MB``, for a command that runs stages."""
    for flag, unit, variable in (("--time-limit", "seconds", TIME_VARIABLE),
                                 ("--memory-limit", "MB", MEMORY_VARIABLE)):

        def parse(text: str, flag: str = flag, unit: str = unit) -> float | None:
            try:
                return _number(text, flag, unit)
            except LimitError as err:
                raise argparse.ArgumentTypeError(str(err).partition("error: ")[2]) from None

        parser.add_argument(
            flag, type=parse, metavar=unit.upper(),
            help=f"each stage's limit in {unit}, 0 for none (default: ${variable}, "
                 "else the stage's own)",
        )


@dataclass(frozen=True)
class StageResult:
    """How a stage ended. ``stopped`` is ``"time"``, ``"memory"`` or ``"interrupted"``
    when the supervisor ended it, with ``message`` saying so in the gate's format
    (``file: error: reason``; ``file`` and ``reason`` also apart)."""

    name: str
    returncode: int
    stdout: str = ""
    stderr: str = ""
    stopped: str | None = None
    file: str | None = None  # the file the stage was on when stopped
    reason: str | None = None  # what the message says after "error: "
    elapsed: float = 0.0  # seconds
    peak_rss: int = 0  # bytes, the most the tree held at one look

    @property
    def ok(self) -> bool:
        return self.stopped is None and self.returncode == 0

    @property
    def message(self) -> str | None:
        return None if self.reason is None else f"{self.file}: error: {self.reason}"


def run_stage(
    name: str,
    command: Sequence[str],
    *,
    time_limit: float | None,
    memory_limit: float | None,
    progress_file: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    capture: bool = False,
    default_file: str = "conf.py",
    poll: float = POLL,
) -> StageResult:
    """Run ``command`` as the stage ``name`` within ``time_limit`` seconds and
    ``memory_limit`` MB for its process tree (None: no limit).

    The child reports the file it works on to ``progress_file`` (a temporary file when
    None) through ``MAGAZINE_PROGRESS_FILE``; ``default_file`` is named when it reported
    nothing. With ``capture`` the child's output is returned, else it goes to this
    process's standard output and error as it comes (a crash report on standard error is
    held back until the child ends, and left out if it was the memory backstop's).
    """
    with contextlib.ExitStack() as stack:
        if progress_file is None:
            folder = tempfile.mkdtemp(prefix="magazine-stage-")
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            progress_file = Path(folder, "progress")
        else:
            progress_file.unlink(missing_ok=True)  # a line from an earlier run names nothing
        outputs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(2)] \
            if capture else [None, subprocess.PIPE]
        child_env = {**os.environ, **(env or {}), progress.VARIABLE: str(progress_file)}
        started = time.monotonic()
        child = subprocess.Popen(
            list(command), cwd=cwd, env=child_env, stdin=subprocess.DEVNULL,
            stdout=outputs[0], stderr=outputs[1], start_new_session=True,
        )
        relay = None if capture else _Relay(child.stderr)
        watch = _Watch(child, time_limit, memory_limit, started)
        try:
            with terminate_as_interrupt():
                if relay is not None:
                    relay.start()
                watch.run(poll)
        except KeyboardInterrupt:
            watch.stop("interrupted")
        finally:
            watch.kill()
            if relay is not None:
                relay.join(timeout=5)
        elapsed = time.monotonic() - started
        stdout = _text(outputs[0])
        stderr = _text(outputs[1]) if relay is None else relay.held_text()
        stopped = watch.stopped
        if stopped is None and _out_of_memory(child.returncode, stderr, memory_limit):
            stopped = "memory"  # the RLIMIT_DATA backstop, before a look saw it
        if relay is not None and stopped is None:
            relay.release()  # a crash of the child's own is its to tell
        file = reason = None
        if stopped is not None:
            file, activity = _where(progress_file, watch, stopped) or (default_file, "")
            reason = _reason(name, stopped, activity, time_limit, memory_limit)
        return StageResult(name, child.returncode, stdout, stderr, stopped, file, reason,
                           elapsed, watch.peak)


# The first line of a crash report: Python's, Sphinx's, or a Rust allocator's (Typst).
CRASH = re.compile(rb"Traceback \(most recent call last\)|Exception occurred:|"
                   rb"memory allocation of \d+ bytes failed|(?:\w+\.)*MemoryError\b")


class _Relay(threading.Thread):
    """Passes a child's standard error on to this process's as it comes, line by line,
    except from the first line of a crash report on: that is held until :meth:`release`."""

    LIMIT = 1 * MB  # a longer report is passed on as it comes, not held

    def __init__(self, pipe: IO[bytes] | None) -> None:
        super().__init__(name="stage-stderr", daemon=True)
        assert pipe is not None
        self.pipe = pipe
        self.held = bytearray()
        self.holding = False

    def run(self) -> None:
        for line in iter(self.pipe.readline, b""):
            self.holding = self.holding or bool(CRASH.search(line))
            if self.holding:
                if len(self.held) + len(line) <= self.LIMIT:
                    self.held += line
                    continue
                self.release()
                self.holding = False
            _write(line)
        self.pipe.close()

    def held_text(self) -> str:
        return bytes(self.held).decode("utf-8", errors="replace")

    def release(self) -> None:
        _write(bytes(self.held))
        self.held.clear()


def _write(data: bytes) -> None:
    if data:
        sys.stderr.write(data.decode("utf-8", errors="replace"))
        sys.stderr.flush()


class _Watch:
    """Looks at a child's process tree until it ends or passes a limit."""

    def __init__(self, child: subprocess.Popen[bytes], time_limit: float | None,
                 memory_limit: float | None, started: float) -> None:
        self.child = child
        self.deadline = started + time_limit if time_limit else None
        self.memory = int(memory_limit * MB) if memory_limit else None
        self.stopped: str | None = None
        self.peak = self.rss = 0
        self.tree: list[psutil.Process] = []
        self.largest: psutil.Process | None = None
        try:
            self.root: psutil.Process | None = psutil.Process(child.pid)
        except psutil.Error:
            self.root = None  # it has already ended
        if self.root is not None and self.memory and hasattr(psutil, "RLIMIT_DATA"):
            self.backstop(self.root, BACKSTOP * self.memory + HEADROOM)

    @staticmethod
    def backstop(process: psutil.Process, limit: int) -> None:
        """Lower ``process``'s RLIMIT_DATA to ``limit``, never raising what it has already."""
        with contextlib.suppress(psutil.Error, OSError, ValueError):
            soft, hard = process.rlimit(psutil.RLIMIT_DATA)
            if hard != psutil.RLIM_INFINITY:
                limit = min(limit, hard)
            if soft == psutil.RLIM_INFINITY or soft > limit:
                process.rlimit(psutil.RLIMIT_DATA, (limit, hard))

    def run(self, poll: float) -> None:
        while True:
            timeout = poll
            if self.deadline is not None:
                timeout = max(0.0, min(poll, self.deadline - time.monotonic()))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.child.wait(timeout=timeout)
                return
            self.look()
            if self.memory is not None and self.rss > self.memory:
                self.stop("memory")
                return
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.stop("time")
                return

    def look(self) -> None:
        """The tree as it is now: its processes, their resident memory, the largest."""
        if self.root is None:
            return
        with contextlib.suppress(psutil.Error):
            self.tree = [self.root, *self.root.children(recursive=True)]
        self.rss, self.largest, most = 0, None, -1
        for process in self.tree:
            try:
                rss = process.memory_info().rss
            except psutil.Error:
                continue
            self.rss += rss
            if rss > most:
                self.largest, most = process, rss
        self.peak = max(self.peak, self.rss)

    def stop(self, why: str) -> None:
        if self.stopped is None:
            self.stopped = why
            self.look()  # who was there, for the file they were on

    def kill(self) -> None:
        """End the child's process group and every process seen in its tree, and wait."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.child.pid, signal.SIGKILL)  # what is left of its group, too
        for process in self.tree[1:]:
            with contextlib.suppress(psutil.Error):
                process.kill()
        self.child.wait()
        _wait_dead(self.tree[1:], timeout=5)


def _wait_dead(processes: Sequence[psutil.Process], timeout: float) -> None:
    """Wait until each of ``processes`` has ended. A zombie has: it writes nothing more, and
    its reaping is not ours (a grandchild is reparented, and a container's first process
    may be slow to reap, or never do)."""
    deadline = time.monotonic() + timeout
    for process in processes:
        while time.monotonic() < deadline:
            try:
                if process.status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.Error:
                break  # gone, or no longer ours to ask about
            time.sleep(0.01)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """A ``SIGTERM`` (a cancelled CI job) ends the stage like Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _where(progress_file: Path, watch: _Watch, stopped: str) -> tuple[str, str] | None:
    """The (activity, file) the tree was on: for memory, the largest process's; for time,
    of the forked processes that report, the one longest on its file; else the main one."""
    own = {}
    for process in watch.tree:
        file = Path(f"{progress_file}.{process.pid}")
        if file.is_file():
            own[process.pid] = file
    chosen = None
    if stopped == "memory" and watch.largest is not None:
        chosen = own.get(watch.largest.pid)
    elif own:
        chosen = min(own.values(), key=lambda f: f.stat().st_mtime)
    for file in (chosen, progress_file):
        line = progress.read(file) if file is not None else None
        if line is not None:
            activity, path = line
            return path, ACTIVITIES.get(activity, f"while {activity} this file")
    return None


def _reason(name: str, stopped: str, activity: str, time_limit: float | None,
            memory_limit: float | None) -> str:
    activity = activity or "before it reached any article"
    if stopped == "memory":
        return (
            f"{name} stopped: it used more than {memory_limit:g} MB {activity}; if the file is "
            "legitimately this large, split it into smaller files, or raise the limit (make "
            f"... MEMORY_LIMIT=<MB>, or {MEMORY_VARIABLE}); otherwise look in it for what "
            "makes the build grow, such as deeply nested or repeated content"
        )
    if stopped == "time":
        unit = "second" if time_limit == 1 else "seconds"
        return (
            f"{name} stopped: it ran for more than {time_limit:g} {unit} {activity}; if the "
            "archive is legitimately this large, raise the limit (make ... "
            f"TIME_LIMIT=<seconds>, or {TIME_VARIABLE}); otherwise look in this file for "
            "what keeps the build busy"
        )
    return f"{name} was interrupted {activity}; nothing was changed, run the command again"


# What a child ended by the RLIMIT_DATA backstop writes: Python's MemoryError (the last line
# of its traceback, or Sphinx's report of it), or a Rust allocator's abort (Typst's).
OUT_OF_MEMORY = re.compile(r"^(?:\w+\.)*MemoryError\b|memory allocation of \d+ bytes failed",
                           re.MULTILINE)


def _out_of_memory(returncode: int, stderr: str, memory_limit: float | None) -> bool:
    return bool(memory_limit) and returncode != 0 and OUT_OF_MEMORY.search(stderr) is not None


def _text(output: IO[bytes] | None) -> str:
    if output is None:
        return ""
    output.seek(0)
    return output.read().decode("utf-8", errors="replace")


def print_stop(result: StageResult) -> None:
    """The stop's one message, on standard error."""
    if result.message:
        print(result.message, file=sys.stderr, flush=True)

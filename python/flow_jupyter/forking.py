"""The server's side of the kernel fork server (forkserver.py): which kernels are forked, and the
process object the server's provisioner keeps for a forked kernel.

A kernel is forked when its command is exactly what a Python kernelspec runs,
``PYTHON -m ipykernel_launcher -f CONNECTION_FILE`` (or ``-m ipykernel``), with no launch option
but its environment and folder; anything else (another language, a wrapper script, a kernelspec
flow does not recognise) is launched as before. One fork server runs per interpreter, started
the first time it is needed (the server's own interpreter's at once). A fork server that cannot
start, or that refuses to fork (a preloaded module left threads running), is reported once on
the server's log (a ``[flow notice]`` line, which flow shows as a warning) and its kernels are
launched as before.

``FLOW_FORK=0`` in the server's environment turns forking off; flow sets it for ``--no-fork``.
Imports nothing of Jupyter's: the prelaunch uses it before jupyter_client is imported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Optional

FORKSERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "forkserver.py")
LAUNCHERS = ("ipykernel_launcher", "ipykernel")


def notice(message: str) -> None:
    """A line flow shows as a warning of the run (the rest of the server's log it only keeps)."""
    sys.stderr.write(f"[flow notice] {message}\n")
    sys.stderr.flush()


class ForkUnavailable(Exception):
    """This fork server cannot fork (it did not start, or refuses): launch the kernel instead."""


class ForkServer:
    """One forkserver.py process and the pipes to it; requests are one at a time."""

    def __init__(self, python: str, preload: list) -> None:
        self.python = python
        self.lock = threading.Lock()
        self.preloaded: list = []
        # Modules that left threads running in a fork server: never preloaded again.
        self.unsafe: set = set()
        self.proc: Optional[subprocess.Popen] = None
        # Fork server processes replaced by a new one, by generation: kept (they refuse to fork)
        # until the server stops, for their kernels are their children, and end with them.
        self.generation = 0
        self.retired: dict = {}
        self.stopped = False
        self._spawn(list(preload))

    def _spawn(self, preload: list) -> None:
        """A new fork server process, which will import ``preload`` before its first fork."""
        if self.proc is not None:
            self.retired[self.generation] = (self.proc, self.writer, self.reader)
            self.generation += 1
        self.broken: Optional[str] = None
        self.ready = False
        self.pending_preload = [m for m in preload if m not in self.unsafe]
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        env = dict(os.environ)
        env.pop("JUPYTER_TOKEN", None)
        env["FLOW_FORK_FDS"] = f"{requests_read},{answers_write}"
        try:
            self.proc = subprocess.Popen(
                [self.python, FORKSERVER],
                stdin=subprocess.DEVNULL,
                env=env,
                pass_fds=(requests_read, answers_write),
                start_new_session=True,
            )
        except OSError as e:
            self.proc = None
            self.broken = f"the fork server for {self.python} could not start: {e}"
        finally:
            os.close(requests_read)
            os.close(answers_write)
        self.writer = os.fdopen(requests_write, "w", buffering=1)
        self.reader = os.fdopen(answers_read, "r")

    def _gone(self, why: str) -> ForkUnavailable:
        self.broken = why
        notice(f"{why}; kernels are launched instead")
        return ForkUnavailable(why)

    def _send(self, request: dict, channel: Optional[tuple] = None) -> Optional[dict]:
        """One request and its answer (None: the fork server is gone), on the current process or
        on ``channel``, a retired one's ``(proc, writer, reader)``."""
        writer, reader = (self.writer, self.reader) if channel is None else channel[1:]
        try:
            writer.write(json.dumps(request) + "\n")
            writer.flush()
            line = reader.readline()
        except (OSError, ValueError):  # ValueError: closed by stop()
            line = ""
        return json.loads(line) if line else None

    def _ask(self, request: dict) -> dict:
        """Under the lock. Raises ForkUnavailable when the fork server cannot answer."""
        while True:
            if self.broken:
                raise ForkUnavailable(self.broken)
            if not self.ready:
                line = self.reader.readline()
                if not line:
                    raise self._gone(
                        f"the fork server for {self.python} exited before it was ready"
                        " (can it import ipykernel?)"
                    )
                first = json.loads(line)
                self.ready = True
                if first.get("unsafe"):
                    raise self._gone(
                        f"ipykernel left threads running after its import ({first['unsafe']}):"
                        " forking is unsafe"
                    )
            if not self.pending_preload:
                break
            modules, self.pending_preload = self.pending_preload, []
            # May start the fork server again (a module that left threads): then round again.
            self._preload(modules)
        answer = self._send(request)
        if answer is None:
            raise self._gone(f"the fork server for {self.python} stopped")
        return answer

    def _preload(self, modules: list) -> None:
        """Under the lock, the fork server ready. A module that leaves threads running makes
        the process unsafe to fork from: it is replaced by a new one without that module."""
        modules = [m for m in modules if m not in self.preloaded and m not in self.unsafe]
        if not modules:
            return
        started = time.monotonic()
        result = self._send({"op": "preload", "modules": modules})
        if result is None:
            raise self._gone(
                f"the fork server for {self.python} stopped while it imported {', '.join(modules)}"
            )
        for name, why in (result.get("failed") or {}).items():
            notice(f"preload: {name} could not be imported ({why}); kernels import it themselves")
        unsafe = result.get("unsafe") or {}
        self.unsafe.update(unsafe)  # not asked for again
        for name, why in unsafe.items():
            notice(
                f"preload: {name} is not preloaded: {why}, after which forking is unsafe;"
                " kernels import it themselves"
            )
        sys.stderr.write(
            f"[flow fork] preloaded {', '.join(result.get('ok', [])) or 'nothing'}"
            f" in {time.monotonic() - started:.2f}s\n"
        )
        failed = set(result.get("failed") or {})
        if result.get("tainted"):
            # The module is imported in this process already: start again without it (and
            # without those that failed), importing what was asked for after it too.
            keep = list(dict.fromkeys(m for m in [*self.preloaded, *modules] if m not in failed))
            self._spawn(keep)
            self.preloaded = []
            return
        self.preloaded += result.get("ok", [])
        self.unsafe.update(failed)  # not asked for again

    def preload(self, modules: list) -> None:
        with self.lock:
            if not self.ready:
                self.pending_preload += [m for m in modules if m not in self.pending_preload]
                return
            try:
                self._preload(modules)
            except ForkUnavailable:
                pass

    def fork(self, argv: list, env: dict, cwd: str) -> ForkedProcess:
        with self.lock:
            answer = self._ask({"op": "fork", "argv": argv, "env": env, "cwd": cwd})
        if "pid" not in answer:
            why = str(answer.get("error", "no pid"))
            if not self.broken:
                self._gone(f"the fork server could not fork a kernel: {why}")
            raise ForkUnavailable(why)
        return ForkedProcess(int(answer["pid"]), self, self.generation)

    def exit_code(self, pid: int, generation: Optional[int] = None) -> Optional[int]:
        """The exit status of a kernel forked by this fork server (or by the process of that
        generation, since replaced) once it has been reaped; None before, or when unknown."""
        with self.lock:
            if self.stopped:
                return None
            if generation is not None and generation in self.retired:
                answer = self._send({"op": "exit", "pid": pid}, self.retired[generation])
                return answer.get("code") if answer else None
            try:
                return self._ask({"op": "exit", "pid": pid}).get("code")
            except ForkUnavailable:
                return None

    def stop(self) -> None:
        """Ends every fork server process of this interpreter (the current one and those it replaced)."""
        with self.lock:
            self.stopped = True
            self.broken = self.broken or "the server is stopping"
            channels = [*self.retired.values(), (self.proc, self.writer, self.reader)]
            self.retired = {}
        for proc, writer, reader in channels:
            for f in (writer, reader):
                try:
                    f.close()
                except OSError:
                    pass
            if proc is not None:
                try:
                    # One still importing reads its end of the pipe only once it is done.
                    proc.wait(0.5 if self.ready else 0)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


class ForkedProcess:
    """What jupyter_client's LocalProvisioner keeps in ``process`` (a Popen), for a forked kernel:
    the kernel is the fork server's child, not the server's, so it is polled by pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, server: ForkServer, generation: int = 0) -> None:
        self.pid = pid
        self.server = server
        self.generation = generation
        self.returncode: Optional[int] = None

    def poll(self) -> Optional[int]:
        if self.returncode is not None:
            return self.returncode
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            # Reaped: by its fork server, which has its status; if that is gone too, by init.
            code = self.server.exit_code(self.pid, self.generation)
            self.returncode = code if code is not None else -signal.SIGKILL
            return self.returncode
        except PermissionError:
            return None
        if not _zombie(self.pid):
            return None
        # Exited, not reaped yet (its last threads may still be ending): its status comes once
        # the fork server has reaped it.
        code = self.server.exit_code(self.pid, self.generation)
        if code is not None:
            self.returncode = code
        return code

    def wait(self, timeout: Optional[float] = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired([str(self.pid)], timeout or 0)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2] in "ZX"
    except (OSError, ValueError, IndexError):
        return False


_lock = threading.Lock()
_servers: dict = {}
_preload: list = []
enabled = os.environ.get("FLOW_FORK", "1") != "0"
# Read once, here: kernels do not inherit it (a forked kernel could not have it).
os.environ.pop("FLOW_FORK", None)


def forkable(cmd: list) -> Optional[str]:
    """The interpreter of a kernel command the fork server can stand in for, else None."""
    if len(cmd) != 5 or cmd[1] != "-m" or cmd[2] not in LAUNCHERS or cmd[3] != "-f":
        return None
    python = cmd[0]
    if not os.path.isabs(python) or not os.access(python, os.X_OK):
        return None
    return python


def server_for(python: str) -> ForkServer:
    with _lock:
        server = _servers.get(python)
        if server is None:
            server = _servers[python] = ForkServer(python, _preload)
        return server


def start(python: str = sys.executable) -> None:
    """Starts the fork server of ``python`` now, so that it has imported ipykernel when asked."""
    if enabled:
        server_for(python)


def spawn(cmd: list, env: dict, cwd: str) -> Optional[ForkedProcess]:
    """A forked kernel for ``cmd``, or None: launch it instead."""
    if not enabled:
        return None
    python = forkable(cmd)
    if python is None:
        return None
    try:
        return server_for(python).fork(cmd, env, cwd)
    except ForkUnavailable:
        return None


def configure(fork: Optional[bool] = None, preload: Optional[list] = None) -> None:
    """What flow says of a run (its stdin request ``{"fork", "preload"}``)."""
    global enabled
    if fork is not None:
        enabled = bool(fork)
    if preload:
        with _lock:
            _preload.extend(m for m in preload if m not in _preload)
            servers = list(_servers.values())
        # Before the next request is read: a kernel asked for next is forked with these imported.
        if enabled:
            for server in servers:
                server.preload(list(preload))


def stop_all() -> None:
    with _lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.stop()

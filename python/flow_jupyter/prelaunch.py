"""Kernel prelaunch: kernels flow names on the server's stdin start while jupyter_server imports.

The server's imports take ≈0.4 s, and a kernel's start ≈0.5 s; flow names the first nodes'
kernels on the server's stdin (KernelPrelaunch in flow's TypeScript), and they start at once, on
the other core. When flow then asks the server for that kernel in that folder (POST
/api/kernels), the server adopts the running process through jupyter_client's provisioner, but
only if the command, environment and folder are exactly those it would have launched itself;
otherwise the early kernel is stopped and the server launches its own. Early kernels nobody asks
for are stopped after a minute, and when the server stops. stdin also tells when flow is gone:
at its end, whatever flow left running here stops.

Imports nothing of Jupyter's at module level but jupyter_core: it runs before jupyter_server is
imported, and ``install`` after.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from typing import Any, Callable, Optional

from flow_jupyter import forking, patches

PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
UNUSED_AFTER_S = 60.0


def log(message: str) -> None:
    sys.stderr.write(f"[flow prelaunch] {message}\n")


def can_adopt() -> bool:
    """jupyter_client < 7 has no provisioners to adopt a kernel through: requests are ignored."""
    client = importlib.util.find_spec("jupyter_client")
    return bool(
        client
        and client.origin
        and os.path.isdir(os.path.join(os.path.dirname(client.origin), "provisioning"))
    )


def kernelspec(name: str) -> Optional[dict]:
    """The kernel.json of ``name`` as jupyter_client would find it, or None."""
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path("kernels"):
        path = os.path.join(root, name, "kernel.json")
        if os.path.isfile(path):
            with open(path) as f:
                return json.load(f)
    if name == "python3":
        # jupyter_client's built-in spec for the server's own interpreter (ipykernel's).
        return {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "language": "python",
        }
    return None


def launch_command(spec: Optional[dict]) -> Optional[list]:
    """The spec's argv when the server would run it the same way, else None: no env of its own,
    no custom provisioner, no substitutions but the connection file."""
    argv = (spec or {}).get("argv") or []
    if not argv or spec.get("env") or (spec.get("metadata") or {}).get("kernel_provisioner"):
        return None
    if any("{" in a.replace("{connection_file}", "") for a in argv):
        return None
    return argv


def kernel_command(argv: list, connection_file: str) -> list:
    cmd = [os.path.expanduser(a.replace("{connection_file}", connection_file)) for a in argv]
    # As jupyter_client's format_kernel_cmd: a bare "python" is the server's own interpreter.
    if cmd[0] in {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}:
        cmd[0] = sys.executable
    return cmd


def kernel_environment(spec: dict) -> dict:
    """The environment the server will give its kernels: its own (the config file takes the
    token out of it), less PYTHONEXECUTABLE for Python kernels, plus the parent pid."""
    env = dict(os.environ)
    env.pop("JUPYTER_TOKEN", None)
    if str(spec.get("language", "")).lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)
    env["JPY_PARENT_PID"] = str(os.getpid())
    return env


def free_ports(n: int) -> list:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class EarlyKernels:
    """The kernels started early; each entry's "state": waiting → taken → adopted, or stopped."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started: list = []
        self.closing = False  # once stop_all has begun: no kernel starts after that

    def launch(self, kernel_name: str, cwd: str) -> None:
        spec = kernelspec(kernel_name)
        argv = launch_command(spec)
        runtime = os.environ.get("JUPYTER_RUNTIME_DIR")
        if argv is None or not runtime or not os.path.isdir(cwd):
            return
        shell, iopub, stdin, control, hb = free_ports(5)
        info = {
            "shell_port": shell,
            "iopub_port": iopub,
            "stdin_port": stdin,
            "control_port": control,
            "hb_port": hb,
            "ip": "127.0.0.1",
            "key": str(uuid.uuid4()),
            "transport": "tcp",
            "signature_scheme": "hmac-sha256",
            "kernel_name": kernel_name,
        }
        connection_file = os.path.join(runtime, f"kernel-{uuid.uuid4()}.json")
        fd = os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        cmd = kernel_command(argv, connection_file)
        env = kernel_environment(spec)
        with self.lock:
            if self.closing:
                return
            # Forked from the fork server when it can be (forking.py); else, as jupyter_client's
            # launcher: a session of its own, and stdin a closed pipe.
            proc = forking.spawn(cmd, env, cwd)
            if proc is None:
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, cwd=cwd, env=env, start_new_session=True)
                proc.stdin.close()
            entry = {
                "kernel_name": kernel_name,
                "cwd": os.path.normpath(cwd),
                "cmd": cmd,
                "env": env,
                "info": info,
                "connection_file": connection_file,
                "proc": proc,
                "state": "waiting",
            }
            self.started.append(entry)
        how = "forked" if isinstance(proc, forking.ForkedProcess) else "started"
        log(f"{how} kernel {kernel_name} early in {cwd} (pid {proc.pid})")
        timer = threading.Timer(UNUSED_AFTER_S, lambda: self.stop(entry))
        timer.daemon = True
        timer.start()

    def take(self, kernel_name: str, cwd: str) -> Optional[dict]:
        with self.lock:
            for e in self.started:
                if (
                    e["state"] == "waiting"
                    and e["kernel_name"] == kernel_name
                    and e["cwd"] == os.path.normpath(cwd)
                ):
                    e["state"] = "taken"
                    return e
        return None

    def stop(self, entry: dict, wait: bool = False) -> None:
        """Kills an early kernel unless the server adopted it (then it is the server's to stop)."""
        proc = entry["proc"]
        with self.lock:
            if entry["state"] == "adopted":
                return
            # Killed under the lock: whoever finds it "stopped" (another thread, on the way out)
            # knows the signal has been sent, and os._exit cannot come between.
            killed_here = entry["state"] != "stopped"
            if killed_here:
                entry["state"] = "stopped"
                try:
                    # Its session's process group: a kernelspec's wrapper (bash -c, conda run) and the kernel.
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    try:
                        proc.kill()
                    except OSError:
                        pass
        if wait:
            try:
                proc.wait(5)
            except Exception:
                pass
        elif killed_here:
            threading.Thread(target=proc.wait, daemon=True).start()

    def stop_all(self) -> None:
        """On the way out: every early kernel not adopted is gone (and reaped) when it returns."""
        with self.lock:
            self.closing = True
        for entry in list(self.started):
            self.stop(entry, wait=True)

    def read_requests(self, lines: Any, adopt: bool) -> None:
        """One JSON request a line until the end of ``lines``: ``{"kernel_name", "cwd"}`` starts a
        kernel early; ``{"fork", "preload"}`` says how the run's kernels start (forking.py)."""
        for line in lines:
            try:
                request = json.loads(line)
                if "kernel_name" not in request:
                    forking.configure(fork=request.get("fork"), preload=request.get("preload"))
                    continue
                if not adopt:
                    continue
                self.launch(str(request["kernel_name"]), str(request["cwd"]))
            except Exception as e:
                log(f"could not pre-start a kernel for {line.strip()}: {e!r}")


_active = EarlyKernels()


def stop_all() -> None:
    """Stops the early kernels the server has not adopted (none when prelaunch never started)."""
    _active.stop_all()


def start() -> Optional[Callable[[], None]]:
    """Reads requests from stdin from now on; returns ``install`` (to call once jupyter_client
    can be imported), or None when this jupyter_client cannot adopt kernels."""
    import atexit

    # Here, not in the reader thread: no import runs in two threads at once.
    import jupyter_core.paths  # noqa: F401

    adopt = can_adopt()

    def read_stdin() -> None:
        _active.read_requests(sys.stdin, adopt)
        # End of stdin: flow exited, or gave this server up, without stopping it. Stop: Jupyter's
        # own SIGTERM handler stops its kernels; before it is installed, the one below exits.
        _active.stop_all()
        forking.stop_all()
        os.kill(os.getpid(), signal.SIGTERM)

    def on_sigterm(signum: int, frame: Any) -> None:
        # Until jupyter_server installs its own handler: no early kernel, and no fork server,
        # outlives this process.
        _active.stop_all()
        forking.stop_all()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    atexit.register(_active.stop_all)
    atexit.register(forking.stop_all)
    threading.Thread(target=read_stdin, daemon=True, name="flow-prelaunch").start()
    return (lambda: install(_active)) if adopt else None


def install(early: EarlyKernels) -> None:
    """Makes the server adopt early kernels: patches jupyter_client's LocalProvisioner."""
    import asyncio
    import pathlib

    original_pre_launch = patches.PRE_LAUNCH.resolve()
    original_launch_kernel = patches.LAUNCH_KERNEL.resolve()
    scrub_kwargs = patches.SCRUB_KWARGS.resolve()

    async def pre_launch(self, **kwargs):
        km = self.parent
        entry = None
        # A first launch only: a restart keeps the ports and key the manager has.
        fresh = km is not None and not any(getattr(km, name, 0) for name in PORT_NAMES)
        if fresh and kwargs.get("cwd") and getattr(km, "transport", "tcp") == "tcp":
            entry = early.take(km.kernel_name, kwargs["cwd"])
        if entry is not None:
            # The kernel listens on these ports with this key: the server's connection file says so too.
            km.load_connection_info(entry["info"])
            self.ports_cached = True
        self._flow_early = entry
        return await original_pre_launch(self, **kwargs)

    async def launch_kernel(self, cmd, **kwargs):
        entry = getattr(self, "_flow_early", None)
        self._flow_early = None
        if entry is not None:
            km = self.parent
            expected = [os.path.expanduser(a) for a in cmd]
            ours = [a.replace(entry["connection_file"], km.connection_file) for a in entry["cmd"]]
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())
            same = (
                ours == expected
                and env == entry["env"]
                and os.path.normpath(str(kwargs.get("cwd") or os.getcwd())) == entry["cwd"]
                and set(scrub_kwargs(kwargs)) <= {"env", "cwd"}
                and getattr(km, "curve_publickey", None) is None
                and entry["proc"].poll() is None
            )
            if same:
                with early.lock:
                    # Not stopped meanwhile (its minute is up, or the server is stopping).
                    same = entry["state"] == "taken"
                    if same:
                        entry["state"] = "adopted"
            if same:
                self.process = entry["proc"]
                self.pid = self.process.pid
                try:
                    self.pgid = os.getpgid(self.pid)
                except OSError:
                    self.pgid = None
                self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
                log(f"adopted the kernel started early (pid {self.pid})")
                return self.connection_info
            differs = [
                k for k, ok in (("command", ours == expected), ("environment", env == entry["env"])) if not ok
            ]
            what = ", ".join(differs) or "launch options"
            log(f"not adopting the kernel started early ({what} differ); launching anew")
            early.stop(entry)
        forked = await fork_kernel(self, cmd, kwargs)
        if forked is not None:
            return forked
        return await original_launch_kernel(self, cmd, **kwargs)

    async def fork_kernel(self, cmd, kwargs):
        """The kernel forked by the fork server (forking.py) when it can stand in for ``cmd``, with
        the provisioner's records as launch_kernel would leave them; None: launch it."""
        km = self.parent
        if (
            not forking.enabled
            or set(scrub_kwargs(kwargs)) - {"env", "cwd"}
            or getattr(km, "curve_publickey", None) is not None
        ):
            return None
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())
        cwd = str(kwargs.get("cwd") or os.getcwd())
        argv = [os.path.expanduser(a) for a in cmd]
        loop = asyncio.get_running_loop()
        # Off the event loop: the first fork waits for the fork server's imports.
        proc = await loop.run_in_executor(None, forking.spawn, argv, env, cwd)
        if proc is None:
            return None
        self.process = proc
        self.pid = proc.pid
        self.pgid = proc.pid  # the child starts a session of its own
        self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
        log(f"forked kernel {km.kernel_name if km else ''} (pid {proc.pid})")
        return self.connection_info

    patches.PRE_LAUNCH.replace(pre_launch)
    patches.LAUNCH_KERNEL.replace(launch_kernel)

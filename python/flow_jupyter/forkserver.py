"""A kernel fork server: one process that has imported ipykernel (and the modules a workflow
preloads) forks a fresh kernel for each node, instead of a new interpreter importing it all again.

Run as ``PYTHON …/flow_jupyter/forkserver.py`` by the Jupyter server (see forking.py), with the
interpreter of the kernels it makes: it imports nothing of flow's. Requests come one JSON object a
line on one pipe, answers go back the same way on another (their fds in FLOW_FORK_FDS); stdout
and stderr are the server's, which the kernels inherit as launched kernels do.

- ``{"op": "preload", "modules": [...]}`` imports them, one by one, and answers
  ``{"ok": [...], "failed": {name: why}, "unsafe": {name: why}, "tainted": bool}``. A module known
  to start threads (KNOWN_UNSAFE) is not imported. One that leaves a thread running after its
  import taints the process: forking a process with threads is unsafe (a lock one of them held
  stays held in the child), so it refuses to fork from then on, and the server starts another
  without that module (forking.py).
- ``{"op": "fork", "argv": [...], "env": {...}, "cwd": "..."}`` forks a kernel: the child starts a
  session of its own, takes the environment, folder, sys.argv and sys.path a launched
  ``python -m ipykernel_launcher`` would have, opens its own sockets (none exist in this process:
  no ZMQ context, socket or thread crosses the fork) and runs ipykernel. Answers ``{"pid": N}``.
- ``{"op": "exit", "pid": N}`` answers the exit status of a child that has ended, or null.

The children are this process's: it reaps them (SIGCHLD) and keeps their exit statuses.
When the requests pipe ends (the server is gone), it exits; its children are sessions of their own, which the
server stops as it stops any kernel.
"""

import itertools
import json
import os
import signal
import sys
import threading

# The two pipe ends it was given, named by FLOW_FORK_FDS ("REQUESTS,ANSWERS"); set in main().
REQUESTS_FD = -1
ANSWERS_FD = -1

# What a kernel imports before its first cell (ipykernel 7, IPython 9: sys.modules of a launched
# kernel, less the fork server's): the first four are required, the rest save a child ≈0.1 s.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel_launcher",
    "IPython",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "debugpy",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "pdb",
    "pydoc",
    "gzip",
    "mimetypes",
    "unicodedata",
    "runpy",
    "faulthandler",
    "tornado.platform.asyncio",
    "tornado.queues",
    "tornado.locks",
)

# Modules that start threads or hold OS resources at import, and may not be preloaded.
KNOWN_UNSAFE = {
    "torch": "it starts threads at import (its thread pools)",
    "tensorflow": "it starts threads at import",
    "grpc": "it starts threads at import (gRPC's event engine)",
    "ray": "it connects to a cluster at import",
    "jax": "it starts threads at import",
}

exits: dict = {}


def reap(signum=None, frame=None) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exits[pid] = os.waitstatus_to_exitcode(status)


def preload(modules: list) -> dict:
    """Imports each module. ``tainted``: one of them left threads running, and this process may
    not fork any more (the server starts another without it)."""
    import importlib

    ok, failed, unsafe = [], {}, {}
    tainted = False
    for name in modules:
        top = name.split(".")[0]
        if top in KNOWN_UNSAFE:
            unsafe[name] = KNOWN_UNSAFE[top]
            continue
        try:
            importlib.import_module(name)
        except BaseException as e:  # noqa: BLE001 - a preload must never end the fork server
            failed[name] = f"{type(e).__name__}: {e}"
            continue
        python_threads = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        if python_threads:
            unsafe[name] = f"it left threads running after its import ({', '.join(python_threads)})"
            tainted = True
            break
        # A native pool (OpenBLAS's) is no matter: such libraries start their threads again in
        # a forked child (pthread_atfork).
        ok.append(name)
    return {"ok": ok, "failed": failed, "unsafe": unsafe, "tainted": tainted}


def child(request: dict, base_path: list) -> None:
    """In the forked child: become the kernel ``python -m ipykernel_launcher -f FILE`` would be."""
    os.setsid()
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.close(REQUESTS_FD)
    os.close(ANSWERS_FD)
    # stdin: a closed pipe, as jupyter_client's launcher gives a kernel.
    read, write = os.pipe()
    os.close(write)
    os.dup2(read, 0)
    os.close(read)
    cwd = request["cwd"]
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(request["env"])
    # What the imports done here set in their process's environment, a launched kernel's set too.
    os.environ.update({k: v for k, v in IMPORTED_ENV.items() if k not in request["env"]})
    # Thread names count from where a launched kernel's do (an import here may have made one).
    if hasattr(threading, "_counter"):  # CPython's, private: a later version may not have it
        threading._counter = itertools.count(1).__next__
    argv = request["argv"]
    # `python -m ipykernel_launcher` puts the folder it starts in first on sys.path, and the
    # launcher takes it off again: what is left is this process's own, less its script's folder.
    sys.path[:] = base_path
    import ipykernel_launcher  # noqa: F401 - what -m would have run; its body only runs as __main__

    sys.argv = [ipykernel_launcher.__file__, *argv[3:]]
    # Fresh randomness: `random` reseeds itself after a fork; numpy's global generator does not.
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()
    from ipykernel import kernelapp

    # Read from the environment when ipykernel was imported (here, before this kernel's was set):
    # the parent to watch, as a launched kernel's poller does.
    parent = int(os.environ.get("JPY_PARENT_PID") or 0)
    kernelapp.IPKernelApp.launch_instance(**({"parent_handle": parent} if parent else {}))


# Variables the imports of main() added to the environment (debugpy sets PYDEVD_USE_FRAME_EVAL).
IMPORTED_ENV: dict = {}


def main() -> None:
    global REQUESTS_FD, ANSWERS_FD
    REQUESTS_FD, ANSWERS_FD = (int(fd) for fd in os.environ.pop("FLOW_FORK_FDS").split(","))
    base_path = list(sys.path[1:])
    # Everything a launched kernel has imported by its first cell, imported once here.
    import importlib

    before = dict(os.environ)
    for name in KERNEL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # another version of ipykernel: it imports it itself
    IMPORTED_ENV.update({k: v for k, v in os.environ.items() if before.get(k) != v})

    signal.signal(signal.SIGCHLD, reap)
    state = {"unsafe": None}
    requests = os.fdopen(REQUESTS_FD, "r", buffering=1)
    answers = os.fdopen(ANSWERS_FD, "w", buffering=1)

    def answer(value: dict) -> None:
        try:
            answers.write(json.dumps(value) + "\n")
            answers.flush()
        except (BrokenPipeError, ValueError):
            os._exit(0)  # the server is gone: so is this

    python_threads = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    answer({"ready": True, "pid": os.getpid(), "unsafe": ", ".join(python_threads) or None})
    if python_threads:
        state["unsafe"] = f"ipykernel left threads running after its import ({', '.join(python_threads)})"
    for line in requests:
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "preload":
                result = preload(list(request.get("modules") or []))
                if result["tainted"]:
                    state["unsafe"] = "a preloaded module left threads running"
                answer(result)
            elif op == "fork":
                if state["unsafe"]:
                    answer({"error": state["unsafe"]})
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    code = 0
                    try:
                        child(request, base_path)
                    except SystemExit as e:
                        code = e.code if isinstance(e.code, int) else 1
                    except BaseException:  # noqa: BLE001
                        import traceback

                        traceback.print_exc()
                        code = 1
                    finally:
                        os._exit(code)
                answer({"pid": pid})
            elif op == "exit":
                reap()
                answer({"code": exits.get(int(request["pid"]))})
            else:
                answer({"error": f"unknown request {op!r}"})
        except Exception as e:  # noqa: BLE001 - answer, never die
            answer({"error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()

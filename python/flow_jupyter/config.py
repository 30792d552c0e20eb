"""The config file flow hands to ``jupyter server --config=…/flow_jupyter/config.py``.

Jupyter Server runs it with ``get_config`` in its namespace; imported as a module (the tests) it
only defines ``configure``. It patches the server (patches.py), starts a watchdog that stops the
server when flow dies without stopping it (SIGKILL), and sets what flow needs of the server.
"""

import os
import signal
import sys
import threading
import time

# Run by `jupyter server` itself (flow's fallback when the fast path fails), nothing has put this
# package on sys.path: after the server's own entries, so that it shadows nothing.
_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PARENT not in sys.path:
    sys.path.append(_PARENT)

from flow_jupyter import forking, patches, prelaunch  # noqa: E402


def watchdog(parent: int) -> None:
    """When flow is killed hard the server is re-parented: it then sends itself SIGTERM, which
    makes Jupyter Server shut its kernels down cleanly."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
            os._exit(1)


def disabled_extensions() -> dict:
    """flow uses the kernels API only; server extensions (jupyterlab, terminals, …) cost start
    time and memory. Explicit entries in ServerApp.jpserver_extensions win over those on disk."""
    try:
        from jupyter_core.paths import jupyter_config_path
        from jupyter_server.extension.config import ExtensionConfigManager

        manager = ExtensionConfigManager(read_config_path=[*jupyter_config_path(), os.getcwd()])
        return {name: False for name in manager.get_jpserver_extensions()}
    except Exception:
        return {}


def server_major() -> int:
    import jupyter_server

    return int(jupyter_server.__version__.split(".")[0])


def configure(c) -> None:
    """Patches the server and fills in ``c``, the server's config."""
    patches.patch_nodelay()
    # Kernels started early that the server never adopted go too (see prelaunch.py).
    patches.patch_fast_exit(before_exit=lambda: (prelaunch.stop_all(), forking.stop_all()))
    patches.patch_shutdown_poll()

    # Watch the parent we started under (flow, or whatever launched jupyter for it).
    parent = os.getppid()
    if os.environ.get("FLOW_WATCHDOG") == "1" and parent > 1:
        threading.Thread(target=watchdog, args=(parent,), daemon=True, name="flow-watchdog").start()

    c.ServerApp.jpserver_extensions = disabled_extensions()
    # Kernels outlive no websocket: flow shuts every kernel down itself; culling idle ones is not its job.
    c.ServerApp.open_browser = False
    c.ServerApp.log_level = "WARN"
    # Notice a dead kernel within about a second (jupyter_client polls every time_to_dead seconds; default 3).
    c.KernelRestarter.time_to_dead = 1.0
    # flow must get a kernel's output whole: Jupyter Server's iopub rate limit (1 MB/s, 1000 msg/s)
    # drops output and sends "IOPub data rate exceeded" instead (papermill talks to kernels directly).
    major = server_major()
    if major >= 2:
        c.ZMQChannelsWebsocketConnection.limit_rate = False
    else:
        c.ServerApp.iopub_data_rate_limit = 0.0
        c.ServerApp.iopub_msg_rate_limit = 0.0

    # The token came in by environment (never on a command line). Take it out of the environment
    # before any kernel starts: kernels inherit the server's environment, and a notebook printing
    # os.environ would otherwise write the token into its executed notebook.
    token = os.environ.pop("JUPYTER_TOKEN", None)
    if token is not None:
        if major >= 2:
            c.IdentityProvider.token = token
        else:
            c.ServerApp.token = token


if "get_config" in globals():
    configure(globals()["get_config"]())

// The Python config file handed to `jupyter server --config`: TCP_NODELAY on kernel websockets,
// and a watchdog that stops the server when flow dies without stopping it (SIGKILL).

/**
 * Jupyter Server never sets TCP_NODELAY on the kernel websocket, so every small message waits
 * on a delayed ACK (~40 ms a cell, measured). The handler class moved between majors:
 * 1.x `jupyter_server.services.kernels.handlers.ZMQChannelsHandler`, 2.x
 * `jupyter_server.services.kernels.websocket.KernelWebsocketHandler`; patch whichever exists.
 *
 * The watchdog polls the parent pid: when flow is killed hard the server is re-parented, and
 * it then sends itself SIGTERM, which makes Jupyter Server shut its kernels down cleanly.
 */
export const SERVER_CONFIG_PY = `# Written by flow for its embedded Jupyter server. Safe to delete.
import inspect, os, signal, sys, threading, time

def _flow_patch_nodelay():
    targets = []
    try:
        from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
        targets.append(KernelWebsocketHandler)
    except Exception:
        pass
    try:
        from jupyter_server.services.kernels.handlers import ZMQChannelsHandler
        targets.append(ZMQChannelsHandler)
    except Exception:
        pass
    for cls in targets:
        original = cls.open
        if getattr(original, "_flow_nodelay", False):
            continue
        def open(self, *args, _original=original, **kwargs):
            try:
                self.set_nodelay(True)
            except Exception:
                pass
            return _original(self, *args, **kwargs)
        open._flow_nodelay = True
        cls.open = open

_flow_patch_nodelay()

def _flow_patch_fast_exit():
    # POST /api/shutdown answers once every kernel is stopped; the interpreter's own teardown
    # after that took ≈0.1 s (measured), which flow waited for on every run. Exit once the
    # answer is sent: nothing of the server's is left to clean up by then.
    try:
        from jupyter_server.services.shutdown import ShutdownHandler
    except Exception:
        return
    original = ShutdownHandler.post
    if getattr(original, "_flow_fast_exit", False):
        return
    async def post(self, *args, _original=original, **kwargs):
        result = _original(self, *args, **kwargs)
        if inspect.isawaitable(result):  # a plain method in the earliest 1.x releases
            await result
        try:
            await self.finish()
        finally:
            # Kernels started early that the server never adopted (see the bootstrap).
            early = sys.modules.get("_flow_prelaunch")
            if early is not None:
                early.stop_all()
            os._exit(0)
    # Authenticated as the original is (which checks again): the server warns about any
    # handler method it cannot see an authentication decorator on.
    from tornado import web
    post = web.authenticated(post)
    post._flow_fast_exit = True
    ShutdownHandler.post = post

_flow_patch_fast_exit()

def _flow_patch_shutdown_poll():
    # jupyter_client waits for a stopping kernel's process in steps of 100 ms, and a kernel is
    # gone ≈20-50 ms after its shutdown request (measured): every kernel stop, and the end of
    # every run, waited out most of a step. Poll every 10 ms (a waitpid each).
    try:
        from jupyter_client.manager import KernelManager
    except Exception:
        return
    original = getattr(KernelManager, "_async_wait", None)
    if original is None or getattr(original, "_flow_poll", False):
        return
    async def _async_wait(self, pollinterval=0.1, _original=original):
        return await _original(self, pollinterval=min(pollinterval, 0.01))
    _async_wait._flow_poll = True
    KernelManager._async_wait = _async_wait

_flow_patch_shutdown_poll()

def _flow_watchdog(parent):
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
            os._exit(1)

# Watch the parent we started under (flow, or whatever launched jupyter for it).
_flow_parent = os.getppid()
if os.environ.get("FLOW_WATCHDOG") == "1" and _flow_parent > 1:
    threading.Thread(target=_flow_watchdog, args=(_flow_parent,), daemon=True, name="flow-watchdog").start()

c = get_config()  # noqa: F821

def _flow_disabled_extensions():
    # flow uses the kernels API only; server extensions (JupyterLab, terminals, …) cost start time
    # and memory. Explicit entries in ServerApp.jpserver_extensions win over the ones found on disk.
    try:
        from jupyter_core.paths import jupyter_config_path
        from jupyter_server.extension.config import ExtensionConfigManager
        found = ExtensionConfigManager(read_config_path=[*jupyter_config_path(), os.getcwd()]).get_jpserver_extensions()
        return {name: False for name in found}
    except Exception:
        return {}

c.ServerApp.jpserver_extensions = _flow_disabled_extensions()
# Kernels outlive no websocket: flow shuts every kernel down itself; culling idle ones is not its job.
c.ServerApp.open_browser = False
c.ServerApp.log_level = "WARN"
# Notice a dead kernel within about a second (jupyter_client polls every time_to_dead seconds; default 3).
c.KernelRestarter.time_to_dead = 1.0
# flow must get a kernel's output whole: Jupyter Server's iopub rate limit (1 MB/s, 1000 msg/s)
# drops output and sends "IOPub data rate exceeded" instead (papermill talks to kernels directly).
import jupyter_server as _flow_js
if int(_flow_js.__version__.split(".")[0]) >= 2:
    c.ZMQChannelsWebsocketConnection.limit_rate = False
else:
    c.ServerApp.iopub_data_rate_limit = 0.0
    c.ServerApp.iopub_msg_rate_limit = 0.0

# The token came in by environment (never on a command line). Take it out of the environment
# before any kernel starts: kernels inherit the server's environment, and a notebook printing
# os.environ would otherwise write the token into its executed notebook.
_flow_token = os.environ.pop("JUPYTER_TOKEN", None)
if _flow_token is not None:
    if int(_flow_js.__version__.split(".")[0]) >= 2:
        c.IdentityProvider.token = _flow_token
    else:
        c.ServerApp.token = _flow_token
`;

"""Every private or patched name of jupyter_client and jupyter_server flow relies on, and the patches.

An upgrade of either can move these; ``tests/test_patches.py`` fails, naming the attribute, when
one of ``PRIVATE_NAMES`` is gone from the installed versions. At run time a missing name only
disables that patch (flow is then slower, never wrong).
"""

from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass
from typing import Any, Callable, Optional


@dataclass(frozen=True)
class PrivateName:
    """One attribute of Jupyter's that flow patches or calls though it is not public API."""

    module: str
    attribute: str
    """Dotted path inside ``module``, e.g. ``LocalProvisioner._scrub_kwargs``."""
    why: str
    package: str
    """The distribution it belongs to, whose major version ``majors`` selects on."""
    majors: Optional[tuple] = None
    """Major versions of ``package`` that have it (``None``: every version flow supports)."""

    @property
    def name(self) -> str:
        return f"{self.module}.{self.attribute}"

    def applies(self, major: int) -> bool:
        return self.majors is None or major in self.majors

    def owner(self) -> Any:
        """The class (or module) holding the attribute; raises when it is gone."""
        obj: Any = importlib.import_module(self.module)
        for part in self.attribute.split(".")[:-1]:
            obj = getattr(obj, part)
        return obj

    def resolve(self) -> Any:
        """The attribute itself; raises ImportError or AttributeError when it is gone."""
        return getattr(self.owner(), self.attribute.rsplit(".", 1)[-1])

    def find(self) -> Any:
        """The attribute, or None when it (or its module) is gone."""
        try:
            return self.resolve()
        except (ImportError, AttributeError):
            return None

    def replace(self, value: Any) -> None:
        setattr(self.owner(), self.attribute.rsplit(".", 1)[-1], value)


_PROVISIONER = "jupyter_client.provisioning.local_provisioner"

SCRUB_KWARGS = PrivateName(
    _PROVISIONER,
    "LocalProvisioner._scrub_kwargs",
    "prelaunch: the launch options an adopted kernel must not have been asked for",
    "jupyter_client",
)
PRE_LAUNCH = PrivateName(
    _PROVISIONER,
    "LocalProvisioner.pre_launch",
    "prelaunch (patched): hands an early kernel's ports and key to its kernel manager",
    "jupyter_client",
)
LAUNCH_KERNEL = PrivateName(
    _PROVISIONER,
    "LocalProvisioner.launch_kernel",
    "prelaunch (patched): adopts the early kernel instead of launching one",
    "jupyter_client",
)
PORTS_CACHED = PrivateName(
    _PROVISIONER,
    "LocalProvisioner.ports_cached",
    "prelaunch: set on adoption, as the provisioner's own port cache does",
    "jupyter_client",
)
PGID = PrivateName(
    _PROVISIONER,
    "LocalProvisioner.pgid",
    "prelaunch: set on adoption, so that the server signals the kernel's process group",
    "jupyter_client",
)
ASYNC_WAIT = PrivateName(
    "jupyter_client.manager",
    "KernelManager._async_wait",
    "shutdown poll (patched): waits for a stopping kernel in 10 ms steps, not 100 ms",
    "jupyter_client",
)
SHUTDOWN_POST = PrivateName(
    "jupyter_server.services.shutdown",
    "ShutdownHandler.post",
    "fast exit (patched): the server exits once POST /api/shutdown has answered",
    "jupyter_server",
)
WEBSOCKET_OPEN = PrivateName(
    "jupyter_server.services.kernels.websocket",
    "KernelWebsocketHandler.open",
    "TCP_NODELAY (patched) on kernel websockets, Jupyter Server 2",
    "jupyter_server",
    majors=(2,),
)
WEBSOCKET_OPEN_1X = PrivateName(
    "jupyter_server.services.kernels.handlers",
    "ZMQChannelsHandler.open",
    "TCP_NODELAY (patched) on kernel websockets, Jupyter Server 1.x",
    "jupyter_server",
    majors=(1,),
)

PRIVATE_NAMES = (
    SCRUB_KWARGS,
    PRE_LAUNCH,
    LAUNCH_KERNEL,
    PORTS_CACHED,
    PGID,
    ASYNC_WAIT,
    SHUTDOWN_POST,
    WEBSOCKET_OPEN,
    WEBSOCKET_OPEN_1X,
)
"""Everything of Jupyter's flow patches or reaches into: the one list to check after an upgrade."""

_MARK = "_flow_patched"


def is_patched(fn: Any) -> bool:
    return getattr(fn, _MARK, False)


def _mark(fn: Callable) -> Callable:
    setattr(fn, _MARK, True)
    return fn


def patch_nodelay() -> list:
    """Jupyter Server never sets TCP_NODELAY on the kernel websocket, so every small message
    waits on a delayed ACK (~40 ms a cell, measured). The handler class moved between majors:
    patch whichever exists. Returns the names patched."""
    patched = []
    for target in (WEBSOCKET_OPEN, WEBSOCKET_OPEN_1X):
        original = target.find()
        if original is None or is_patched(original):
            continue

        def open(self, *args, _original=original, **kwargs):
            try:
                self.set_nodelay(True)
            except Exception:
                pass
            return _original(self, *args, **kwargs)

        target.replace(_mark(open))
        patched.append(target.name)
    return patched


def patch_fast_exit(before_exit: Callable[[], None], exit: Callable[[int], Any] = os._exit) -> bool:
    """POST /api/shutdown answers once every kernel is stopped; the interpreter's own teardown
    after that took ≈0.1 s (measured), which flow waited for on every run. Exit once the answer is
    sent: nothing of the server's is left to clean up by then. ``before_exit`` runs first (it stops
    kernels started early that the server never adopted)."""
    original = SHUTDOWN_POST.find()
    if original is None or is_patched(original):
        return False

    async def post(self, *args, _original=original, **kwargs):
        result = _original(self, *args, **kwargs)
        if inspect.isawaitable(result):  # a plain method in the earliest 1.x releases
            await result
        try:
            await self.finish()
        finally:
            before_exit()
            exit(0)

    # Authenticated as the original is (which checks again): the server warns about any handler
    # method it cannot see an authentication decorator on.
    from tornado import web

    SHUTDOWN_POST.replace(_mark(web.authenticated(post)))
    return True


def patch_shutdown_poll() -> bool:
    """jupyter_client waits for a stopping kernel's process in steps of 100 ms, and a kernel is
    gone ≈20-50 ms after its shutdown request (measured): every kernel stop, and the end of every
    run, waited out most of a step. Poll every 10 ms (a waitpid each)."""
    original = ASYNC_WAIT.find()
    if original is None or is_patched(original):
        return False

    async def _async_wait(self, pollinterval=0.1, _original=original):
        return await _original(self, pollinterval=min(pollinterval, 0.01))

    ASYNC_WAIT.replace(_mark(_async_wait))
    return True

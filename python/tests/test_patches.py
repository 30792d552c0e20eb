"""The private Jupyter names flow patches still exist, and each patch does what it says."""

import asyncio
import importlib.metadata

import pytest

from flow_jupyter import patches


def installed_major(package: str) -> int:
    return int(importlib.metadata.version(package).split(".")[0])


def applicable():
    return [p for p in patches.PRIVATE_NAMES if p.applies(installed_major(p.package))]


@pytest.mark.parametrize("private", applicable(), ids=lambda p: p.name)
def test_private_name_still_exists(private):
    try:
        private.resolve()
    except (ImportError, AttributeError) as error:
        version = importlib.metadata.version(private.package)
        pytest.fail(
            f"{private.name} is gone from {private.package} {version} ({error}); "
            f"flow uses it for {private.why}: update python/flow_jupyter/patches.py",
            pytrace=False,
        )


def test_every_package_flow_patches_is_covered():
    # A name for the installed major of each package, so that the test above checks something.
    assert {p.package for p in applicable()} == {"jupyter_client", "jupyter_server"}


def test_a_missing_name_is_found_missing():
    gone = patches.PrivateName("jupyter_client.manager", "KernelManager._no_such", "test", "jupyter_client")
    assert gone.find() is None
    with pytest.raises(AttributeError):
        gone.resolve()


@pytest.fixture
def restore():
    saved = [(p, p.find()) for p in patches.PRIVATE_NAMES]
    yield
    for p, original in saved:
        if original is not None:
            p.replace(original)


def test_nodelay_patch_sets_nodelay_and_is_idempotent(restore):
    calls = []

    def original(self, *args, **kwargs):
        calls.append("open")

    patches.WEBSOCKET_OPEN.replace(original)
    assert patches.patch_nodelay() == [patches.WEBSOCKET_OPEN.name]
    assert patches.patch_nodelay() == []

    class Handler:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    patches.WEBSOCKET_OPEN.resolve()(Handler())
    assert calls == [("nodelay", True), "open"]


def test_shutdown_poll_polls_every_10ms(restore):
    seen = []

    async def original(self, pollinterval=0.1):
        seen.append(pollinterval)

    patches.ASYNC_WAIT.replace(original)
    assert patches.patch_shutdown_poll()
    assert not patches.patch_shutdown_poll()
    asyncio.run(patches.ASYNC_WAIT.resolve()(object()))
    assert seen == [0.01]


def test_fast_exit_finishes_then_stops_early_kernels_then_exits(restore):
    events = []

    async def original(self):
        events.append("shutdown")

    patches.SHUTDOWN_POST.replace(original)
    assert patches.patch_fast_exit(before_exit=lambda: events.append("stop early"), exit=events.append)
    post = patches.SHUTDOWN_POST.resolve()
    assert patches.is_patched(post)

    class Handler:
        current_user = "flow"  # what tornado's authenticated decorator checks

        async def finish(self):
            events.append("finish")

    asyncio.run(post(Handler()))
    assert events == ["shutdown", "finish", "stop early", 0]

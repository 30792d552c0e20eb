"""The floor flow is measured against: bare kernels driven by jupyter_client, no server, no notebook.

  python kernel-floor.py sleep8      # 8 kernels started at once, each runs time.sleep(2), then shut down
  python kernel-floor.py sleep6      # the same with 6
  python kernel-floor.py rtt [N]     # one kernel: median round trip of N trivial cells, as nbclient waits
                                     # for them (shell reply and iopub idle), in milliseconds

Prints one JSON object.
"""
import asyncio
import contextlib
import json
import statistics
import sys
import time

from jupyter_client.manager import AsyncKernelManager


@contextlib.asynccontextmanager
async def kernel():
    """A started python3 kernel's client, ready; the kernel is shut down afterwards."""
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        yield kc
    finally:
        kc.stop_channels()
        await km.shutdown_kernel()


async def run_one(code):
    async with kernel() as kc:
        await execute(kc, code)


async def execute(kc, code):
    msg_id = kc.execute(code)
    reply = None
    idle = False
    while reply is None:
        msg = await kc.get_shell_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    while not idle:
        msg = await kc.get_iopub_msg(timeout=60)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            idle = True
    return reply


async def sleep_n(n):
    t = time.perf_counter()
    await asyncio.gather(*(run_one("import time\ntime.sleep(2)") for _ in range(n)))
    return {"seconds": time.perf_counter() - t}


async def rtt(n):
    async with kernel() as kc:
        for _ in range(10):  # warm up
            await execute(kc, "pass")
        times = []
        for i in range(n):
            t = time.perf_counter()
            await execute(kc, f"v{i} = {i}")
            times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": statistics.median(times), "mean_ms": statistics.fmean(times)}


if __name__ == "__main__":
    what = sys.argv[1]
    if what.startswith("sleep"):
        out = asyncio.run(sleep_n(int(what[len("sleep"):])))
    elif what == "rtt":
        out = asyncio.run(rtt(int(sys.argv[2]) if len(sys.argv) > 2 else 100))
    else:
        sys.exit(f"unknown mode {what}")
    print(json.dumps(out))

"""Kernel ready time: from the request for a kernel to its first kernel_info reply, for a kernel
forked by flow's fork server and for one launched as jupyter_client launches it, interleaved.

  python kernel-ready.py [N]      # N of each (default 10); prints one JSON object

Both kernels run `python -m ipykernel_launcher -f FILE` with the same connection file shape; the
fork server (python/flow_jupyter/forkserver.py, through forking.py) is started, and has imported
ipykernel, before the first measure, as the embedded server starts it before the first kernel.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from jupyter_client import BlockingKernelClient  # noqa: E402
from jupyter_client.connect import write_connection_file  # noqa: E402

from flow_jupyter import forking  # noqa: E402


def ready_seconds(runtime: str, fork: bool) -> float:
    connection_file = os.path.join(runtime, f"kernel-{uuid.uuid4()}.json")
    write_connection_file(connection_file, ip="127.0.0.1")
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file]
    env = dict(os.environ)
    started = time.perf_counter()
    if fork:
        proc = forking.spawn(argv, env, runtime)
        if proc is None:
            raise SystemExit("the fork server did not fork a kernel")
    else:
        proc = subprocess.Popen(argv, cwd=runtime, env=env, stdin=subprocess.PIPE, start_new_session=True)
    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    client.start_channels()
    try:
        client.kernel_info()
        client.get_shell_msg(timeout=60)
        return time.perf_counter() - started
    finally:
        # The shutdown request is sent before the channels close (closed at once, it is lost).
        client.shutdown()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        client.stop_channels()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    forking.start()
    runtime = tempfile.mkdtemp(prefix="flow-bench-ready-")
    # The fork server's own start is not a kernel's: wait until it has imported ipykernel.
    ready_seconds(runtime, fork=True)
    forked, launched = [], []
    for i in range(n):
        for fork in ([True, False] if i % 2 == 0 else [False, True]):
            (forked if fork else launched).append(ready_seconds(runtime, fork))
    forking.stop_all()
    print(
        json.dumps(
            {
                "fork_ms": statistics.median(forked) * 1000,
                "launch_ms": statistics.median(launched) * 1000,
                "fork_samples_ms": [round(s * 1000, 1) for s in forked],
                "launch_samples_ms": [round(s * 1000, 1) for s in launched],
            }
        )
    )


if __name__ == "__main__":
    main()

"""The kernel fork server (forkserver.py) and its client (forking.py), with real processes: which
commands are forked, and kernels forked for them that run, are interrupted, exit and are reaped as
launched kernels are; preloads that fail, or that leave threads running, and the fork server that
then replaces its process."""

import json
import os
import signal
import sys
import time
import uuid

import pytest
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from flow_jupyter import forking

PYTHON = sys.executable
# A variable the test process does not have: a kernel sees it only from its fork request.
ONLY_IN_REQUEST = "FLOW_TEST_FORK_ONLY_IN_REQUEST"


def kernel_argv(connection_file, launcher="ipykernel_launcher"):
    return [PYTHON, "-m", launcher, "-f", connection_file]


def kernel_env(**extra):
    """What the server gives a kernel (prelaunch.kernel_environment): its own environment, the
    server as the kernel's parent."""
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", ONLY_IN_REQUEST)}
    env["JPY_PARENT_PID"] = str(os.getpid())
    env.update(extra)
    return env


class Kernels:
    """Fork servers and forked kernels a test started, and their clients; all ended at its end."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.servers = []
        self.procs = []
        self.clients = []

    def server(self, preload=()):
        server = forking.ForkServer(PYTHON, list(preload))
        self.servers.append(server)
        return server

    def fork(self, server, name, env=None, launcher="ipykernel_launcher"):
        """A kernel forked by ``server`` in a folder of its own, and a client connected to it."""
        folder = self.tmp_path / name
        folder.mkdir()
        connection_file = str(self.tmp_path / f"{name}.json")
        write_connection_file(connection_file, ip="127.0.0.1", key=uuid.uuid4().hex.encode())
        proc = server.fork(kernel_argv(connection_file, launcher), env or kernel_env(), str(folder))
        self.procs.append(proc)
        assert isinstance(proc, forking.ForkedProcess)
        client = BlockingKernelClient(connection_file=connection_file)
        client.load_connection_file()
        client.start_channels()
        self.clients.append(client)
        client.wait_for_ready(timeout=30)
        return proc, client, folder

    def close(self):
        for client in self.clients:
            try:
                client.stop_channels()
            except Exception:
                pass
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for server in self.servers:
            proc = server.proc
            try:
                server.stop()
            except Exception:
                pass
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture
def kernels(tmp_path):
    k = Kernels(tmp_path)
    try:
        yield k
    finally:
        k.close()


def run(client, code, timeout=20):
    """Runs ``code``; its reply's content and what it printed."""
    printed = []

    def output(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            printed.append(msg["content"]["text"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=output)
    return reply["content"], "".join(printed)


def run_json(client, expression):
    """The value of a JSON-able Python expression in the kernel."""
    content, printed = run(client, f"import json as _j, sys as _s\nprint(_j.dumps({expression}))")
    assert content["status"] == "ok", content
    return json.loads(printed)


def modules_folder(tmp_path, monkeypatch, **modules):
    """Modules written into a folder on PYTHONPATH, which a fork server started from now on sees."""
    folder = tmp_path / "modules"
    folder.mkdir()
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(source)
    path = [str(folder), *([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    return folder


# A module that starts a thread when it is imported.
THREAD_AT_IMPORT = (
    "import threading, time\n"
    "threading.Thread(target=time.sleep, args=(60,), name='flow-test-sleeper', daemon=True).start()\n"
)
IMPORTED = "['fractions' in _s.modules, 'flow_test_threads' in _s.modules]"


def notices(text):
    return [line for line in text.splitlines() if line.startswith("[flow notice] ")]


# forkable()


def test_forkable_takes_a_python_kernelspec_command_only(tmp_path):
    assert forking.forkable([PYTHON, "-m", "ipykernel_launcher", "-f", "/rt/k.json"]) == PYTHON
    assert forking.forkable([PYTHON, "-m", "ipykernel", "-f", "/rt/k.json"]) == PYTHON
    # Extra arguments, or fewer.
    assert forking.forkable([PYTHON, "-m", "ipykernel_launcher", "-f", "/rt/k.json", "--debug"]) is None
    assert forking.forkable([PYTHON, "-m", "ipykernel_launcher", "-f"]) is None
    assert forking.forkable([PYTHON, "-m", "ipykernel_launcher", "--f", "/rt/k.json"]) is None
    # Another launcher, or a script instead of -m.
    assert forking.forkable([PYTHON, "-m", "other_kernel", "-f", "/rt/k.json"]) is None
    assert forking.forkable([PYTHON, "launch.py", "ipykernel_launcher", "-f", "/rt/k.json"]) is None
    # An interpreter named, not found by path; one that is not there; not an executable.
    assert forking.forkable(["python", "-m", "ipykernel_launcher", "-f", "/rt/k.json"]) is None
    missing = str(tmp_path / "no-python")
    assert forking.forkable([missing, "-m", "ipykernel_launcher", "-f", "/rt/k.json"]) is None
    script = tmp_path / "python"
    script.write_text("")
    assert forking.forkable([str(script), "-m", "ipykernel_launcher", "-f", "/rt/k.json"]) is None
    # Not a Python kernel at all.
    assert forking.forkable(["/usr/bin/R", "--slave", "-e", "IRkernel::main()", "--args"]) is None
    assert forking.forkable([]) is None


# A fork server and the kernels it forks (one fork server for several tests: its start is slow).


@pytest.fixture(scope="module")
def plain_server():
    server = forking.ForkServer(PYTHON, [])
    try:
        yield server
    finally:
        proc = server.proc
        server.stop()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()


def test_forked_kernel_is_what_a_launched_kernel_would_be(plain_server, kernels):
    env = kernel_env(**{ONLY_IN_REQUEST: "from-the-request"})
    proc, client, folder = kernels.fork(plain_server, "k", env=env)
    assert proc.pid != plain_server.proc.pid
    info = client.kernel_info(reply=True, timeout=10)
    assert info["content"]["status"] == "ok"
    assert info["content"]["implementation"] == "ipython"

    seen = run_json(
        client,
        "{'cwd': __import__('os').getcwd(), 'pid': __import__('os').getpid(),"
        " 'leads_session': __import__('os').getsid(0) == __import__('os').getpid(),"
        " 'pgid': __import__('os').getpgid(0),"
        f" 'var': __import__('os').environ.get({ONLY_IN_REQUEST!r}), 'argv': _s.argv, 'path': _s.path}}",
    )
    assert os.path.samefile(seen["cwd"], folder)
    assert seen["pid"] == proc.pid
    assert seen["leads_session"] is True
    assert seen["pgid"] == proc.pid
    assert seen["var"] == "from-the-request"
    assert seen["argv"][0].endswith("ipykernel_launcher.py")
    assert seen["argv"][1:3] == ["-f", str(kernels.tmp_path / "k.json")]
    # As in a launched kernel, its folder's modules import ('' on sys.path), and nothing of the
    # fork server's script folder is on sys.path.
    assert "" in seen["path"]
    script_folder = os.path.dirname(os.path.realpath(forking.FORKSERVER))
    assert script_folder not in [os.path.realpath(p) for p in seen["path"] if p]
    (folder / "flow_test_local.py").write_text("VALUE = 'local'\n")
    assert run_json(client, "__import__('flow_test_local').VALUE") == "local"
    # The variable is the request's, not the fork server's.
    assert ONLY_IN_REQUEST not in os.environ

    assert proc.poll() is None
    assert plain_server.exit_code(proc.pid) is None
    client.shutdown()
    code = proc.wait(timeout=15)
    assert isinstance(code, int)
    assert proc.poll() == code and proc.returncode == code
    # The fork server reaped it and keeps its exit status: 0, a kernel that shut down.
    assert wait_for_exit_status(plain_server, proc.pid) == 0


def wait_for_exit_status(server, pid, timeout=10):
    deadline = time.monotonic() + timeout
    while (code := server.exit_code(pid)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return code


def test_a_kernel_that_shut_down_exits_0_however_soon_it_is_polled(plain_server, kernels):
    """A kernel's threads end after its main thread: polled in that moment, it is not gone yet."""
    codes = []
    for n in range(3):
        proc, client, _ = kernels.fork(plain_server, f"exit{n}")
        content, _ = run(
            client,
            "import threading, time\n"
            "for _ in range(300):\n"
            "    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()",
        )
        assert content["status"] == "ok"
        client.shutdown()
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            pass
        codes.append((proc.returncode, wait_for_exit_status(plain_server, proc.pid)))
    assert codes == [(0, 0)] * 3


def test_ipykernel_module_command_is_forked_too(plain_server, kernels):
    proc, client, _ = kernels.fork(plain_server, "m", launcher="ipykernel")
    assert run_json(client, "_s.argv[0]").endswith("ipykernel_launcher.py")
    proc.kill()
    assert proc.wait(timeout=5) == -signal.SIGKILL


def test_sigint_to_the_kernel_group_interrupts_a_cell(plain_server, kernels):
    proc, client, _ = kernels.fork(plain_server, "i")
    msg_id = client.execute("import time\ntime.sleep(30)")
    # Interrupt only once the cell runs.
    deadline = time.monotonic() + 15
    while True:
        msg = client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(0.3)
    sent = time.monotonic()
    # As jupyter_client's LocalProvisioner interrupts a kernel: its process group.
    os.killpg(proc.pid, signal.SIGINT)
    while True:
        reply = client.get_shell_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert time.monotonic() - sent < 5
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    # The kernel lives on.
    assert proc.poll() is None
    assert run_json(client, "6 * 7") == 42

    proc.kill()
    assert proc.wait(timeout=5) == -signal.SIGKILL
    assert proc.poll() is not None


def test_forked_kernels_have_their_own_randomness(kernels):
    server = kernels.server(preload=["numpy", "numpy.random"])
    values = []
    for name in ("r1", "r2"):
        _, client, _ = kernels.fork(server, name)
        # numpy.random came from the fork server, not from the kernel's own import.
        assert run_json(client, "'numpy.random' in _s.modules") is True
        values.append(
            run_json(client, "[__import__('random').random(), float(__import__('numpy').random.random())]")
        )
    assert server.preloaded == ["numpy", "numpy.random"]
    (random1, numpy1), (random2, numpy2) = values
    assert random1 != random2
    assert numpy1 != numpy2


def test_preload_imports_in_the_fork_server_and_reports_a_missing_module(kernels, capsys):
    server = kernels.server(preload=["json", "no_such_module_for_flow_tests", "fractions"])
    pid = server.proc.pid
    _, client, _ = kernels.fork(server, "p")
    err = capsys.readouterr().err
    found = notices(err)
    assert len(found) == 1, err
    assert "no_such_module_for_flow_tests" in found[0]
    assert "ModuleNotFoundError" in found[0]
    assert server.preloaded == ["json", "fractions"]
    assert server.proc.pid == pid
    assert run_json(client, "'fractions' in _s.modules") is True


def test_a_module_that_starts_a_thread_is_not_preloaded_and_the_fork_server_is_replaced(
    kernels, tmp_path, monkeypatch, capsys
):
    modules_folder(
        tmp_path,
        monkeypatch,
        flow_test_threads=THREAD_AT_IMPORT,
    )
    # What a kernel has imported without preloads: fractions is not among them.
    plain = kernels.server()
    _, client, _ = kernels.fork(plain, "plain")
    assert run_json(client, IMPORTED) == [False, False]

    server = kernels.server(preload=["json", "flow_test_threads", "fractions"])
    first = server.proc
    capsys.readouterr()
    proc, client, _ = kernels.fork(server, "replaced")
    err = capsys.readouterr().err
    found = notices(err)
    assert len(found) == 1, err
    assert "flow_test_threads" in found[0] and "flow-test-sleeper" in found[0]
    # Another fork server forked the kernel; the first refuses to fork, and is kept until the
    # server stops (kernels it forked before are its children).
    assert server.proc.pid != first.pid
    assert first.poll() is None
    assert server.proc.poll() is None
    assert "flow_test_threads" in server.unsafe
    assert server.preloaded == ["json", "fractions"]
    assert run_json(client, IMPORTED) == [True, False]
    threads = run_json(client, "[t.name for t in __import__('threading').enumerate()]")
    assert "flow-test-sleeper" not in threads
    # It forks again, without asking for the module again.
    _, again, _ = kernels.fork(server, "again")
    assert run_json(again, "'fractions' in _s.modules") is True
    assert notices(capsys.readouterr().err) == []


def test_a_module_known_to_start_threads_is_not_imported(kernels, tmp_path, monkeypatch, capsys):
    marker = tmp_path / "torch-was-imported"
    modules_folder(tmp_path, monkeypatch, torch=f"open({str(marker)!r}, 'w').close()\n")
    server = kernels.server(preload=["torch", "fractions"])
    pid = server.proc.pid
    capsys.readouterr()
    _, client, _ = kernels.fork(server, "t")
    found = notices(capsys.readouterr().err)
    assert len(found) == 1 and "torch" in found[0] and "threads" in found[0], found
    assert not marker.exists()
    assert server.proc.pid == pid
    assert server.preloaded == ["fractions"]
    assert run_json(client, "['torch' in _s.modules, 'fractions' in _s.modules]") == [False, True]
    # Asked again (the next run's preloads), it is still not imported.
    server.preload(["torch"])
    assert not marker.exists()
    assert server.proc.pid == pid


def test_stop_ends_the_fork_server(kernels):
    server = kernels.server()
    proc, client, _ = kernels.fork(server, "s")
    fork_server = server.proc
    assert fork_server.poll() is None
    started = time.monotonic()
    server.stop()
    assert fork_server.poll() is not None
    # It ended of itself, its requests pipe closed, not killed.
    assert fork_server.returncode == 0
    assert time.monotonic() - started < 1


def test_a_kernel_is_polled_after_its_fork_server_stopped(kernels):
    server = kernels.server()
    proc, client, _ = kernels.fork(server, "after")
    server.stop()
    # A provisioner may still poll, kill and wait for the kernel: it answers, it does not raise.
    proc.kill()
    assert proc.wait(timeout=5) is not None
    assert proc.poll() is not None


def test_kernels_forked_before_the_fork_server_is_replaced_live_on(kernels, tmp_path, monkeypatch):
    modules_folder(
        tmp_path,
        monkeypatch,
        flow_test_threads=THREAD_AT_IMPORT,
    )
    server = kernels.server()
    early, client, _ = kernels.fork(server, "early")
    first = server.proc
    # A run's preloads, asked for after a kernel was forked (configure() after a prelaunch).
    server.preload(["flow_test_threads"])
    assert server.proc.pid != first.pid and first.poll() is None
    # ipykernel's parent poller checks once a second: the kernel is still there after it looked.
    time.sleep(2.5)
    assert early.poll() is None
    assert run_json(client, "6 * 7") == 42
    # Its exit status still comes from the fork server that forked it.
    client.shutdown()
    assert early.wait(timeout=15) == 0
    server.stop()
    assert first.wait(timeout=5) is not None


def test_spawn_forks_forkable_commands_only_and_only_when_enabled(tmp_path, monkeypatch):
    monkeypatch.setattr(forking, "_servers", {})
    monkeypatch.setattr(forking, "_preload", [])
    monkeypatch.setattr(forking, "enabled", True)
    connection_file = str(tmp_path / "k.json")
    write_connection_file(connection_file, ip="127.0.0.1", key=uuid.uuid4().hex.encode())
    cmd = kernel_argv(connection_file)
    proc = None
    try:
        assert forking.spawn([*cmd, "--debug"], kernel_env(), str(tmp_path)) is None
        assert forking._servers == {}
        forking.configure(fork=False)
        assert forking.spawn(cmd, kernel_env(), str(tmp_path)) is None
        assert forking._servers == {}
        forking.configure(fork=True, preload=["fractions"])
        proc = forking.spawn(cmd, kernel_env(), str(tmp_path))
        assert isinstance(proc, forking.ForkedProcess)
        assert list(forking._servers) == [PYTHON]
        assert forking._servers[PYTHON].preloaded == ["fractions"]
        assert proc.poll() is None
    finally:
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        servers = list(forking._servers.values())
        forking.stop_all()
        for server in servers:
            if server.proc is not None and server.proc.poll() is None:
                server.proc.kill()
                server.proc.wait()
    assert forking._servers == {}
    assert all(server.proc.poll() is not None for server in servers)


def test_a_fork_server_that_cannot_start_is_reported_and_refuses(kernels, tmp_path, capsys):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    server = forking.ForkServer(str(broken), [])
    kernels.servers.append(server)
    with pytest.raises(forking.ForkUnavailable):
        server.fork([str(broken), "-m", "ipykernel_launcher", "-f", "/k.json"], kernel_env(), str(tmp_path))
    found = notices(capsys.readouterr().err)
    assert len(found) == 1 and "exited before it was ready" in found[0], found
    # Reported once.
    with pytest.raises(forking.ForkUnavailable):
        server.fork([str(broken), "-m", "ipykernel_launcher", "-f", "/k.json"], kernel_env(), str(tmp_path))
    assert notices(capsys.readouterr().err) == []
    assert server.exit_code(12345) is None

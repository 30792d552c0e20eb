"""Kernel prelaunch: which kernelspecs it may start early, and its bookkeeping of early kernels."""

import io
import json
import os
import subprocess
import sys

from flow_jupyter import prelaunch


def test_launch_command_takes_plain_specs_only():
    argv = ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert prelaunch.launch_command({"argv": argv}) == argv
    assert prelaunch.launch_command({"argv": argv, "env": {"A": "1"}}) is None
    assert prelaunch.launch_command({"argv": argv, "metadata": {"kernel_provisioner": {"x": 1}}}) is None
    assert prelaunch.launch_command({"argv": [*argv, "{resource_dir}"]}) is None
    assert prelaunch.launch_command({"argv": []}) is None
    assert prelaunch.launch_command(None) is None


def test_kernel_command_substitutes_and_uses_this_python():
    cmd = prelaunch.kernel_command(["python", "-f", "{connection_file}", "~/x"], "/rt/k.json")
    assert cmd == [sys.executable, "-f", "/rt/k.json", os.path.expanduser("~/x")]


def test_kernel_environment_is_what_the_server_gives(monkeypatch):
    monkeypatch.setenv("JUPYTER_TOKEN", "secret")
    monkeypatch.setenv("PYTHONEXECUTABLE", "/x/python")
    env = prelaunch.kernel_environment({"language": "python"})
    assert "JUPYTER_TOKEN" not in env and "PYTHONEXECUTABLE" not in env
    assert env["JPY_PARENT_PID"] == str(os.getpid())
    assert prelaunch.kernel_environment({"language": "R"})["PYTHONEXECUTABLE"] == "/x/python"


def test_builtin_python3_spec_when_none_on_disk(monkeypatch):
    monkeypatch.setattr("jupyter_core.paths.jupyter_path", lambda *a: [])
    assert prelaunch.kernelspec("python3")["argv"][0] == sys.executable
    assert prelaunch.kernelspec("no-such-kernel") is None


def sleeper():
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)


def entry(early, state="waiting", cwd="/w"):
    e = {"kernel_name": "python3", "cwd": cwd, "proc": sleeper(), "state": state}
    early.started.append(e)
    return e


def test_take_matches_kernel_and_folder_once():
    early = prelaunch.EarlyKernels()
    e = entry(early)
    try:
        assert early.take("python3", "/other") is None
        assert early.take("ir", "/w") is None
        assert early.take("python3", "/w/") is e
        assert e["state"] == "taken"
        assert early.take("python3", "/w") is None
    finally:
        early.stop_all()


def test_stop_all_kills_all_but_adopted_and_refuses_new_launches(tmp_path, monkeypatch):
    early = prelaunch.EarlyKernels()
    waiting, adopted = entry(early), entry(early, state="adopted")
    early.stop_all()
    assert waiting["state"] == "stopped" and waiting["proc"].poll() is not None
    assert adopted["proc"].poll() is None
    adopted["proc"].kill()
    adopted["proc"].wait()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    early.launch("python3", str(tmp_path))
    assert len(early.started) == 2


def test_requests_are_ignored_without_provisioners(monkeypatch):
    early = prelaunch.EarlyKernels()
    launched = []
    monkeypatch.setattr(early, "launch", lambda *a: launched.append(a))
    line = json.dumps({"kernel_name": "python3", "cwd": "/w"}) + "\n"
    early.read_requests(io.StringIO(line), adopt=False)
    assert launched == []
    early.read_requests(io.StringIO(line + "not json\n"), adopt=True)
    assert launched == [("python3", "/w")]


def test_stop_all_module_function_is_safe_without_start():
    prelaunch.stop_all()

// What the server's Python runs in place of `jupyter server` (see serverCommand in jupyter-server.ts):
// fewer imports, and kernels started while the server is still importing.

/**
 * The bootstrap does two things before handing over to Jupyter Server's own `main()`:
 *
 * - It makes a few imports fail that the server never needs. jsonschema imports
 *   rfc3987_syntax when it is installed, which builds an Earley parser at import time: ≈1.2 s
 *   of CPU, measured with `python -X importtime -c "import jupyter_server.serverapp"` (1.5 s →
 *   0.37 s without it); and the checkers of other string formats (isoduration pulls in arrow):
 *   another ≈40 ms. Each is optional to jsonschema (`with suppress(ImportError)`), and nothing
 *   else in a Jupyter Server imports them.
 * - Kernel prelaunch: the server's imports take ≈0.4 s, and a kernel's start ≈0.5 s; flow names
 *   the first nodes' kernels on the server's stdin (KernelPrelaunch), and they start at once, on
 *   the other core. When flow then asks the server for that kernel in that folder (POST
 *   /api/kernels), the server adopts the running process through jupyter_client's provisioner,
 *   but only if the command, environment and folder are exactly those it would have launched
 *   itself; otherwise the early kernel is stopped and the server launches its own. Early kernels
 *   nobody asks for are stopped after a minute, and when the server stops.
 *
 * Only the server process is touched: kernels are processes of their own.
 */
export const SERVER_BOOTSTRAP_PY = String.raw`# Written by flow: runs its embedded Jupyter Server (see server-bootstrap.ts in flow). Safe to delete.
import sys
for _flow_unused in ("rfc3987_syntax", "isoduration", "rfc3986_validator", "rfc3339_validator", "webcolors", "uri_template", "fqdn"):
    sys.modules.setdefault(_flow_unused, None)


def _flow_prelaunch():
    # Kernels flow names on stdin start now, while jupyter_server imports; the server adopts one
    # only when it would have launched exactly that process itself (see launch_kernel below).
    # stdin also tells when flow is gone: at its end, whatever flow left running here stops.
    import importlib.util, json, os, signal, socket, subprocess, threading, uuid
    # Here, not in the reader thread: no import runs in two threads at once.
    from jupyter_core.paths import jupyter_path

    client = importlib.util.find_spec("jupyter_client")
    # jupyter_client < 7 has no provisioners to adopt a kernel through: requests are ignored.
    can_adopt = bool(client and client.origin and os.path.isdir(os.path.join(os.path.dirname(client.origin), "provisioning")))
    lock = threading.Lock()
    started = []  # every early kernel; "state": waiting → taken → adopted, or stopped
    closing = []  # non-empty once stop_all has begun: no kernel starts after that

    def log(message):
        sys.stderr.write(f"[flow prelaunch] {message}\n")

    def kernelspec(name):
        for root in jupyter_path("kernels"):
            path = os.path.join(root, name, "kernel.json")
            if os.path.isfile(path):
                with open(path) as f:
                    return json.load(f)
        if name == "python3":
            # jupyter_client's built-in spec for the server's own interpreter (ipykernel's).
            return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python"}
        return None

    def free_ports(n):
        socks = [socket.socket() for _ in range(n)]
        try:
            for s in socks:
                s.bind(("127.0.0.1", 0))
            return [s.getsockname()[1] for s in socks]
        finally:
            for s in socks:
                s.close()

    def launch(kernel_name, cwd):
        spec = kernelspec(kernel_name)
        argv = (spec or {}).get("argv") or []
        # Only what the server would run the same way: no env of its own, no custom provisioner,
        # no substitutions but the connection file.
        if not argv or spec.get("env") or (spec.get("metadata") or {}).get("kernel_provisioner"):
            return
        if any("{" in a.replace("{connection_file}", "") for a in argv):
            return
        runtime = os.environ.get("JUPYTER_RUNTIME_DIR")
        if not runtime or not os.path.isdir(cwd):
            return
        shell, iopub, stdin, control, hb = free_ports(5)
        info = {
            "shell_port": shell, "iopub_port": iopub, "stdin_port": stdin, "control_port": control, "hb_port": hb,
            "ip": "127.0.0.1", "key": str(uuid.uuid4()), "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": kernel_name,
        }
        connection_file = os.path.join(runtime, f"kernel-{uuid.uuid4()}.json")
        fd = os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        cmd = [os.path.expanduser(a.replace("{connection_file}", connection_file)) for a in argv]
        # As jupyter_client's format_kernel_cmd: a bare "python" is the server's own interpreter.
        if cmd[0] in {"python", f"python{sys.version_info[0]}", "python%i.%i" % sys.version_info[:2]}:
            cmd[0] = sys.executable
        # The environment the server will give its kernels: its own (the config file takes the
        # token out of it), less PYTHONEXECUTABLE for Python kernels, plus the parent pid.
        env = dict(os.environ)
        env.pop("JUPYTER_TOKEN", None)
        if str(spec.get("language", "")).lower().startswith("python"):
            env.pop("PYTHONEXECUTABLE", None)
        env["JPY_PARENT_PID"] = str(os.getpid())
        with lock:
            if closing:
                return
            # As jupyter_client's launcher: a session of its own, and stdin a closed pipe.
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, cwd=cwd, env=env, start_new_session=True)
            proc.stdin.close()
            entry = {"kernel_name": kernel_name, "cwd": os.path.normpath(cwd), "cmd": cmd, "env": env,
                     "info": info, "connection_file": connection_file, "proc": proc, "state": "waiting"}
            started.append(entry)
        log(f"started kernel {kernel_name} early in {cwd} (pid {proc.pid})")
        timer = threading.Timer(60.0, lambda: stop(entry))
        timer.daemon = True
        timer.start()

    def take(kernel_name, cwd):
        with lock:
            for e in started:
                if e["state"] == "waiting" and e["kernel_name"] == kernel_name and e["cwd"] == os.path.normpath(cwd):
                    e["state"] = "taken"
                    return e
        return None

    def stop(entry, wait=False):
        """Kills an early kernel unless the server adopted it (then it is the server's to stop)."""
        proc = entry["proc"]
        with lock:
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

    def stop_all():
        """On the way out: every early kernel not adopted is gone (and reaped) when it returns."""
        with lock:
            closing.append(True)
        for entry in list(started):
            stop(entry, wait=True)

    def read_requests():
        for line in sys.stdin:
            if not can_adopt:
                continue
            try:
                request = json.loads(line)
                launch(str(request["kernel_name"]), str(request["cwd"]))
            except Exception as e:
                log(f"could not pre-start a kernel for {line.strip()}: {e!r}")
        # End of stdin: flow exited, or gave this server up, without stopping it. Stop: Jupyter's
        # own SIGTERM handler stops its kernels; before it is installed, the one below exits.
        stop_all()
        os.kill(os.getpid(), signal.SIGTERM)

    def on_sigterm(signum, frame):
        # Until jupyter_server installs its own handler: no early kernel outlives this process.
        stop_all()
        os._exit(128 + signum)

    def install():
        """Makes the server adopt early kernels; called once jupyter_client is imported."""
        import pathlib
        from jupyter_client.provisioning.local_provisioner import LocalProvisioner

        original_pre_launch = LocalProvisioner.pre_launch
        original_launch_kernel = LocalProvisioner.launch_kernel
        port_names = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")

        async def pre_launch(self, **kwargs):
            km = self.parent
            entry = None
            # A first launch only: a restart keeps the ports and key the manager has.
            fresh = km is not None and not any(getattr(km, name, 0) for name in port_names)
            if fresh and kwargs.get("cwd") and getattr(km, "transport", "tcp") == "tcp":
                entry = take(km.kernel_name, kwargs["cwd"])
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
                    and set(LocalProvisioner._scrub_kwargs(kwargs)) <= {"env", "cwd"}
                    and getattr(km, "curve_publickey", None) is None
                    and entry["proc"].poll() is None
                )
                if same:
                    with lock:
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
                differs = [k for k, ok in (("command", ours == expected), ("environment", env == entry["env"])) if not ok]
                log(f"not adopting the kernel started early ({', '.join(differs) or 'launch options'} differ); launching anew")
                stop(entry)
            return await original_launch_kernel(self, cmd, **kwargs)

        LocalProvisioner.pre_launch = pre_launch
        LocalProvisioner.launch_kernel = launch_kernel

    import atexit, types
    signal.signal(signal.SIGTERM, on_sigterm)
    atexit.register(stop_all)
    # For the config file's fast exit, which skips atexit.
    sys.modules["_flow_prelaunch"] = types.SimpleNamespace(stop_all=stop_all)
    threading.Thread(target=read_requests, daemon=True, name="flow-prelaunch").start()
    return install if can_adopt else None


try:
    _flow_install_prelaunch = _flow_prelaunch()
except Exception as _flow_error:
    sys.stderr.write(f"[flow prelaunch] disabled: {_flow_error!r}\n")
    _flow_install_prelaunch = None

from jupyter_server.serverapp import main

if _flow_install_prelaunch is not None:
    try:
        _flow_install_prelaunch()
    except Exception as _flow_error:
        sys.stderr.write(f"[flow prelaunch] disabled: {_flow_error!r}\n")
sys.argv[0] = "jupyter-server"
sys.exit(main())
`;

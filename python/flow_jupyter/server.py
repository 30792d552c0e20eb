"""The embedded Jupyter Server's entry point: flow runs ``python …/flow_jupyter/server.py <args>``
in place of ``jupyter server <args>`` (see serverCommand in flow's jupyter-server.ts): fewer
imports, and kernels started while the server is still importing.

It does two things before handing over to Jupyter Server's own ``main()``:

- It makes a few imports fail that the server never needs. jsonschema imports rfc3987_syntax
  when it is installed, which builds an Earley parser at import time: ≈1.2 s of CPU, measured
  with ``python -X importtime -c "import jupyter_server.serverapp"`` (1.5 s → 0.37 s without
  it); and the checkers of other string formats (isoduration pulls in arrow): another ≈40 ms.
  Each is optional to jsonschema (``with suppress(ImportError)``), and nothing else in a Jupyter
  Server imports them.
- Kernel prelaunch (see prelaunch.py), and the kernel fork server (see forking.py).

Only the server process is touched: kernels are processes of their own.
"""

import os
import sys

UNUSED_MODULES = (
    "rfc3987_syntax",
    "isoduration",
    "rfc3986_validator",
    "rfc3339_validator",
    "webcolors",
    "uri_template",
    "fqdn",
)


def block_unused_imports() -> None:
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)


def put_package_on_path() -> None:
    """Run as a script, sys.path[0] is this folder, where config.py, patches.py… would shadow
    top-level modules of those names: it becomes the package's parent folder instead, which holds
    nothing but this package (never the folder flow runs in, where a project's own modules could
    shadow the server's)."""
    parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = parent
    elif parent not in sys.path:
        sys.path.insert(0, parent)


def main() -> int:
    block_unused_imports()
    put_package_on_path()
    from flow_jupyter import prelaunch

    try:
        install = prelaunch.start()
    except Exception as error:
        prelaunch.log(f"disabled: {error!r}")
        install = None

    # The fork server of this interpreter imports ipykernel while the server imports itself.
    from flow_jupyter import forking

    try:
        forking.start()
    except Exception as error:
        forking.notice(f"the kernel fork server did not start: {error!r}; kernels are launched instead")

    from jupyter_server.serverapp import main as server_main

    if install is not None:
        try:
            install()
        except Exception as error:
            prelaunch.log(f"disabled: {error!r}")
    sys.argv[0] = "jupyter-server"
    return server_main()


if __name__ == "__main__":
    sys.exit(main())

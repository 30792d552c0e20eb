"""The server entry point: blocked imports, and the package's folder on sys.path."""

import os
import subprocess
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).parents[1]
SERVER = PYTHON_DIR / "flow_jupyter" / "server.py"


def run(code):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = f"import runpy, sys\nsys.argv = [{str(SERVER)!r}]\n{code}"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)


def test_script_folder_is_replaced_by_the_package_parent():
    out = run(
        "sys.path[0] = " + repr(str(SERVER.parent)) + "\n"
        "g = runpy.run_path(sys.argv[0], run_name='not_main')\n"
        "g['put_package_on_path']()\n"
        "print(sys.path[0])\n"
        "import flow_jupyter.patches\n"
    ).stdout
    assert out.strip() == str(PYTHON_DIR)


def test_unused_modules_cannot_be_imported():
    out = run(
        "g = runpy.run_path(sys.argv[0], run_name='not_main')\n"
        "g['block_unused_imports']()\n"
        "try:\n    import rfc3987_syntax\nexcept ImportError:\n    print('blocked')\n"
    ).stdout
    assert out.strip() == "blocked"

"""flow's Python side: what runs inside the Jupyter server flow starts, and in its kernels.

Loaded by path, never installed: flow runs ``server.py`` (which puts this package's folder on
``sys.path``) and hands ``config.py`` to ``jupyter server --config``; ``outputs_probe.py`` is sent
to kernels as source text. Nothing here may import anything but the standard library and what a
Jupyter Server has.
"""

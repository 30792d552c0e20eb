# Reads declared outputs from a Python kernel's global variables. flow sends this file's source to
# the kernel followed by `_flow_outputs_probe(names, marker)` and `del _flow_outputs_probe`, with
# `store_history: false` (see outputs-probe.ts): it must define nothing else, and import nothing at
# module level, as it runs in the user's namespace.


def _flow_outputs_probe(names, marker, namespace=None):
    """Prints one line: ``marker``, then JSON ``{name: {"value": v} | {"error": why}}`` for each
    name that is a global variable (missing names are absent). Ints outside ±2^53 and non-finite
    floats are tagged so they come back exactly; numpy scalars and arrays are converted."""
    import builtins
    import json
    import math
    import sys

    g = builtins.globals() if namespace is None else namespace

    def conv(v, depth):
        if depth > 200:
            raise ValueError("nested too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if -(2**53) < v < 2**53 else {"$flow": "int", "value": str(v)}
        if isinstance(v, float):
            return v if math.isfinite(v) else {"$flow": "float", "value": repr(v)}
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if not isinstance(k, str):
                    raise ValueError(f"a dict key is {type(k).__name__}, not str")
                out[k] = conv(x, depth + 1)
            return {"$flow": "dict", "value": out} if "$flow" in out else out
        if isinstance(v, (list, tuple)):
            return [conv(x, depth + 1) for x in v]
        if type(v).__module__.split(".")[0] == "numpy":
            if getattr(v, "ndim", None) == 0:
                return conv(v.item(), depth + 1)
            return conv(v.tolist(), depth + 1)
        raise ValueError(f"{type(v).__name__} is not JSON-serializable")

    res = {}
    for n in names:
        if n not in g:
            continue
        try:
            res[n] = {"value": conv(g[n], 0)}
        except Exception as e:
            res[n] = {"error": str(e)}
    sys.stdout.write(marker + json.dumps(res, allow_nan=False) + "\n")
    sys.stdout.flush()

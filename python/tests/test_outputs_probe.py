"""The outputs probe, run as the kernel runs it: exec'd source in a user namespace."""

import json
import math
from pathlib import Path

MARKER = "\x1e__flow_outputs__ "
SOURCE = (Path(__file__).parents[1] / "flow_jupyter" / "outputs_probe.py").read_text()


def probe(capsys, namespace, names):
    exec(SOURCE, namespace)
    namespace["_flow_outputs_probe"](names, MARKER)
    del namespace["_flow_outputs_probe"]
    out = capsys.readouterr().out
    assert out.startswith(MARKER) and out.endswith("\n")
    return json.loads(out[len(MARKER) :])


def test_values_errors_and_missing_names(capsys):
    ns = {"n": 3, "s": "x", "big": 2**60, "inf": math.inf, "d": {"$flow": 1}, "t": (1, [None, True])}
    ns["bad"] = object()
    got = probe(capsys, ns, ["n", "s", "big", "inf", "d", "t", "bad", "missing"])
    assert got["n"] == {"value": 3}
    assert got["s"] == {"value": "x"}
    assert got["big"] == {"value": {"$flow": "int", "value": str(2**60)}}
    assert got["inf"] == {"value": {"$flow": "float", "value": "inf"}}
    assert got["d"] == {"value": {"$flow": "dict", "value": {"$flow": 1}}}
    assert got["t"] == {"value": [1, [None, True]]}
    assert got["bad"] == {"error": "object is not JSON-serializable"}
    assert "missing" not in got


def test_defines_nothing_but_the_probe_function():
    ns = {}
    exec(SOURCE, ns)
    assert sorted(k for k in ns if k != "__builtins__") == ["_flow_outputs_probe"]


def test_non_string_keys_and_depth(capsys):
    deep = []
    for _ in range(250):
        deep = [deep]
    got = probe(capsys, {"k": {1: 2}, "deep": deep}, ["k", "deep"])
    assert got["k"] == {"error": "a dict key is int, not str"}
    assert got["deep"] == {"error": "nested too deeply"}

# Every audit ends the same way: write <audits_dir>/<name>.json (the gate reads these files),
# record `status` and `details` as outputs (the audit also keeps them as variables), and, with
# raise_on_fail=True, fail the notebook so that a runner reports the audit as a failed test.
import json
from pathlib import Path


def finish_audit(name, status, message, details):
    """Store and record the audit's result; raise AssertionError on 'fail' when raise_on_fail is set."""
    assert status in ("pass", "warn", "fail"), status
    result = {"audit": name, "status": status, "message": message, "details": details}
    folder = Path(audits_dir or Path(workdir) / "audits")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(result, indent=2))
    record("status", status)
    record("details", details)
    print(f"{name}: {status.upper()} - {message}")
    if status == "fail" and raise_on_fail:
        raise AssertionError(f"audit {name} failed: {message}")
    return status

# %% [markdown]
# # Deployment gate
#
# Collects the results of every audit and decides what happens to the deployment:
#
# * **fail** — at least one audit failed (or did not report at all): the deployment is blocked;
# * **warn** — nothing failed but something warned: the team is notified, then deploy;
# * **pass** — every audit passed: ready to deploy.
#
# The verdict is the output `verdict`; the workflow's `next` branches on it. The audits' results are
# read from the files in `audits_dir` (`<workdir>/audits` by default) rather than from their outputs, so an audit that failed (and
# therefore recorded nothing the runner keeps) still counts, and one that never reported counts as
# a failure.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
audits: str = "row_counts,null_checks,referential_integrity,freshness,distribution_drift"  # comma-separated audits that must report

# %% include: record

# %%
import json
from pathlib import Path

import pandas as pd

folder = Path(audits_dir or Path(workdir) / "audits")
results = []
for name in [a.strip() for a in audits.split(",") if a.strip()]:
    file = folder / f"{name}.json"
    if file.exists():
        result = json.loads(file.read_text())
        results.append({"audit": name, "status": result["status"], "message": result["message"]})
    else:
        results.append({"audit": name, "status": "fail", "message": "no result: the audit did not report"})
results = pd.DataFrame(results)
results

# %%
counts = results.status.value_counts()
failed = record("failed", int(counts.get("fail", 0)))
warned = record("warned", int(counts.get("warn", 0)))
passed = record("passed", int(counts.get("pass", 0)))
verdict = record("verdict", "fail" if failed else "warn" if warned else "pass")
print(f"verdict: {verdict.upper()} ({passed} passed, {warned} warned, {failed} failed)")

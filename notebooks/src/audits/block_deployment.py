# %% [markdown]
# # Block the deployment
#
# At least one audit failed. This notebook writes the reasons to
# `<workdir>/deployment/BLOCKED.txt` and then **fails on purpose**, so the workflow run ends with
# exit code 1 and a CI pipeline stops before its deploy step.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
run_id: str = "manual"  # the run being blocked

# %%
import json
from pathlib import Path

results = [json.loads(f.read_text()) for f in sorted((Path(audits_dir or Path(workdir) / "audits")).glob("*.json"))]
failures = [r for r in results if r["status"] == "fail"]
text = f"Deployment blocked by run {run_id}:\n" + "".join(f"- {r['audit']}: {r['message']}\n" for r in failures)
target = Path(workdir) / "deployment" / "BLOCKED.txt"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(text)
print(text)

# %%
names = ", ".join(r["audit"] for r in failures) or "an audit that did not report"
raise RuntimeError(f"Deployment blocked: failed audits: {names}")

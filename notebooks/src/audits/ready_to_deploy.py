# %% [markdown]
# # Ready to deploy
#
# No audit failed. This notebook leaves the marker file `<workdir>/deployment/READY.json` that a
# deploy job can wait for, with the audit results it was based on.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
run_id: str = "manual"  # the run that cleared the deployment

# %% include: record

# %%
import json
from datetime import datetime, timezone
from pathlib import Path

results = [json.loads(f.read_text()) for f in sorted((Path(audits_dir or Path(workdir) / "audits")).glob("*.json"))]
if any(r["status"] == "fail" for r in results):
    raise RuntimeError("an audit failed: this node should not have run")
marker = {"run_id": run_id, "cleared_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
          "audits": {r["audit"]: r["status"] for r in results}}
target = Path(workdir) / "deployment" / "READY.json"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(json.dumps(marker, indent=2))
marker

# %%
ready = record("ready", True)
warnings_acknowledged = record("warnings_acknowledged", sum(r["status"] == "warn" for r in results))

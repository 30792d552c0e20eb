# %% [markdown]
# # Notify: audits warned
#
# Nothing failed, but some audits warned. The deployment goes ahead; the team gets a message
# listing what to look at. Here the "message" is a text file,
# `<workdir>/notifications/deploy-warning-<run_id>.txt`, standing in for a chat or e-mail
# integration.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
run_id: str = "manual"  # the run this message is about

# %% include: record

# %%
import json
from pathlib import Path

results = [json.loads(f.read_text()) for f in sorted((Path(audits_dir or Path(workdir) / "audits")).glob("*.json"))]
warnings = [r for r in results if r["status"] == "warn"]
lines = [f"Pre-deployment audits for run {run_id}: {len(warnings)} warning(s); deploying anyway.", ""]
lines += [f"- {r['audit']}: {r['message']}" for r in warnings]
text = "\n".join(lines) + "\n"
target = Path(workdir) / "notifications" / f"deploy-warning-{run_id}.txt"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(text)
print(text)

# %%
message_path = record("message_path", str(target))
warnings_sent = record("warnings_sent", len(warnings))

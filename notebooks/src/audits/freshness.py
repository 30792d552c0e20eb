# %% [markdown]
# # Audit: freshness
#
# Deploying dashboards on yesterday's data is a classic silent failure. This audit measures the
# age of the newest row (`loaded_at`) against the time the audit runs.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
dataset_dir: str = ""  # the load prepare_dataset wrote; empty means <workdir>/data
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
warn_hours: float = 24.0  # warn when the newest row is older than this many hours
fail_hours: float = 72.0  # fail when it is older than this many hours
raise_on_fail: bool = False  # raise when the audit fails (a workflow then shows it as a failed test)

# %% include: record

# %% include: audit

# %%
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

orders = pd.read_csv(Path(dataset_dir or Path(workdir) / "data") / "orders.csv", usecols=["loaded_at"])
newest = pd.to_datetime(orders.loaded_at, utc=True, errors="coerce").max()
now = datetime.now(timezone.utc)
age_hours = round((now - newest).total_seconds() / 3600, 1) if pd.notna(newest) else float("inf")
print(f"newest row loaded at {newest}, {age_hours} hours ago")

# %%
status = "fail" if age_hours > fail_hours else "warn" if age_hours > warn_hours else "pass"
message = f"newest row is {age_hours} hours old"
details = {"newest": str(newest), "age_hours": age_hours}
finish_audit("freshness", status, message, details)

# %% [markdown]
# # Audit: row counts
#
# A load that is much smaller (or larger) than usual is the cheapest sign that an upstream job
# failed half-way or ran twice. This audit compares the number of orders loaded with the
# baseline month.
#
# | ratio loaded / baseline | status |
# |---|---|
# | within `[1 - warn_drop, 1 + warn_growth]` | pass |
# | within `[1 - fail_drop, 1 + fail_growth]` | warn |
# | outside | fail |

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
dataset_dir: str = ""  # the load prepare_dataset wrote; empty means <workdir>/data
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
warn_drop: float = 0.2  # warn when the load is more than this fraction smaller than the baseline
fail_drop: float = 0.5  # fail when it is more than this fraction smaller
warn_growth: float = 0.25  # warn when it is more than this fraction larger
fail_growth: float = 1.0  # fail when it is more than this fraction larger
raise_on_fail: bool = False  # raise when the audit fails (a workflow then shows it as a failed test)

# %% include: record

# %% include: audit

# %%
from pathlib import Path

import pandas as pd

data = Path(dataset_dir or Path(workdir) / "data")
loaded = len(pd.read_csv(data / "orders.csv"))
baseline = len(pd.read_csv(data / "baseline_orders.csv"))
ratio = loaded / baseline if baseline else float("inf")
pd.Series({"loaded": loaded, "baseline": baseline, "ratio": round(ratio, 3)}).to_frame("orders")

# %%
if 1 - warn_drop <= ratio <= 1 + warn_growth:
    status = "pass"
elif 1 - fail_drop <= ratio <= 1 + fail_growth:
    status = "warn"
else:
    status = "fail"
message = f"{loaded} orders loaded, {ratio:.0%} of the baseline's {baseline}"
details = {"loaded": loaded, "baseline": baseline, "ratio": round(ratio, 4)}
finish_audit("row_counts", status, message, details)

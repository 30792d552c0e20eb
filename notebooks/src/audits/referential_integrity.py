# %% [markdown]
# # Audit: referential integrity
#
# Every order must belong to a known customer. Orders whose `customer_id` is not in `customers`
# ("orphans") mean the customer load is behind or an id is corrupt; reports by region would lose
# them. Null customer ids are the null check's business and are not counted here.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
dataset_dir: str = ""  # the load prepare_dataset wrote; empty means <workdir>/data
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
warn_pct: float = 0.0  # warn when more than this percentage of orders are orphans
fail_pct: float = 0.5  # fail when more than this percentage of orders are orphans
raise_on_fail: bool = False  # raise when the audit fails (a workflow then shows it as a failed test)

# %% include: record

# %% include: audit

# %%
from pathlib import Path

import pandas as pd

data = Path(dataset_dir or Path(workdir) / "data")
orders = pd.read_csv(data / "orders.csv", dtype=str)
customers = pd.read_csv(data / "customers.csv", dtype=str)
keyed = orders[orders.customer_id.notna()]
orphans = keyed[~keyed.customer_id.isin(set(customers.customer_id))]
pct = round(100 * len(orphans) / max(len(keyed), 1), 2)
orphans.head()

# %%
status = "fail" if pct > fail_pct else "warn" if pct > warn_pct else "pass"
message = f"{len(orphans)} of {len(keyed)} orders ({pct}%) reference an unknown customer"
details = {"orders": int(len(keyed)), "orphans": int(len(orphans)), "pct": pct}
finish_audit("referential_integrity", status, message, details)

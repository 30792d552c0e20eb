# %% [markdown]
# # Audit: null checks
#
# Required columns must be filled. A few nulls are worth a warning; more than `fail_pct` percent
# in any required column fails the audit, because downstream joins and aggregates would silently
# drop or miscount those rows.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
dataset_dir: str = ""  # the load prepare_dataset wrote; empty means <workdir>/data
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
required_columns: str = "order_id,customer_id,order_date,amount_gbp,loaded_at"  # comma-separated
warn_pct: float = 0.0  # warn when a required column has more than this percentage of nulls
fail_pct: float = 1.0  # fail when a required column has more than this percentage of nulls
raise_on_fail: bool = False  # raise when the audit fails (a workflow then shows it as a failed test)

# %% include: record

# %% include: audit

# %%
from pathlib import Path

import pandas as pd

orders = pd.read_csv(Path(dataset_dir or Path(workdir) / "data") / "orders.csv", dtype=str)
columns = [c.strip() for c in required_columns.split(",") if c.strip()]
absent = [c for c in columns if c not in orders.columns]
nulls = pd.DataFrame({"nulls": orders.reindex(columns=columns).isna().sum()})
nulls["pct"] = (100 * nulls.nulls / max(len(orders), 1)).round(2)
nulls

# %%
worst = float(nulls.pct.max()) if len(nulls) else 0.0
if absent or worst > fail_pct:
    status = "fail"
elif worst > warn_pct:
    status = "warn"
else:
    status = "pass"
bad = nulls[nulls.nulls > 0]
message = (f"missing columns {absent}" if absent else
           "no nulls in required columns" if bad.empty else
           "; ".join(f"{c}: {int(r.nulls)} nulls ({r.pct}%)" for c, r in bad.iterrows()))
details = {"rows": int(len(orders)), "worst_pct": worst, "nulls": {c: int(v) for c, v in nulls.nulls.items()}}
finish_audit("null_checks", status, message, details)

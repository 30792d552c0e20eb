# %% [markdown]
# # Audit: distribution drift
#
# A load can be complete, fresh and well-formed and still be wrong: a currency mix-up or a pricing
# bug moves the *distribution* of values. This audit compares order amounts with the baseline month
# using the **population stability index** (PSI) over the baseline's deciles:
#
# $$\mathrm{PSI} = \sum_i (a_i - b_i)\,\ln\frac{a_i}{b_i}$$
#
# where $b_i$ and $a_i$ are the baseline's and the load's shares in bin $i$. The usual reading:
# below 0.1 stable, 0.1-0.25 a moderate shift worth a look, above 0.25 a major shift.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
dataset_dir: str = ""  # the load prepare_dataset wrote; empty means <workdir>/data
audits_dir: str = ""  # where the audits of this load keep their results; empty means <workdir>/audits
column: str = "amount_gbp"  # numeric column to compare
bins: int = 10  # quantile bins of the baseline
warn_psi: float = 0.1  # warn at or above this PSI
fail_psi: float = 0.25  # fail at or above this PSI
raise_on_fail: bool = False  # raise when the audit fails (a workflow then shows it as a failed test)

# %% include: record

# %% include: audit

# %%
from pathlib import Path

import numpy as np
import pandas as pd

data = Path(dataset_dir or Path(workdir) / "data")
base = pd.read_csv(data / "baseline_orders.csv")[column].dropna().to_numpy()
load = pd.read_csv(data / "orders.csv")[column].dropna().to_numpy()
edges = np.unique(np.quantile(base, np.linspace(0, 1, bins + 1)))
edges[0], edges[-1] = -np.inf, np.inf
b = np.histogram(base, edges)[0] / len(base)
a = np.histogram(load, edges)[0] / max(len(load), 1)
eps = 1e-6  # an empty bin would make the logarithm infinite
psi = float(np.sum((a - b) * np.log((a + eps) / (b + eps))))
pd.DataFrame({"baseline share": b.round(3), "load share": a.round(3)})

# %%
status = "fail" if psi >= fail_psi else "warn" if psi >= warn_psi else "pass"
message = f"PSI of {column} = {psi:.3f} (median {np.median(base):.2f} → {np.median(load):.2f})"
details = {"psi": round(psi, 4), "baseline_median": round(float(np.median(base)), 2),
           "load_median": round(float(np.median(load)), 2)}
finish_audit("distribution_drift", status, message, details)

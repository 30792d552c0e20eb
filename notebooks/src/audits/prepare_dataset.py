# %% [markdown]
# # Prepare the dataset to audit
#
# The audits run against the nightly load of a small sales warehouse: a `customers` table and an
# `orders` table (order id, customer, date, amount in GBP, and when the row was loaded). This
# notebook generates that load — and a **baseline** from the previous, known-good month that the
# row-count and drift audits compare against — so the example needs no database.
#
# `scenario` decides what the load looks like:
#
# | scenario | what is wrong | audits expected to react |
# |---|---|---|
# | `clean` | nothing | all pass |
# | `drifted` | order amounts shifted up; the load is 30 hours old | drift and freshness **warn** |
# | `broken` | two thirds of the rows missing, null and unknown customer ids | row counts, nulls and referential integrity **fail** |
#
# All data is synthetic and generated from `seed`.

# %% tags=["parameters"]
scenario: str = "clean"  # clean, drifted or broken: which problems the load has
rows: int = 5000  # orders in the baseline (and in a complete load)
seed: int = 7  # random seed for the generated data
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)

# %% include: record

# %%
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

SCENARIOS = ("clean", "drifted", "broken")
if scenario not in SCENARIOS:
    raise ValueError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
data_dir = Path(workdir) / "data"
data_dir.mkdir(parents=True, exist_ok=True)
audits_dir = Path(workdir) / "audits"  # the audits of this load keep their results here
shutil.rmtree(audits_dir, ignore_errors=True)  # no stale results from an earlier run
rng = np.random.default_rng(seed)
now = datetime.now(timezone.utc).replace(microsecond=0)

# %% [markdown]
# ## Customers and the baseline month
#
# Order amounts are log-normal, as basket sizes usually are.

# %%
customers = pd.DataFrame({
    "customer_id": [f"C{n:05d}" for n in range(1, 1201)],
    "region": rng.choice(["North", "Midlands", "South", "Wales", "Scotland"], 1200),
    "signup_date": (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1800, 1200), unit="D")).date,
})


def orders(n, mu, start, loaded_at, id_offset):
    return pd.DataFrame({
        "order_id": [f"O{id_offset + k:07d}" for k in range(n)],
        "customer_id": rng.choice(customers.customer_id, n),
        "order_date": (start + pd.to_timedelta(rng.integers(0, 30, n), unit="D")).date,
        "amount_gbp": np.round(rng.lognormal(mu, 0.6, n), 2),
        "loaded_at": loaded_at.isoformat(),
    })


baseline = orders(rows, 3.4, pd.Timestamp(now.date()) - pd.Timedelta(days=60), now - timedelta(days=30), 0)
baseline.describe()

# %% [markdown]
# ## The load under audit

# %%
mu = 3.65 if scenario == "drifted" else 3.4
age = timedelta(hours=30) if scenario == "drifted" else timedelta(hours=1)
n = int(rows * 0.35) if scenario == "broken" else rows
current = orders(n, mu, pd.Timestamp(now.date()) - pd.Timedelta(days=30), now - age, rows)
if scenario == "broken":
    nulls = rng.choice(current.index, int(n * 0.04), replace=False)
    current.loc[nulls, "customer_id"] = None
    rest = current.index.difference(nulls)
    orphans = rng.choice(rest, int(n * 0.03), replace=False)
    current.loc[orphans, "customer_id"] = [f"X{k:05d}" for k in range(len(orphans))]

customers.to_csv(data_dir / "customers.csv", index=False)
baseline.to_csv(data_dir / "baseline_orders.csv", index=False)
current.to_csv(data_dir / "orders.csv", index=False)
print(f"scenario {scenario}: {len(current)} orders, {len(customers)} customers, baseline {len(baseline)} orders")

# %% [markdown]
# ## Outputs

# %%
orders_loaded = record("orders_loaded", int(len(current)))
customers_loaded = record("customers_loaded", int(len(customers)))
dataset_dir = record("dataset_dir", str(data_dir.resolve()))
audits_dir = record("audits_dir", str(audits_dir.resolve()))

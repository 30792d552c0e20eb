# %% [markdown]
# # Load reference data
#
# Validation checks codes (`RSNENGEND`, `SCSMODE`, `SEXID`, …) against HESA's code lists. A
# real team would fetch them from a shared service, which sometimes times out: this step is the
# one worth **retrying**. Here the lists come from a local file shipped with the project,
# `data/hesa/codelists.json`, and are copied, checked, into the run's working folder.
#
# Two ways to make the "service" fail, both simulated:
#
# * `flaky_failures=N` fails the first *N* attempts of a run, as a service that hiccups does:
#   with the workflow's `retry` the node then succeeds on attempt *N* + 1 (up to 3). Each attempt
#   runs in a fresh kernel, so the notebook counts its own attempts in a small file,
#   `<workdir>/attempts/load_reference_data-<run_id>.count`: pass a value that is unique to the
#   run as `run_id` (the workflow passes `${{ run.id }}`).
# * The environment variable `HESA_REFERENCE_OUTAGE=1` fails every attempt, as an outage that
#   outlasts the retries does: the run fails. Once the variable is unset (the service is back),
#   `flow resume <run>` repairs the run. It is an environment variable, not a parameter, because
#   an outage is not part of the run: a resumed run keeps its parameters.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
reference_file: str = "../../data/hesa/codelists.json"  # code lists to load (relative to the notebook's folder)
flaky_failures: int = 0  # fail this many attempts of the run first, to demonstrate retries
run_id: str = "manual"  # a token unique to the run: attempts are counted per run_id

# %% include: record

# %%
import json
import os
import re
from pathlib import Path

attempts_dir = Path(workdir) / "attempts"
attempts_dir.mkdir(parents=True, exist_ok=True)
counter = attempts_dir / f"load_reference_data-{re.sub(r'[^A-Za-z0-9_.-]', '_', run_id)}.count"
attempt = int(counter.read_text()) + 1 if counter.exists() else 1
counter.write_text(str(attempt))
print(f"Attempt {attempt} for run {run_id}")

# %% [markdown]
# ## Fetch (simulated)
#
# The attempt fails during an outage, or while `attempt <= flaky_failures`; a workflow with
# `retry: {attempts: 4, on: [error]}` then succeeds on the next attempt.

# %%
if os.environ.get("HESA_REFERENCE_OUTAGE", "") not in ("", "0"):
    raise ConnectionError("reference data service unavailable (HESA_REFERENCE_OUTAGE is set: "
                          "unset it, then `flow resume` the run)")
if attempt <= flaky_failures:
    raise ConnectionError(
        f"reference data service unavailable (simulated failure {attempt} of {flaky_failures})")
source = Path(reference_file)
reference = json.loads(source.read_text())

# %% [markdown]
# ## Check and store
#
# Every list must be a non-empty mapping of code to label, and the lists validation relies on
# must be there.

# %%
REQUIRED = ["RSNENGEND", "RSNSCSEND", "SCSMODE", "SEXID", "FEEELIG", "RELIGION", "QUALCAT",
            "MODULEOUTCOME", "REFPERIOD"]
missing = [name for name in REQUIRED if name not in reference["lists"]]
if missing:
    raise ValueError(f"{source}: missing code lists {missing}")
for name, codes in reference["lists"].items():
    if not isinstance(codes, dict) or not codes:
        raise ValueError(f"{source}: code list {name} is empty or not a mapping")

target = Path(workdir) / "reference" / "codelists.json"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(json.dumps(reference, indent=2))
{name: len(codes) for name, codes in reference["lists"].items()}

# %% [markdown]
# ## Outputs

# %%
code_lists = record("code_lists", len(reference["lists"]))
reference_version = record("reference_version", reference["version"])
attempts_used = record("attempts_used", attempt)
reference_path = record("reference_path", str(target.resolve()))

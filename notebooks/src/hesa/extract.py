# %% [markdown]
# # Extract and pseudonymise the return data
#
# This step turns the student record snapshot into the **return dataset**: one table per HESA
# entity, holding the fields of the Data Futures return. On the way it *pseudonymises* the
# personal identifiers:
#
# * `SID` and `OWNSTU` are replaced everywhere by a keyed hash (`HMAC-SHA256` with the `salt`
#   parameter as key). Without the salt the hashes cannot be reversed or recomputed from a guess.
# * Names and date of birth leave the entity tables altogether.
# * The raw identifiers go to one restricted file, `extract/identity.csv`, keyed by the hash.
#   Only the checks that need the raw values (SID format) and the submission builder read it.
#
# Validation, reports and logs then work on hashes only: **no raw personal value is printed.**

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
salt: str = ""  # HMAC-SHA256 key for SID and OWNSTU: a secret param, set by flow from FLOW_SECRET_SALT
raw_dir: str = ""  # the snapshot generate wrote; empty means <workdir>/raw
reference_path: str = ""  # the code lists load_reference_data stored; empty means <workdir>/reference/codelists.json

# %% include: record

# %%
import hashlib
import hmac
import json
from pathlib import Path

import pandas as pd

raw_dir = Path(raw_dir or Path(workdir) / "raw")
out_dir = Path(workdir) / "extract"
out_dir.mkdir(parents=True, exist_ok=True)
manifest = json.loads((raw_dir / "manifest.json").read_text())
reference = json.loads(Path(reference_path or Path(workdir) / "reference" / "codelists.json").read_text())
if not manifest.get("synthetic"):
    raise RuntimeError("This example only processes synthetic snapshots.")


def read(name: str) -> pd.DataFrame:
    # Everything as text: codes like "01" and SIDs must keep their leading zeros.
    return pd.read_csv(raw_dir / f"{name}.csv", dtype=str, keep_default_na=False)


raw = {name: read(name) for name in manifest["rows"]}
print(f"Snapshot {manifest['year']} {manifest['period']}, reference data {reference['version']}")

# %% [markdown]
# ## Keyed hashing
#
# `pseudonym(value)` is the hex HMAC-SHA256 of the value. The same salt gives the same hash in
# every notebook of a run, so tables can still be joined on `SID_HASH`. Reports show only the
# first 12 hex digits.

# %%
if not salt:
    raise ValueError("salt must not be empty: set it (flow: FLOW_SECRET_SALT; papermill: -p salt KEY)")
KEY = salt.encode()


def pseudonym(value: str) -> str:
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest() if value else ""


students = raw["students"]
sid_hash = {sid: pseudonym(sid) for sid in students.SID}
identity = pd.DataFrame({
    "SID_HASH": students.SID.map(sid_hash), "SID": students.SID,
    "OWNSTU_HASH": students.OWNSTU.map(pseudonym), "OWNSTU": students.OWNSTU,
    "SURNAME": students.SURNAME, "FNAMES": students.FNAMES, "BIRTHDTE": students.BIRTHDTE,
})

# %% [markdown]
# ## Entity tables
#
# Each table keeps its HESA field names; `SID` becomes `SID_HASH`. The reference tables (course,
# module, qualification, session year) hold no personal data and are copied as they are.

# %%
def with_hash(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.insert(0, "SID_HASH", out.pop("SID").map(lambda s: sid_hash.get(s) or pseudonym(s)))
    return out


tables = {
    "student": pd.DataFrame({"SID_HASH": identity.SID_HASH, "OWNSTU_HASH": identity.OWNSTU_HASH,
                             **{c: students[c] for c in ("SEXID", "ETHNIC", "RELIGION", "NATION", "SYNTHETIC")}}),
    "engagement": with_hash(raw["engagements"]),
    "leaver": with_hash(raw["leavers"]),
    "qualification_awarded": with_hash(raw["qualifications_awarded"]),
    "student_course_session": with_hash(raw["scs"]),
    "module_instance": raw["module_instances"],
    "course": raw["courses"], "module": raw["modules"],
    "qualification": raw["qualifications"], "session_year": raw["session_years"],
}
for name, df in tables.items():
    if (df.get("SYNTHETIC", pd.Series(["Y"])) != "Y").any():
        raise RuntimeError(f"{name}: every record must be flagged SYNTHETIC=Y")
    df.to_csv(out_dir / f"{name}.csv", index=False)
identity.to_csv(out_dir / "identity.csv", index=False)
(out_dir / "manifest.json").write_text(json.dumps({
    **{k: manifest[k] for k in ("synthetic", "provider", "year", "period", "refperiod", "period_end")},
    "reference_version": reference["version"], "hash": "HMAC-SHA256",
    "rows": {k: len(v) for k, v in tables.items()}}, indent=2))

# A peek at what downstream notebooks see: hashes, codes, no names.
tables["student"].assign(SID_HASH=lambda d: d.SID_HASH.str[:12], OWNSTU_HASH=lambda d: d.OWNSTU_HASH.str[:12]) \
    .drop(columns=["ETHNIC", "RELIGION"]).head()

# %% [markdown]
# ## Outputs
#
# The counts are what the submission must contain; `check_xml` compares the XML against them.

# %%
students_extracted = record("students_extracted", int(len(tables["student"])))
engagements_extracted = record("engagements_extracted", int(len(tables["engagement"])))
sessions_extracted = record("sessions_extracted", int(len(tables["student_course_session"])))
module_instances_extracted = record("module_instances_extracted", int(len(tables["module_instance"])))
extract_dir = record("extract_dir", str(out_dir.resolve()))

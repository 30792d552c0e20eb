# %% [markdown]
# # Build the submission XML
#
# Validation passed: this step writes the return as XML. HESA publishes an XSD for the Data
# Futures return; this example does not have it, so it follows what open-source implementations
# write and HESA's long-standing conventions:
#
# * a `<DataFutures>` root; `Course`, `Module`, `Qualification` and `SessionYear` sit beside
#   `Student`; a student nests its `Engagement`s, which nest their `Leaver`,
#   `QualificationAwarded` and `StudentCourseSession`s, which nest `ModuleInstance`s and their
#   `ReferencePeriodStudentLoad`;
# * entity elements are CamelCase, fields are HESA's upper-case short names;
# * UTF-8, parents before children, key fields first and the other fields in alphabetical order;
#   empty fields are left out.
#
# This is the one step that re-identifies students: the submission needs the real `SID`, so it
# joins the restricted identity file on `SID_HASH`. The file is marked as synthetic
# (`synthetic="true"` on the root and a comment).

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
extract_dir: str = ""  # the return dataset extract wrote; empty means <workdir>/extract

# %% include: record

# %%
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

extract_dir = Path(extract_dir or Path(workdir) / "extract")
out_dir = Path(workdir) / "submission"
out_dir.mkdir(parents=True, exist_ok=True)
manifest = json.loads((extract_dir / "manifest.json").read_text())


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(extract_dir / f"{name}.csv", dtype=str, keep_default_na=False)


t = {name: read(name) for name in manifest["rows"]}
identity = {row["SID_HASH"]: row for row in read("identity").to_dict("records")}

# %% [markdown]
# ## Helpers
#
# `add(parent, entity, row, keys)` appends one entity element: the key fields first, then the
# remaining HESA fields alphabetically, skipping blanks and the example's own columns.

# %%
NOT_HESA = {"SYNTHETIC", "SID_HASH", "OWNSTU_HASH"}


def add(parent, entity, row, keys, skip=()):
    element = ET.SubElement(parent, entity)
    rest = sorted(k for k in row if k not in keys and k not in NOT_HESA and k not in skip)
    for field in [*keys, *rest]:
        value = row[field]
        if value != "":
            ET.SubElement(element, field).text = str(value)
    return element


def grouped(df, *keys):
    """Rows of df as dicts, grouped by the key fields (a plain dict: fast to look up per student)."""
    groups = {}
    for row in df.to_dict("records"):
        groups.setdefault(tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]], []).append(row)
    return groups

# %% [markdown]
# ## Assemble the document

# %%
root = ET.Element("DataFutures", {"synthetic": "true"})
root.append(ET.Comment(" SYNTHETIC DATA: University of Poppleton (UKPRN 10000000) example, not a real return "))
for entity, table, key in (("Course", "course", "COURSEID"), ("Module", "module", "MODID"),
                           ("Qualification", "qualification", "QUALID"),
                           ("SessionYear", "session_year", "SESSIONYEARID")):
    for row in t[table].to_dict("records"):
        add(root, entity, row, [key])

leavers = grouped(t["leaver"], "SID_HASH", "NUMHUS")
awards = grouped(t["qualification_awarded"], "SID_HASH", "NUMHUS")
sessions = grouped(t["student_course_session"], "SID_HASH", "NUMHUS")
modules = grouped(t["module_instance"], "SCSESSIONID")
engagements = grouped(t["engagement"], "SID_HASH")
LOAD = ("REFPERIOD", "YEAR", "RPSTULOAD")

for student in t["student"].to_dict("records"):
    person = identity[student["SID_HASH"]]
    fields = {**student, **{k: person[k] for k in ("SID", "OWNSTU", "SURNAME", "FNAMES", "BIRTHDTE")}}
    s_el = add(root, "Student", fields, ["SID"])
    for eng in engagements.get(student["SID_HASH"], []):
        key = (eng["SID_HASH"], eng["NUMHUS"])
        e_el = add(s_el, "Engagement", eng, ["NUMHUS"])
        for lv in leavers.get(key, []):
            add(e_el, "Leaver", lv, ["ENGENDDATE"], skip={"NUMHUS"})
        for qa in awards.get(key, []):
            add(e_el, "QualificationAwarded", qa, ["QUALAWARDID"], skip={"NUMHUS"})
        for scs in sessions.get(key, []):
            c_el = add(e_el, "StudentCourseSession", scs, ["SCSESSIONID"], skip={"NUMHUS", *LOAD})
            for mi in modules.get(scs["SCSESSIONID"], []):
                add(c_el, "ModuleInstance", mi, ["MODINSTID"], skip={"SCSESSIONID"})
            add(c_el, "ReferencePeriodStudentLoad", scs, list(LOAD), skip=set(scs) - set(LOAD))

# %% [markdown]
# ## Write it
#
# The file name carries the provider, the collection year and the period.

# %%
ET.indent(root, space=" ")
xml_file = out_dir / f"{manifest['provider']['UKPRN']}_{manifest['year']}_{manifest['period']}.xml"
ET.ElementTree(root).write(xml_file, encoding="UTF-8", xml_declaration=True)
digest = hashlib.sha256(xml_file.read_bytes()).hexdigest()
print(f"Wrote {xml_file} ({xml_file.stat().st_size / 1e6:.1f} MB, sha256 {digest[:16]}…)")
counts = {tag: len(root.findall(f".//{tag}")) for tag in
          ("Student", "Engagement", "StudentCourseSession", "ModuleInstance", "Leaver", "Course", "Module")}
counts

# %% [markdown]
# ## Outputs

# %%
xml_path = record("xml_path", str(xml_file.resolve()))
xml_sha256 = record("xml_sha256", digest)
students_written = record("students_written", counts["Student"])

# %% [markdown]
# # Check the submission XML
#
# An independent check of the file `build_xml` wrote, before anyone uploads it: it must parse
# (well-formed UTF-8 XML), have the expected root, be marked synthetic, contain exactly the
# records the extract counted, and keep its internal references intact. The expected counts come
# from the `extract` step, not from the builder, so a builder bug cannot hide itself.
#
# Any failed check fails this notebook (and so the workflow run).

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
xml_path: str = ""  # the XML to check; empty means the one file in <workdir>/submission
extract_dir: str = ""  # the return dataset extract wrote; empty means <workdir>/extract
expected_students: int = -1  # Student elements expected; -1 reads the extract's manifest
expected_engagements: int = -1  # Engagement elements expected; -1 reads the extract's manifest
expected_sessions: int = -1  # StudentCourseSession elements expected; -1 reads the extract's manifest
expected_module_instances: int = -1  # ModuleInstance elements expected; -1 reads the extract's manifest

# %% include: record

# %%
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

manifest = json.loads((Path(extract_dir or Path(workdir) / "extract") / "manifest.json").read_text())
rows = manifest["rows"]
expected = {
    "Student": expected_students if expected_students >= 0 else rows["student"],
    "Engagement": expected_engagements if expected_engagements >= 0 else rows["engagement"],
    "StudentCourseSession": expected_sessions if expected_sessions >= 0 else rows["student_course_session"],
    "ModuleInstance": expected_module_instances if expected_module_instances >= 0 else rows["module_instance"],
}
path = Path(xml_path) if xml_path else next((Path(workdir) / "submission").glob("*.xml"))
checks = []


def check(name: str, ok: bool, detail: str = "") -> None:
    checks.append({"check": name, "passed": bool(ok), "detail": detail})

# %% [markdown]
# ## Well-formed

# %%
try:
    root = ET.parse(path).getroot()
    check("well-formed XML", True, path.name)
except ET.ParseError as error:
    root = None
    check("well-formed XML", False, str(error))

# %% [markdown]
# ## Structure, counts and references
#
# SIDs are checked for shape and check digit (the example's synthetic algorithm) without
# printing them.

# %%
def sid_ok(sid: str) -> bool:
    if len(sid) != 17 or not sid.isdigit():
        return False
    weighted = sum(int(d) * (3, 7, 1)[i % 3] for i, d in enumerate(sid[:16]))
    return (weighted + int(sid[16])) % 10 == 0


if root is not None:
    check("root element is DataFutures", root.tag == "DataFutures", root.tag)
    check("marked as synthetic", root.get("synthetic") == "true")
    for tag, want in expected.items():
        got = len(root.findall(f".//{tag}"))
        check(f"{tag} count", got == want, f"{got} written, {want} expected")
    sids = [e.text or "" for e in root.findall("./Student/SID")]
    check("SIDs are 17 digits with a valid check digit", all(map(sid_ok, sids)),
          f"{sum(not sid_ok(s) for s in sids)} invalid")
    check("SIDs are unique", len(sids) == len(set(sids)))
    for child, parent in (("StudentCourseSession/COURSEID", "Course/COURSEID"),
                          ("ModuleInstance/MODID", "Module/MODID"),
                          ("StudentCourseSession/SESSIONYEARID", "SessionYear/SESSIONYEARID"),
                          ("Course/QUALID", "Qualification/QUALID")):
        known = {e.text for e in root.findall(f"./{parent}")}
        dangling = [e.text for e in root.findall(f".//{child}") if e.text not in known]
        check(f"{child} → {parent}", not dangling, f"{len(dangling)} dangling")

results = pd.DataFrame(checks)
(path.parent / "check.json").write_text(json.dumps(checks, indent=2))
results

# %% [markdown]
# ## Outputs
#
# Recorded before the verdict, so a failed check still leaves its counts behind.

# %%
well_formed = record("well_formed", bool(results.loc[0, "passed"]))
counts_match = record("counts_match", bool(results[results.check.str.endswith(" count")].passed.all())
                      if root is not None else False)
checks_failed = record("checks_failed", int((~results.passed).sum()))
checks_passed = record("checks_passed", int(results.passed.sum()))

# %%
if checks_failed:
    raise AssertionError(f"{checks_failed} submission check(s) failed: "
                         + "; ".join(results[~results.passed].check))
print(f"All {checks_passed} checks passed: {path.name} is ready to upload.")

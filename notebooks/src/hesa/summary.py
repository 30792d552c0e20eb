# %% [markdown]
# # Run summary
#
# The last step of every run, whichever branch it took: one page saying what was produced for this
# reference period and what to do next. It is written to `<workdir>/summary.md`, which is short
# enough to paste into a ticket or an email (it holds no personal data).

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
run_id: str = "manual"  # the run this summary belongs to
errors: int = -1  # errors found by validation; -1 reads <workdir>/validation
warnings: int = -1  # warnings found by validation; -1 reads <workdir>/validation
extract_dir: str = ""  # the return dataset extract wrote; empty means <workdir>/extract
validation_dir: str = ""  # what validate wrote; empty means <workdir>/validation
xml_path: str = ""  # the submission build_xml wrote, if it ran; empty means any XML in <workdir>/submission

# %% include: record

# %%
import json
from pathlib import Path

import pandas as pd

work = Path(workdir)
work.mkdir(parents=True, exist_ok=True)  # a resumed run may run this step alone, in a new folder
manifest = json.loads((Path(extract_dir or work / "extract") / "manifest.json").read_text())
rules = pd.read_csv(Path(validation_dir or work / "validation") / "rule_summary.csv")
if errors < 0:
    errors = int(rules[rules.severity == "Error"].failures.sum())
if warnings < 0:
    warnings = int(rules[rules.severity == "Warning"].failures.sum())
submission = ([Path(xml_path)] if xml_path else sorted((work / "submission").glob("*.xml"))) if errors == 0 else []
check_file = submission[0].parent / "check.json" if submission else None  # check_xml writes it beside the XML

# %% [markdown]
# ## Outcome
#
# With no errors the run built and checked the XML; otherwise it produced an error report.

# %%
period = f"{manifest['year']}/{str(manifest['year'] + 1)[2:]} {manifest['period']}"
lines = [f"# HESA Data Futures return — University of Poppleton — {period} (synthetic)", "",
         f"Run `{run_id}`. Students: {manifest['rows']['student']}, engagements: "
         f"{manifest['rows']['engagement']}, sessions: {manifest['rows']['student_course_session']}.",
         f"Validation: **{errors} errors**, {warnings} warnings ({len(rules)} rules).", ""]
if errors == 0 and submission:
    checks = json.loads(check_file.read_text()) if check_file.exists() else []
    passed = sum(c["passed"] for c in checks)
    outcome = "ready_to_submit"
    lines += [f"Submission file `{submission[0].name}` built; {passed}/{len(checks)} checks passed.",
              "Next: review the warnings, then upload the file to the HESA Data Platform."]
else:
    outcome = "errors_to_fix"
    top = rules[(rules.severity == "Error") & (rules.failures > 0)].sort_values("failures", ascending=False)
    lines += ["No submission was built. Rules to fix first:", ""]
    lines += [f"- `{r.rule_id}`: {r.failures} records — {r.description}" for r in top.head(10).itertuples()]
    lines += ["", "Details: `report/error_report.html`."]
text = "\n".join(lines) + "\n"
(work / "summary.md").write_text(text)
print(text)

# %% [markdown]
# ## Outputs

# %%
outcome = record("outcome", outcome)
summary_path = record("summary_path", str((work / "summary.md").resolve()))

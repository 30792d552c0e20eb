# %% [markdown]
# # Validate the return against quality rules
#
# Before anything is submitted, the return dataset is checked against a set of HESA-style quality
# rules. Each rule has an identifier in HESA's `QR.STUDENT.<Entity>.<FIELD>.<nnn>` shape (the
# numbers here are this example's own, not HESA's), a severity, and a check that returns the
# records that break it:
#
# * **Error** rules must pass before the return can be built: required fields, valid codes,
#   ISO dates, the SID's structure and check digit, unique keys, referential integrity between
#   entities, and date order.
# * **Warning** rules flag records a person should look at, but that may be right: very old
#   students, a first session that starts after the engagement, a leaver whose last session ended
#   on another day, a completion without an award.
#
# The counts of failing records are this notebook's outputs: `errors > 0` sends the workflow to the
# error report, otherwise it goes on to build the submission XML.

# %% tags=["parameters"]
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)
extract_dir: str = ""  # the return dataset extract wrote; empty means <workdir>/extract
reference_path: str = ""  # the code lists load_reference_data stored; empty means <workdir>/reference/codelists.json

# %% include: record

# %%
import json
from pathlib import Path

import pandas as pd

extract_dir = Path(extract_dir or Path(workdir) / "extract")
out_dir = Path(workdir) / "validation"
out_dir.mkdir(parents=True, exist_ok=True)
manifest = json.loads((extract_dir / "manifest.json").read_text())
codes = json.loads(Path(reference_path or Path(workdir) / "reference" / "codelists.json").read_text())
CODES = {name: set(values) for name, values in codes["lists"].items()}
EXEMPT_QUALCAT = tuple(codes["sessionyear_exempt_qualcat_prefixes"])
UKPRN = manifest["provider"]["UKPRN"]
Y1 = manifest["year"]  # first year of the reporting period


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(extract_dir / f"{name}.csv", dtype=str, keep_default_na=False)


t = {name: read(name) for name in manifest["rows"]}
identity = read("identity")  # raw SIDs: used by the SID rules only, never displayed


def as_date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")


print(f"Validating {manifest['rows']['student']} students, {manifest['period']} {manifest['year']}")

# %% [markdown]
# ## How a rule is written
#
# A rule is a function that returns the failing rows of one table; `label` turns each row into a
# readable record reference that holds **no personal data**: students appear as the first 12
# hex digits of their `SID_HASH`.

# %%
RULES = []


def rule(rule_id: str, severity: str, description: str):
    def register(check):
        entity, field = rule_id.split(".")[2:4]
        RULES.append({"rule_id": rule_id, "severity": severity, "entity": entity, "field": field,
                      "description": description, "check": check})
        return check
    return register


def label(df: pd.DataFrame) -> pd.Series:
    if "SCSESSIONID" in df and "MODINSTID" in df:
        return "ModuleInstance " + df.MODINSTID
    if "SCSESSIONID" in df:
        return "SCS " + df.SCSESSIONID
    if "SID_HASH" in df:
        out = "SID#" + df.SID_HASH.str[:12]
        return out + " NUMHUS " + df.NUMHUS if "NUMHUS" in df else out
    for key in ("COURSEID", "MODID", "QUALID", "SESSIONYEARID"):
        if key in df:
            return f"{key} " + df[key]
    return pd.Series(df.index.astype(str), index=df.index)


def missing(df, field):
    return df[df[field].str.strip() == ""]


def bad_code(df, field, code_list, required=True):
    present = df[field] != ""
    return df[(present & ~df[field].isin(CODES[code_list])) | (~present if required else False)]


def dangling(df, field, target, target_field=None):
    present = df[field] != ""
    return df[present & ~df[field].isin(set(target[target_field or field]))]

# %% [markdown]
# ## Student and identifiers
#
# `SID` = 2-digit entry year + 8-digit UKPRN + 6-digit reference + check digit. The check digit
# is this example's **synthetic** definition, the same one the generator uses: weight the first
# 16 digits 3, 7, 1, 3, 7, 1, …; that weighted sum plus the check digit is a multiple of 10.

# %%
def check_digit_ok(sid: str) -> bool:
    weighted = sum(int(d) * (3, 7, 1)[i % 3] for i, d in enumerate(sid[:16]))
    return (weighted + int(sid[16])) % 10 == 0


student = t["student"]
sid17 = identity[identity.SID.str.fullmatch(r"\d{17}")]
rule("QR.STUDENT.Student.SID.001", "Error", "SID is present and has 17 digits")(
    lambda: identity[~identity.SID.str.fullmatch(r"\d{17}")])
rule("QR.STUDENT.Student.SID.002", "Error", "The SID's UKPRN segment is the provider's UKPRN")(
    lambda: sid17[sid17.SID.str[2:10] != UKPRN])
rule("QR.STUDENT.Student.SID.003", "Error", "The SID's check digit is valid (synthetic algorithm)")(
    lambda: sid17[~sid17.SID.map(check_digit_ok)])
rule("QR.STUDENT.Student.SID.004", "Error", "SID is unique")(
    lambda: student[student.SID_HASH.duplicated()])
rule("QR.STUDENT.Student.SID.005", "Error", "A Student has an Engagement and a StudentCourseSession")(
    lambda: student[~student.SID_HASH.isin(set(t["engagement"].SID_HASH))
                    | ~student.SID_HASH.isin(set(t["student_course_session"].SID_HASH))])
rule("QR.STUDENT.Student.SURNAME.001", "Error", "SURNAME is present")(lambda: missing(identity, "SURNAME"))
rule("QR.STUDENT.Student.SEXID.001", "Error", "SEXID is present and a valid code")(
    lambda: bad_code(student, "SEXID", "SEXID"))
rule("QR.STUDENT.Student.RELIGION.001", "Error", "RELIGION is present and a valid code")(
    lambda: bad_code(student, "RELIGION", "RELIGION"))


@rule("QR.STUDENT.Student.BIRTHDTE.001", "Error",
      f"BIRTHDTE is a date on or after 1906-11-01 and before {Y1 - 14}-08-01")
def birth_plausible():
    born = as_date(identity.BIRTHDTE)
    return identity[born.isna() | (born < "1906-11-01") | (born >= f"{Y1 - 14}-08-01")]


@rule("QR.STUDENT.Student.BIRTHDTE.002", "Warning", f"BIRTHDTE is after {Y1 - 70}-07-31 (a student over 70 is unusual)")
def birth_over_70():
    born = as_date(identity.BIRTHDTE)
    return identity[born.notna() & (born <= f"{Y1 - 70}-07-31")]

# %% [markdown]
# ## Engagement and Leaver
#
# The unique student number (USN = UKPRN + SID + NUMHUS) must be unique within the collection.

# %%
eng, leaver = t["engagement"], t["leaver"]
rule("QR.STUDENT.Engagement.NUMHUS.001", "Error", "USN (UKPRN+SID+NUMHUS) is unique")(
    lambda: eng[eng.duplicated(["SID_HASH", "NUMHUS"])])
rule("QR.STUDENT.Engagement.NUMHUS.002", "Error", "NUMHUS has 1 to 50 characters")(
    lambda: eng[~eng.NUMHUS.str.len().between(1, 50)])
rule("QR.STUDENT.Engagement.ENGSTARTDATE.001", "Error", "ENGSTARTDATE is present")(
    lambda: missing(eng, "ENGSTARTDATE"))
rule("QR.STUDENT.Engagement.SID.001", "Error", "An Engagement belongs to a Student")(
    lambda: dangling(eng, "SID_HASH", student))
rule("QR.STUDENT.Engagement.FEEELIG.001", "Error", "FEEELIG is a valid code")(
    lambda: bad_code(eng, "FEEELIG", "FEEELIG", required=False))


@rule("QR.STUDENT.Engagement.ENGEXPECTEDENDDATE.001", "Error", "ENGEXPECTEDENDDATE is not before ENGSTARTDATE")
def expected_end_order():
    return eng[as_date(eng.ENGEXPECTEDENDDATE) < as_date(eng.ENGSTARTDATE)]


rule("QR.STUDENT.Leaver.RSNENGEND.001", "Error", "RSNENGEND is present and a valid code")(
    lambda: bad_code(leaver, "RSNENGEND", "RSNENGEND"))
rule("QR.STUDENT.Leaver.ENGENDDATE.001", "Error", "ENGENDDATE is present")(lambda: missing(leaver, "ENGENDDATE"))


@rule("QR.STUDENT.Leaver.ENGENDDATE.002", "Error", "ENGENDDATE is not before the Engagement's ENGSTARTDATE")
def leaver_order():
    both = leaver.merge(eng.drop_duplicates(["SID_HASH", "NUMHUS"]), on=["SID_HASH", "NUMHUS"], how="left")
    return both[as_date(both.ENGENDDATE) < as_date(both.ENGSTARTDATE)]


rule("QR.STUDENT.Leaver.SID.001", "Error", "A Leaver belongs to an Engagement")(
    lambda: leaver[~(leaver.SID_HASH + "/" + leaver.NUMHUS).isin(set(eng.SID_HASH + "/" + eng.NUMHUS))])

# %% [markdown]
# ## Student course sessions
#
# An SCS references a Course and (unless the course is fully flexible or the qualification is
# exempt, e.g. a research doctorate) a SessionYear; it lies within its SessionYear, lasts at most
# a year, ends after it starts, and does not overlap the engagement's other sessions.

# %%
scs = t["student_course_session"]
sy = t["session_year"]
course = t["course"].merge(t["qualification"][["QUALID", "QUALCAT"]], on="QUALID", how="left")
scs_start, scs_end = as_date(scs.SCSSTARTDATE), as_date(scs.SCSENDDATE)
rule("QR.STUDENT.StudentCourseSession.COURSEID.001", "Error", "COURSEID references a Course")(
    lambda: dangling(scs, "COURSEID", course))
rule("QR.STUDENT.StudentCourseSession.SESSIONYEARID.001", "Error", "SESSIONYEARID references a SessionYear")(
    lambda: dangling(scs, "SESSIONYEARID", sy))


@rule("QR.STUDENT.StudentCourseSession.SESSIONYEARID.002", "Error",
      "SESSIONYEARID is present unless the course is FULLYFLEX or its QUALCAT is exempt")
def sessionyear_required():
    c = scs.merge(course[["COURSEID", "FULLYFLEX", "QUALCAT"]], on="COURSEID", how="left")
    exempt = (c.FULLYFLEX == "01") | c.QUALCAT.fillna("").str.startswith(EXEMPT_QUALCAT)
    return scs[((c.SESSIONYEARID == "") & ~exempt).to_numpy()]


rule("QR.STUDENT.StudentCourseSession.SCSSTARTDATE.001", "Error", "SCSSTARTDATE is present")(
    lambda: missing(scs, "SCSSTARTDATE"))
rule("QR.STUDENT.StudentCourseSession.SCSENDDATE.001", "Error", "SCSENDDATE is not before SCSSTARTDATE")(
    lambda: scs[scs_end < scs_start])
rule("QR.STUDENT.StudentCourseSession.SCSENDDATE.002", "Error", "A session lasts at most one year (366 days)")(
    lambda: scs[(scs_end - scs_start).dt.days > 366])


@rule("QR.STUDENT.StudentCourseSession.SCSSTARTDATE.002", "Error", "The session lies within its SessionYear")
def within_session_year():
    years = scs[["SESSIONYEARID"]].merge(sy, on="SESSIONYEARID", how="left")
    y_start, y_end = as_date(years.SYSTARTDATE).to_numpy(), as_date(years.SYENDDATE).to_numpy()
    outside = (scs_start.to_numpy() < y_start) | (scs_start.to_numpy() > y_end) | (scs_end.to_numpy() > y_end)
    return scs[outside & (scs.SESSIONYEARID != "").to_numpy()]


@rule("QR.STUDENT.StudentCourseSession.SCSSTARTDATE.003", "Error", "An engagement's sessions do not overlap")
def no_overlap():
    s = scs.assign(start=scs_start, end=scs_end).sort_values(["SID_HASH", "NUMHUS", "start"])
    previous_end = s.groupby(["SID_HASH", "NUMHUS"]).end.shift()
    has_previous = s.duplicated(["SID_HASH", "NUMHUS"])
    return s[has_previous & (previous_end.isna() | (s.start <= previous_end))].drop(columns=["start", "end"])


rule("QR.STUDENT.StudentCourseSession.SCSMODE.001", "Error", "SCSMODE is a valid code")(
    lambda: bad_code(scs, "SCSMODE", "SCSMODE"))
rule("QR.STUDENT.StudentCourseSession.RSNSCSEND.001", "Error", "RSNSCSEND is a valid code when present")(
    lambda: bad_code(scs, "RSNSCSEND", "RSNSCSEND", required=False))
rule("QR.STUDENT.StudentCourseSession.SID.001", "Error", "A session belongs to an Engagement")(
    lambda: scs[~(scs.SID_HASH + "/" + scs.NUMHUS).isin(set(eng.SID_HASH + "/" + eng.NUMHUS))])
rule("QR.STUDENT.ReferencePeriodStudentLoad.REFPERIOD.001", "Error",
     f"REFPERIOD is a valid code and the collection's period ({manifest['refperiod']})")(
    lambda: scs[~scs.REFPERIOD.isin(CODES["REFPERIOD"]) | (scs.REFPERIOD != manifest["refperiod"])])

# %% [markdown]
# ## Module instances and reference tables

# %%
mi = t["module_instance"]
rule("QR.STUDENT.ModuleInstance.MODID.001", "Error", "MODID references a Module")(
    lambda: dangling(mi, "MODID", t["module"]))
rule("QR.STUDENT.ModuleInstance.SCSESSIONID.001", "Error", "A module instance belongs to a session")(
    lambda: dangling(mi, "SCSESSIONID", scs))
rule("QR.STUDENT.ModuleInstance.MODULEOUTCOME.001", "Error", "MODULEOUTCOME is a valid code")(
    lambda: bad_code(mi, "MODULEOUTCOME", "MODULEOUTCOME"))


@rule("QR.STUDENT.ModuleInstance.MODINSTSTARTDATE.001", "Error",
      "A module instance lies within its session (sessions with valid dates only)")
def module_within_session():
    parent = scs.assign(s=scs_start, e=scs_end)
    parent = parent[parent.s.notna() & ~(parent.e < parent.s)][["SCSESSIONID", "s", "e"]]
    m = mi.merge(parent, on="SCSESSIONID", how="inner")
    outside = (as_date(m.MODINSTSTARTDATE) < m.s) | (m.e.notna() & (as_date(m.MODINSTENDDATE) > m.e))
    return m[outside].drop(columns=["s", "e"])


rule("QR.STUDENT.Course.COURSEID.001", "Error", "COURSEID is unique")(
    lambda: t["course"][t["course"].COURSEID.duplicated()])
rule("QR.STUDENT.Course.QUALID.001", "Error", "QUALID references a Qualification")(
    lambda: dangling(t["course"], "QUALID", t["qualification"]))
rule("QR.STUDENT.Qualification.QUALID.001", "Error", "QUALID is unique")(
    lambda: t["qualification"][t["qualification"].QUALID.duplicated()])
rule("QR.STUDENT.SessionYear.SESSIONYEARID.001", "Error", "SESSIONYEARID is unique")(
    lambda: sy[sy.SESSIONYEARID.duplicated()])


@rule("QR.STUDENT.All.DATEFORMAT.001", "Error", "Dates are ISO 8601 (YYYY-MM-DD)")
def iso_dates():
    bad = []
    for name, df in t.items():
        for col in [c for c in df.columns if c.endswith("DATE") or c == "BIRTHDTE"]:
            wrong = df[(df[col] != "") & as_date(df[col]).isna()]
            bad.append(pd.DataFrame({"record": f"{name}." + col + " row " + wrong.index.astype(str)}))
    return pd.concat(bad, ignore_index=True) if bad else pd.DataFrame({"record": []})

# %% [markdown]
# ## Warnings: consistency a person should review

# %%
first_scs = scs.assign(s=scs_start, e=scs_end).sort_values("s").groupby(["SID_HASH", "NUMHUS"])


@rule("QR.STUDENT.Engagement.ENGSTARTDATE.002", "Warning",
      "The first SCSSTARTDATE equals ENGSTARTDATE (engagements starting this year)")
def first_session_starts_engagement():
    e = eng.merge(first_scs.s.min().reset_index(), on=["SID_HASH", "NUMHUS"], how="inner")
    started = as_date(e.ENGSTARTDATE)
    return e[(started >= f"{Y1}-08-01") & (started != e.s)]


@rule("QR.STUDENT.Leaver.ENGENDDATE.003", "Warning", "The last SCSENDDATE equals the Leaver's ENGENDDATE")
def last_session_ends_engagement():
    last = first_scs.e.max().reset_index()
    lv = leaver.merge(last, on=["SID_HASH", "NUMHUS"], how="inner")
    return lv[as_date(lv.ENGENDDATE) != lv.e]


rule("QR.STUDENT.Leaver.RSNENGEND.002", "Warning", "RSNENGEND 01 (completed) comes with a QualificationAwarded")(
    lambda: leaver[(leaver.RSNENGEND == "01") & ~(leaver.SID_HASH + "/" + leaver.NUMHUS).isin(
        set(t["qualification_awarded"].SID_HASH + "/" + t["qualification_awarded"].NUMHUS))])

# %% [markdown]
# ## Run every rule

# %%
issues, summary = [], []
for r in RULES:
    failing = r["check"]()
    records = failing["record"] if "record" in failing else label(failing)
    summary.append({k: r[k] for k in ("rule_id", "severity", "entity", "field", "description")}
                   | {"failures": int(len(failing))})
    issues.append(pd.DataFrame({"rule_id": r["rule_id"], "severity": r["severity"], "record": records.to_numpy()}))
summary = pd.DataFrame(summary)
issues = pd.concat(issues, ignore_index=True)
summary.to_csv(out_dir / "rule_summary.csv", index=False)
issues.to_csv(out_dir / "issues.csv", index=False)
failed = summary[summary.failures > 0].sort_values(["severity", "failures"], ascending=[True, False])
failed[["rule_id", "severity", "failures", "description"]] if len(failed) else "Every rule passed."

# %% [markdown]
# ## Outputs
#
# `errors` and `warnings` count failing records; `rules_failed` counts error rules with at least
# one failure.

# %%
by_severity = summary.groupby("severity").failures.sum()
errors = record("errors", int(by_severity.get("Error", 0)))
warnings = record("warnings", int(by_severity.get("Warning", 0)))
rules_failed = record("rules_failed", int(((summary.severity == "Error") & (summary.failures > 0)).sum()))
rules_checked = record("rules_checked", int(len(summary)))
issues_path = record("issues_path", str((out_dir / "issues.csv").resolve()))
validation_dir = record("validation_dir", str(out_dir.resolve()))
print(f"{errors} errors, {warnings} warnings from {rules_checked} rules")

# %% [markdown]
# # Generate synthetic student records
#
# This notebook creates the **student record system snapshot** that the rest of the HESA
# Data Futures workflow works on: a few thousand students of the fictitious *University of
# Poppleton* (UKPRN `10000000`, the provider HESA uses in its own examples), with their
# engagements, student course sessions (SCS), module instances and leavers, as known at the
# end of the chosen reference period.
#
# **Everything here is made up.** Names come from short fixed lists, every record carries
# `SYNTHETIC = Y`, and no real person's data is read or written. The same `seed` always gives
# the same students.
#
# With `inject_errors=True` the notebook plants a known set of defects (bad check digits,
# orphan course references, duplicate engagements, …) so that validation fails on purpose and
# the workflow takes its error-report branch. The number of planted defects is recorded as the
# output `injected_errors`: validation should find exactly that many errors.

# %% tags=["parameters"]
seed: int = 42  # random seed: the same seed gives the same students
students: int = 3000  # number of students in the snapshot
year: int = 2025  # first calendar year of the academic year (2025 means 2025/26)
period: str = "P1"  # reference period: P1 (1 Aug-15 Nov), P2 (16 Nov-15 Mar) or P3 (16 Mar-31 Jul)
inject_errors: bool = False  # plant known defects so that validation fails on purpose
workdir: str = "work"  # folder shared by the workflow's notebooks (relative to the notebook's folder)

# %% include: record

# %% [markdown]
# ## Set-up
#
# The reference periods are simulated: HESA currently runs Data Futures as an annual collection
# (`REFPERIOD` 01 only), so the three in-year windows below follow the split used by an
# open-source generator, and are only a stand-in. The snapshot contains what the student record
# system would know on the last day of the period.

# %%
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

UKPRN = "10000000"  # University of Poppleton (fictitious)
PERIODS = {
    "P1": ("01", date(year, 8, 1), date(year, 11, 15)),
    "P2": ("02", date(year, 11, 16), date(year + 1, 3, 15)),
    "P3": ("03", date(year + 1, 3, 16), date(year + 1, 7, 31)),
}
if period not in PERIODS:
    raise ValueError(f"period must be one of {sorted(PERIODS)}, got {period!r}")
if students < 1:
    raise ValueError("students must be at least 1")
REFPERIOD, PERIOD_START, PERIOD_END = PERIODS[period]

raw_dir = Path(workdir) / "raw"
raw_dir.mkdir(parents=True, exist_ok=True)
rng = random.Random(seed)
print(f"Snapshot of {year}/{str(year + 1)[2:]} {period} (REFPERIOD {REFPERIOD}), ending {PERIOD_END}")

# %% [markdown]
# ## Student identifiers
#
# A HESA `SID` has 17 digits: the 2-digit entry year, the 8-digit UKPRN, a 6-digit provider
# reference and a check digit. HESA's real check-digit weights are not public in our brief, so
# this example defines its own **synthetic** check digit: weight the first 16 digits 3, 7, 1,
# 3, 7, 1, … and choose the digit that, added to the weighted sum, makes a multiple of 10.
# Validation uses the same definition.

# %%
SID_WEIGHTS = (3, 7, 1)


def sid_check_digit(first16: str) -> str:
    """Synthetic check digit (not HESA's): weights 3,7,1 repeated, sum padded to a multiple of 10."""
    total = sum(int(d) * SID_WEIGHTS[i % 3] for i, d in enumerate(first16))
    return str((10 - total % 10) % 10)


def make_sid(entry_year: int, reference: int, ukprn: str = UKPRN) -> str:
    first16 = f"{entry_year % 100:02d}{ukprn}{reference:06d}"
    return first16 + sid_check_digit(first16)


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""

# %% [markdown]
# ## Courses, modules, qualifications and session years
#
# Poppleton offers honours degrees, taught masters, doctorates and HNCs in eight subjects. A
# `SessionYear` is a planned year of a course: September starters and (from P2) January
# starters. Doctorates are exempt from `SESSIONYEARID` (their `QUALCAT` starts with `D`).

# %%
SUBJECTS = {"CS": "Computer Science", "HI": "History", "MA": "Mathematics", "NU": "Nursing",
            "EC": "Economics", "PH": "Physics", "EN": "English", "LA": "Law"}
QUALS = {  # QUALID: (QUALCAT, title, years, share of students)
    "Q-BSC": ("H11", "BSc (Hons)", 3, 0.70),
    "Q-MSC": ("M22", "MSc", 1, 0.15),
    "Q-PHD": ("D00", "PhD", 3, 0.05),
    "Q-HNC": ("C20", "HNC", 1, 0.10),
}
qualifications = pd.DataFrame(
    [{"QUALID": q, "QUALCAT": cat, "QUALTITLE": title, "SYNTHETIC": "Y"} for q, (cat, title, _, _) in QUALS.items()])
courses = pd.DataFrame([
    {"COURSEID": f"PUC-{s}-{q[2:]}", "COURSETITLE": f"{QUALS[q][1]} {name}", "QUALID": q,
     "FULLYFLEX": "00", "SYNTHETIC": "Y"}
    for s, name in SUBJECTS.items() for q in QUALS])
modules = pd.DataFrame([
    {"MODID": f"{s}{level}{n:03d}", "MTITLE": f"{name} {level}.{n}", "CRDTPTS": 20, "LEVLPTS": level,
     "FTE": 16.7, "SYNTHETIC": "Y"}
    for s, name in SUBJECTS.items() for level in (4, 5, 6, 7) for n in range(1, 7)])

sy_sept = ("SY-%d-SEP" % year, date(year, 9, 22), date(year + 1, 9, 21))
sy_jan = ("SY-%d-JAN" % year, date(year + 1, 1, 12), date(year + 2, 1, 11))
january_open = PERIOD_END >= sy_jan[1]
session_years = pd.DataFrame([
    {"SESSIONYEARID": sid, "SYSTARTDATE": iso(start), "SYENDDATE": iso(end), "SYNTHETIC": "Y"}
    for sid, start, end in ([sy_sept, sy_jan] if january_open else [sy_sept])])
qualifications

# %% [markdown]
# ## Students, engagements and course sessions
#
# Each student has one engagement (`NUMHUS`, usually `1`) and one student course session for
# this year; about 2% transferred to another course in October, which gives them two
# non-overlapping sessions. About 6% left during the period (a `Leaver` with `RSNENGEND`), and in
# P3 the final-year students complete in June with a `QualificationAwarded`.
#
# A few records are *legitimately* unusual and show up as **warnings** (not errors) in
# validation: a handful of mature students over 70, sessions starting a week after the
# engagement, and leavers whose last session ended a few days before the engagement.

# %%
SURNAMES = ["Ashdown", "Barraclough", "Cheung", "Dlamini", "Evans", "Fairweather",
            "Gupta", "Hughes", "Iqbal", "Jones", "Kowalski", "Lindqvist", "Mensah", "Nakamura",
            "Okafor", "Patel", "Quinn", "Rossi", "Singh", "Thompson", "Umeh", "Vasquez", "Wright"]
FORENAMES = ["Ada", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hamza", "Isla", "Jack",
             "Kemi", "Leo", "Maya", "Nia", "Omar", "Priya", "Rory", "Sofia", "Tom", "Yusuf", "Zara"]
NATIONS = ["GB"] * 16 + ["IE", "IN", "CN", "NG", "US", "DE", "MY", "PK"]

student_rows, engagement_rows, scs_rows, mi_rows, leaver_rows, award_rows = [], [], [], [], [], []
mods_by = modules.groupby(modules.MODID.str[:3]).MODID.apply(list).to_dict()  # "CS4" -> MODIDs
qual_ids, qual_weights = list(QUALS), [v[3] for v in QUALS.values()]


def add_modules(scs_id, subject, level, start, end, ended):
    """Module instances of one session, clipped to the session and to the snapshot date."""
    blocks = [(start, start + timedelta(days=100)), (start + timedelta(days=119), start + timedelta(days=249))]
    picks = rng.sample(mods_by[f"{subject}{level}"], 6)
    for k, modid in enumerate(picks[: rng.randint(4, 6)]):
        m_start, m_end = blocks[k % 2]
        if m_start > PERIOD_END or (ended and m_start > end):
            continue
        if ended:
            m_end = min(m_end, end)
        outcome = ("01" if rng.random() < 0.93 else "02") if m_end <= PERIOD_END else "04"
        mi_rows.append({"SCSESSIONID": scs_id, "MODINSTID": f"{scs_id}-{k + 1}", "MODID": modid,
                        "MODINSTSTARTDATE": iso(m_start), "MODINSTENDDATE": iso(m_end),
                        "MODULEOUTCOME": outcome, "SYNTHETIC": "Y"})


for i in range(students):
    qual = rng.choices(qual_ids, qual_weights)[0]
    qualcat, _, years, _ = QUALS[qual]
    subject = rng.choice(list(SUBJECTS))
    course_year = rng.randint(1, years)
    january = january_open and course_year == 1 and qual in ("Q-BSC", "Q-MSC") and rng.random() < 0.12
    sy_id, sy_start, sy_end = sy_jan if january else sy_sept
    entry_year = year - (course_year - 1)
    eng_start = sy_start.replace(year=sy_start.year - (course_year - 1))
    age = {"Q-BSC": 18, "Q-HNC": 19, "Q-MSC": 22, "Q-PHD": 24}[qual] + min(int(rng.expovariate(0.25)), 30)
    if rng.random() < 0.002:
        age = rng.randint(72, 78)  # a mature student: a warning, not an error
    birth = date(entry_year - age, rng.randint(1, 12), rng.randint(1, 28))
    sid = make_sid(entry_year, 100000 + i)
    student_rows.append({
        "SID": sid, "OWNSTU": f"P{entry_year}{i:05d}", "SURNAME": rng.choice(SURNAMES),
        "FNAMES": rng.choice(FORENAMES), "BIRTHDTE": iso(birth),
        "SEXID": rng.choices(["10", "11", "12", "96", "99"], [50, 46, 2, 1, 1])[0],
        "ETHNIC": rng.choice(["100", "120", "140", "160", "160", "160", "180", "997"]),
        "RELIGION": rng.choice(["01", "01", "01", "02", "03", "03", "06", "07", "08", "09", "80", "98"]),
        "NATION": rng.choice(NATIONS), "SYNTHETIC": "Y"})
    numhus = "2" if rng.random() < 0.05 else "1"
    engagement_rows.append({
        "SID": sid, "NUMHUS": numhus, "ENGSTARTDATE": iso(eng_start),
        "ENGEXPECTEDENDDATE": iso(date(entry_year + years, 6, 30)),
        "FEEELIG": "01" if student_rows[-1]["NATION"] in ("GB", "IE") else rng.choice(["02", "03"]),
        "SYNTHETIC": "Y"})

    # This year's course session(s); doctorates have no SessionYear.
    course_id = f"PUC-{subject}-{qual[2:]}"
    has_sy = qual != "Q-PHD"
    scs_start = sy_start
    if course_year == 1 and rng.random() < 0.01:
        scs_start = sy_start + timedelta(days=7)  # starts after the engagement: a warning
    mode = "31" if rng.random() < 0.08 else "01"
    sessions = [[f"SCS{year}{i:06d}", course_id, scs_start, None, ""]]
    if has_sy and not january and rng.random() < 0.02:  # transferred to another course in October
        other = rng.choice([s for s in SUBJECTS if s != subject])
        sessions[0][3], sessions[0][4] = date(year, 10, 31), "03"
        sessions.append([f"SCS{year}{i:06d}B", f"PUC-{other}-{qual[2:]}", date(year, 11, 1), None, ""])
    leaving = None
    if rng.random() < 0.06:
        left_on = sessions[-1][2] + timedelta(days=rng.randint(14, 240))
        if left_on <= PERIOD_END:
            leaving = (left_on, rng.choices(["11", "03", "98"], [80, 15, 5])[0])
    elif period == "P3" and course_year == years and qual in ("Q-BSC", "Q-HNC"):
        leaving = (date(year + 1, 6, 30), "01")  # completed: awarded in June
    if leaving:
        end = leaving[0]
        if rng.random() < 0.01:
            end -= timedelta(days=3)  # last session ends before the engagement: a warning
        sessions[-1][3], sessions[-1][4] = end, "04" if leaving[1] == "01" else "01"
        leaver_rows.append({"SID": sid, "NUMHUS": numhus, "ENGENDDATE": iso(leaving[0]),
                            "RSNENGEND": leaving[1], "SYNTHETIC": "Y"})
        if leaving[1] == "01" and rng.random() > 0.02:  # 2% lack their award: a warning
            award_rows.append({"SID": sid, "NUMHUS": numhus, "QUALAWARDID": f"QA{year}{i:06d}",
                               "QUALID": qual, "QUALRESULT": rng.choice(["01", "02", "03", "08"]),
                               "SYNTHETIC": "Y"})
    level = {"Q-BSC": 3 + course_year, "Q-HNC": 4, "Q-MSC": 7, "Q-PHD": 7}[qual]
    for scs_id, c_id, start, end, reason in sessions:
        scs_rows.append({
            "SID": sid, "NUMHUS": numhus, "SCSESSIONID": scs_id, "COURSEID": c_id,
            "SESSIONYEARID": sy_id if has_sy else "", "SCSSTARTDATE": iso(start), "SCSENDDATE": iso(end),
            "SCSMODE": mode, "RSNSCSEND": reason,
            "SCSFEEAMOUNT": 9535 if engagement_rows[-1]["FEEELIG"] == "01" else 18500,
            "REFPERIOD": REFPERIOD, "YEAR": year, "RPSTULOAD": 50 if mode == "31" else 100, "SYNTHETIC": "Y"})
        if qual != "Q-PHD":
            add_modules(scs_id, c_id.split("-")[1], level, start, end, end is not None)

tables = {
    "students": pd.DataFrame(student_rows), "engagements": pd.DataFrame(engagement_rows),
    "scs": pd.DataFrame(scs_rows), "module_instances": pd.DataFrame(mi_rows),
    "leavers": pd.DataFrame(leaver_rows, columns=["SID", "NUMHUS", "ENGENDDATE", "RSNENGEND", "SYNTHETIC"]),
    "qualifications_awarded": pd.DataFrame(
        award_rows, columns=["SID", "NUMHUS", "QUALAWARDID", "QUALID", "QUALRESULT", "SYNTHETIC"]),
    "courses": courses, "modules": modules, "qualifications": qualifications, "session_years": session_years,
}
pd.DataFrame({name: [len(df)] for name, df in tables.items()}, index=["rows"]).T

# %% [markdown]
# ## Planting defects (only with `inject_errors=True`)
#
# Each planted defect breaks exactly one error rule, on records chosen so that defects do not
# interact: validation should then report exactly `injected_errors` errors. The defects are drawn
# with their own random generator, so the rest of the snapshot is the same as without them.

# %%
injected: dict[str, int] = {}
if inject_errors:
    bad = random.Random(seed + 1)
    students_df, eng, scs, mi, leavers = (tables[k] for k in ("students", "engagements", "scs", "module_instances", "leavers"))
    single = scs.groupby("SID").SCSESSIONID.transform("count") == 1
    quiet = set(scs[single & (scs.SCSENDDATE == "") & (scs.SESSIONYEARID != "")].SID)
    quiet -= set(leavers.SID)
    quiet &= set(mi.SCSESSIONID.map(dict(zip(scs.SCSESSIONID, scs.SID))))
    pool = sorted(quiet)
    bad.shuffle(pool)

    def take(n):
        return [pool.pop() for _ in range(min(n, len(pool)))]

    def replace_sid(old, new):
        for name in ("students", "engagements", "scs", "leavers", "qualifications_awarded"):
            df = tables[name]
            df.loc[df.SID == old, "SID"] = new

    for sid in take(3):  # wrong check digit
        replace_sid(sid, sid[:16] + str((int(sid[16]) + 1) % 10))
        injected["bad SID check digit"] = injected.get("bad SID check digit", 0) + 1
    for sid in take(2):  # another provider's UKPRN inside the SID (check digit recomputed)
        replace_sid(sid, make_sid(int(sid[:2]), int(sid[10:16]), ukprn="10099999"))
        injected["SID from another UKPRN"] = injected.get("SID from another UKPRN", 0) + 1
    for sid in take(1):
        students_df.loc[students_df.SID == sid, "SURNAME"] = ""
        injected["missing SURNAME"] = 1
    for sid in take(2):
        students_df.loc[students_df.SID == sid, "BIRTHDTE"] = f"{year - 10}-05-01"
        injected["implausibly young (BIRTHDTE)"] = injected.get("implausibly young (BIRTHDTE)", 0) + 1
    for sid in take(4):
        eng.loc[eng.SID == sid, "ENGSTARTDATE"] = ""
        injected["missing ENGSTARTDATE"] = injected.get("missing ENGSTARTDATE", 0) + 1
    for sid in take(3):
        rows = scs.SID == sid
        start = date.fromisoformat(scs.loc[rows, "SCSSTARTDATE"].iloc[0])
        scs.loc[rows, ["SCSENDDATE", "RSNSCSEND"]] = [iso(start - timedelta(days=1)), "04"]
        injected["SCSENDDATE before SCSSTARTDATE"] = injected.get("SCSENDDATE before SCSSTARTDATE", 0) + 1
    for sid in take(2):
        scs.loc[scs.SID == sid, "COURSEID"] = "PUC-XX-UNKNOWN"
        injected["COURSEID not in Course"] = injected.get("COURSEID not in Course", 0) + 1
    dupes = take(2)
    if dupes:
        tables["engagements"] = eng = pd.concat([eng, eng[eng.SID.isin(dupes)]], ignore_index=True)
        injected["duplicate USN (engagement)"] = len(dupes)
    for sid in take(3):
        scs_id = scs.loc[scs.SID == sid, "SCSESSIONID"].iloc[0]
        first = mi.index[mi.SCSESSIONID == scs_id][0]
        mi.loc[first, "MODID"] = "ZZ9999"
        injected["MODID not in Module"] = injected.get("MODID not in Module", 0) + 1
    candidates = leavers.index[leavers.RSNENGEND != "01"].tolist()
    for idx in bad.sample(candidates, min(3, len(candidates))):
        leavers.loc[idx, "RSNENGEND"] = "07"
        injected["invalid RSNENGEND code"] = injected.get("invalid RSNENGEND code", 0) + 1

injected_total = sum(injected.values())
pd.Series(injected, name="planted defects", dtype="int64").to_frame() if injected else "No defects planted."

# %% [markdown]
# ## Write the snapshot
#
# One CSV per entity in `<workdir>/raw/`, plus `manifest.json` describing the snapshot. These
# files hold (synthetic) personal data: the next notebooks never print them.

# %%
for name, df in tables.items():
    df.to_csv(raw_dir / f"{name}.csv", index=False)
manifest = {"synthetic": True, "provider": {"UKPRN": UKPRN, "name": "University of Poppleton"},
            "seed": seed, "year": year, "period": period, "refperiod": REFPERIOD,
            "period_end": iso(PERIOD_END), "rows": {k: len(v) for k, v in tables.items()},
            "injected": injected}
(raw_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
print(f"Wrote {len(tables)} tables to {raw_dir}")

# %% [markdown]
# ## Outputs

# %%
students_generated = record("students_generated", int(len(tables["students"])))
engagements_generated = record("engagements_generated", int(len(tables["engagements"])))
injected_errors = record("injected_errors", int(injected_total))
raw_dir_path = record("raw_dir_path", str(raw_dir.resolve()))

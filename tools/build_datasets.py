#!/usr/bin/env python3
"""Builds IQL's bundled datasets from the raw published files in ../shared/data.

Usage: python3 tools/build_datasets.py [RAW_DIR]

Writes one Swift file per dataset under Sources/IQL/Data/Bundled/Generated/, each holding the
curated table as a CSV raw-string literal, so the `iql` binary carries its data with it and needs
no resource bundle at run time. Values are copied, never imputed: the script only selects rows and
columns, renames columns, maps council names and codes to one naming (see docs/datasets.md), and
turns suppression markers into empty cells. It fails loudly on anything it cannot map.
"""
import csv
import gzip
import io
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RAW = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Sources", "IQL", "Data", "Bundled", "Generated")
# Too large for a Swift literal: gzip-compressed, embedded by the assembler (.incbin).
BLOBS = os.path.join(ROOT, "Sources", "CBundledData")

SUPPRESSION = {"c", "x", "z", "low", "u", ":", "-", ".", ""}
OFFICIAL = "Ofsted official statistics"
D2I = "D2I report scrape (unofficial)"


def read(name):
    with open(os.path.join(RAW, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fail(msg):
    sys.exit("build_datasets: " + msg)


# MARK: - One council naming

REGION_9 = {"Inner London": "London", "Outer London": "London"}
REF = read("la_reference_153.csv")
COUNCILS = {}  # ONS code -> dict(authority, authority_code, region, ofsted_region, status)
for r in REF:
    COUNCILS[r["la_code_ons"]] = {
        "authority": r["la_name"],
        "authority_code": r["la_code_ons"],
        "region": REGION_9.get(r["region_name"], r["region_name"]),
        "ofsted_region": r["ofsted_region"],
        "status": "Current",
    }

# Councils abolished by reorganisation: their history rows stay, under their own codes.
NYE = "North East, Yorkshire and the Humber"
DEFUNCT = {
    "E06000028": ("Bournemouth", "South West", "South West"),
    "E06000029": ("Poole", "South West", "South West"),
    "E10000009": ("Dorset", "South West", "South West"),
    "E10000021": ("Northamptonshire", "East Midlands", "East Midlands"),
    "E10000006": ("Cumbria", "North West", "North West"),
}
for code, (name, region, oreg) in DEFUNCT.items():
    COUNCILS[code] = {"authority": name, "authority_code": code, "region": region,
                      "ofsted_region": oreg, "status": "No longer exists"}

# Councils that continued but whose ONS code changed with a boundary change.
RECODED = {
    "E10000023": "E06000065",  # North Yorkshire (unitary from 2023)
    "E10000027": "E06000066",  # Somerset (unitary from 2023)
    "E10000002": "E06000060",  # Buckinghamshire (unitary from 2020)
    "E08000020": "E08000037",  # Gateshead
    "E06000048": "E06000057",  # Northumberland
}

NAME_TO_CODE = {}
for r in REF:
    for n in (r["la_name"], r["la_name_dfe"]):
        NAME_TO_CODE[n.lower()] = r["la_code_ons"]
NAME_TO_CODE.update({
    "bedford borough": "E06000055",
    "kingston upon hull": "E06000010",
    "richmond upon thames": "E09000027",
    "southend on sea": "E06000033",
    "st helens": "E08000013",
})
CURRENT_BY_DFE = {r["la_code_dfe"]: r["la_code_ons"] for r in REF}


def council(code):
    code = RECODED.get(code, code)
    if code not in COUNCILS:
        fail("unknown council code " + code)
    return COUNCILS[code]


def council_by_name(name, defunct_ok=False):
    if defunct_ok:
        for code, (n, _, _) in DEFUNCT.items():
            if n == name:
                return COUNCILS[code]
    code = NAME_TO_CODE.get(name.lower())
    if code is None:
        for c, (n, _, _) in DEFUNCT.items():
            if n == name:
                return COUNCILS[c]
        fail("unknown council name " + repr(name))
    return COUNCILS[code]


def number(raw):
    raw = raw.strip()
    if raw.lower() in SUPPRESSION:
        return ""
    try:
        float(raw.replace(",", ""))
    except ValueError:
        fail("not a number: " + repr(raw))
    return raw.replace(",", "")


def rating(raw):
    raw = raw.strip()
    wording = {"outstanding": "Outstanding", "good": "Good",
               "requires improvement": "Requires improvement to be good",
               "requires improvement to be good": "Requires improvement to be good",
               "inadequate": "Inadequate"}
    if raw in ("", "-"):
        return ""
    if raw.lower() in wording:
        return wording[raw.lower()]
    return None  # the caller decides what a non-rating marker means


def strict_rating(raw):
    value = rating(raw)
    if value is None:
        fail("not a rating: " + repr(raw))
    return value


COUNCIL_COLS = ["authority", "authority_code", "region", "ofsted_region"]


def council_cols(c):
    return [c[k] for k in COUNCIL_COLS]


# MARK: - Writers

DATASETS = []


def emit(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        if len(row) != len(header):
            fail(name + ": row width")
        w.writerow(row)
    text = buf.getvalue()
    if '"""#' in text or "\\#" in text or "\r" in text:
        bad = next(k for k in ('"""#', "\\#", "\r") if k in text)
        fail("%s: text cannot be embedded as a raw string (%r near %r)" % (name, bad, text[max(0, text.find(bad) - 60):text.find(bad) + 10]))
    ident = "".join(p.capitalize() for p in name.split("_"))
    with open(os.path.join(OUT, ident + "CSV.swift"), "w", encoding="utf-8") as f:
        f.write("// Generated by tools/build_datasets.py from ../shared/data; do not edit.\n")
        f.write("// Provenance of every column: docs/datasets.md.\n\n")
        f.write("extension BundledCSV {\n")
        f.write("    static let %s = #\"\"\"\n%s\"\"\"#\n}\n" % (name, text))
    DATASETS.append((name, len(rows)))


# MARK: - authorities

def build_authorities():
    rows = []
    for r in sorted(REF, key=lambda r: r["la_name"]):
        c = COUNCILS[r["la_code_ons"]]
        rows.append(council_cols(c) + [r["la_name_dfe"], r["la_code_dfe"], r["region_code_ons"]
                    if r["region_name"] not in REGION_9 else "E12000007",
                    r["region_name"] if r["region_name"] in REGION_9 else "",
                    r["la_type"], r["ofsted_la_urn"]])
    emit("authorities", COUNCIL_COLS + ["authority_dfe", "dfe_code", "region_code",
         "london_subregion", "type", "ofsted_urn"], rows)


# MARK: - inspections

JUDGEMENTS = ["overall", "leaders", "help_and_protection", "children_in_care", "care_leavers",
              "adoption", "lscb", "safeguarding", "looked_after_children"]


def build_inspections():
    rows = []
    official_ilacs = read("ofsted_ilacs_inspections_2018_2025.csv")
    d2i = read("d2i_ilacs_scraped_report_history.csv")
    urn_to_code = {r["urn"]: r["la_code_new"] for r in read("d2i_la_lookup.csv")}
    d2i_by_start = {}
    for r in d2i:
        code = urn_to_code.get(r["urn"])
        if code and r["inspection_start_date"]:
            d2i_by_start[(RECODED.get(code, code), r["inspection_start_date"])] = r

    # Pre-ILACS history (publication dates only). Its ILACS rows are the first ILACS
    # inspections, which the official 2018-2025 ILACS table holds with inspection dates.
    long_rows = read("ofsted_la_inspections_2009_2023_long.csv")
    ilacs_keys = {(r["la_code_ons"], r["publication_date"][:7]) for r in official_ilacs}
    for r in long_rows:
        c = council_by_name(r["la_name"], defunct_ok=r["la_table"] == "pre_restructure")
        if r["framework"] == "ILACS":
            continue
        framework = r["framework"]
        for prefix in ("SLAC_REINSP",):
            if framework.startswith(prefix):
                framework = "SLAC"
        j = {
            "overall": r["overall_effectiveness"], "leaders": r["leadership"],
            "help_and_protection": r["help_and_protection"],
            "children_in_care": r["children_in_care"], "care_leavers": r["care_leavers"],
            "adoption": r["adoption"], "lscb": r["lscb"],
            "safeguarding": r["safeguarding_oe"], "looked_after_children": r["looked_after_children_oe"],
        }
        rows.append(council_cols(c) + [c["status"], framework, r["event"], "", "",
                    r["publication_date"]] + [strict_rating(j[k]) for k in JUDGEMENTS] + [OFFICIAL])
    long_ilacs = [r for r in long_rows if r["framework"] == "ILACS"]
    official_codes = {(r["la_code_ons"]) for r in official_ilacs}
    for r in long_ilacs:
        c = council_by_name(r["la_name"])
        if c["authority_code"] not in official_codes:
            fail("ILACS inspection missing from the official table: " + r["la_name"])

    seen = set()
    for r in official_ilacs:
        c = council(r["la_code_ons"])
        key = (c["authority_code"], r["inspection_date"])
        if key in seen:
            fail("duplicate ILACS inspection " + str(key))
        seen.add(key)
        scrape = d2i_by_start.get(key)
        ended = scrape["inspection_end_date"] if scrape else ""
        j = {"overall": r["overall_effectiveness"], "leaders": r["impact_of_leaders"],
             "help_and_protection": r["help_and_protection"],
             "children_in_care": r["children_in_care"], "care_leavers": r["care_leavers"]}
        rows.append(council_cols(c) + [c["status"], "ILACS", r["inspection_type"],
                    r["inspection_date"], ended, r["publication_date"]]
                    + [strict_rating(j.get(k, "")) for k in JUDGEMENTS] + [OFFICIAL])

    # Inspections after Ofsted's official table ends exist only in the D2I scrape.
    last_official = max(r["inspection_date"] for r in official_ilacs)
    for key, r in sorted(d2i_by_start.items()):
        if key in seen or r["inspection_start_date"] <= last_official:
            continue
        c = council(key[0])
        grades = [r["overall_effectiveness_grade"], r["impact_of_leaders_grade"],
                  r["help_and_protection_grade"], r["in_care_grade"], r["care_leavers_grade"]]
        grades = [rating(g) if rating(g) is not None else "" for g in grades]
        kind = {"short": "ILACS Short Inspection", "standard": "ILACS Standard Inspection"}
        rows.append(council_cols(c) + [c["status"], "ILACS", kind[r["inspection_framework"]],
                    r["inspection_start_date"], r["inspection_end_date"], r["publication_date"]]
                    + grades + ["", "", "", ""] + [D2I])

    rows.sort(key=lambda x: (x[0], x[9] or "", x[7] or ""))
    emit("inspections", COUNCIL_COLS + ["status", "framework", "type", "inspected", "ended",
         "published"] + JUDGEMENTS + ["source"], rows)


# MARK: - visits

def build_visits():
    rows = []
    for name, year in (("ofsted_la_inyear_activity_2022_23.csv", "2022-23"),
                       ("ofsted_la_inyear_activity_2024_25.csv", "2024-25")):
        for r in read(name):
            if r["inspection_type"] not in ("ILACS Focused Visit", "LA Monitoring visit"):
                continue
            c = council(r["la_code_ons"]) if r.get("la_code_ons") else council_by_name(r["la_name"])
            kind = "Focused visit" if "Focused" in r["inspection_type"] else "Monitoring visit"
            rows.append(council_cols(c) + [kind, r["visit_theme"], r["inspection_date"],
                        r.get("publication_date", ""), year])
    rows.sort(key=lambda x: (x[0], x[6]))
    emit("visits", COUNCIL_COLS + ["type", "theme", "visited", "published", "reporting_year"], rows)


# MARK: - DfE yearly statistics

def ees_rows(name, fields):
    rows = []
    seen = set()
    for r in read(name):
        if r["geographic_level"] != "Local authority":
            continue
        c = council(r["new_la_code"])
        key = (r["time_period"], c["authority_code"])
        if key in seen:
            fail(name + ": two rows for " + str(key))
        seen.add(key)
        rows.append([r["time_period"]] + council_cols(c) + [number(r[f]) for f in fields])
    rows.sort(key=lambda x: (x[1], int(x[0])))
    return rows


def build_children_in_care():
    rows = []
    for r in read("dfe_cla_at_31_march_by_la_2010_2025.csv"):
        c = council(r["la_code_ons"])
        rows.append([r["year"]] + council_cols(c) + [number(r["cla_31_march"]),
                    number(r["rate_per_10000"]), r["source"]])
    rows.sort(key=lambda x: (x[1], int(x[0])))
    emit("children_in_care", ["year"] + COUNCIL_COLS + ["children", "rate_per_10k", "source"], rows)


def build_yearly():
    emit("children_in_need", ["year"] + COUNCIL_COLS + ["children", "episodes_in_year",
         "started", "ended", "awaiting_assessment"],
         ees_rows("dfe_children_in_need_2013_2025.csv",
                  ["At31_episodes", "Anypoint_episodes", "Started_episodes", "Ended_episodes",
                   "awaiting_assessment"]))
    emit("child_protection_plans", ["year"] + COUNCIL_COLS + ["children", "three_months_or_less",
         "over_three_to_six_months", "over_six_months_to_a_year", "one_to_two_years",
         "two_years_or_more"],
         ees_rows("dfe_child_protection_plans_2013_2025.csv",
                  ["CPP_At31", "3_months_or_less", "more_than_3_months_6_months",
                   "more_than_6_months_less_than_1_year", "1_year_less_than_2_years",
                   "2_years_or_more"]))
    emit("referrals", ["year"] + COUNCIL_COLS + ["referrals", "rereferrals", "rereferral_percent",
         "no_further_action", "not_in_need"],
         ees_rows("dfe_cin_referrals_2013_2025.csv",
                  ["referral_count", "rereferral_count", "rereferral_percent",
                   "no_further_action_count", "not_in_need_count"]))
    emit("child_population", ["year"] + COUNCIL_COLS + ["children"],
         ees_rows("ons_child_population_0_17_2012_2024.csv", ["population_estimate"]))


# MARK: - neighbours

def build_neighbours():
    rows = []
    for r in read("dfe_statistical_neighbours_2025.csv"):
        c = council(CURRENT_BY_DFE[r["old_la_code"]])
        for rank in range(1, 11):
            n = council(CURRENT_BY_DFE[r["SN_%d" % rank]])
            rows.append(council_cols(c) + [n["authority"], n["authority_code"], str(rank),
                        r["SN_%dP" % rank]])
    rows.sort(key=lambda x: (x[0], int(x[6])))
    emit("neighbours", COUNCIL_COLS + ["neighbour", "neighbour_code", "rank", "closeness"], rows)


# MARK: - providers

def build_providers():
    rows = []
    for r in read("ofsted_sc_providers_latest_2023-03-31.csv"):
        c = council_by_name(r["local_authority"], defunct_ok=r["local_authority"] == "Cumbria")
        rows.append(council_cols(c) + [
            r["urn"], r["name"], r["provision_type"], r["sector"], r["registration_status"],
            r["registration_date"], number(r["places"]), r["organisation_which_owns_the_provider"],
            r["latest_full_inspection_event_type"], r["latest_full_inspection_date"],
            r["latest_full_inspection_publication_date"],
            strict_rating(r["overall_experiences_and_progress_of_children_and_young_people"]),
            strict_rating(r["how_well_children_and_young_people_are_helped_and_protected"]),
            strict_rating(r["the_effectiveness_of_leaders_and_managers"]),
            strict_rating(r["outcomes_in_education_and_related_learning_activities"]),
            strict_rating(r["health_services"])])
    rows.sort(key=lambda x: (x[0], x[4]))
    emit("providers", COUNCIL_COLS + ["urn", "name", "provision_type", "sector", "status",
         "registered", "places", "owner", "inspection_type", "inspected", "published", "overall",
         "helped_and_protected", "leaders", "education", "health"], rows)


# MARK: - indicators (LAIT)

LAIT_REGIONS = {
    "North East": "E12000001", "North West": "E12000002", "Yorkshire and the Humber": "E12000003",
    "East Midlands": "E12000004", "West Midlands": "E12000005", "East of England": "E12000006",
    "London": "E12000007", "South East": "E12000008", "South West": "E12000009",
}
# LAIT writes two regions differently from the rest of IQL.
LAIT_REGION_NAMES = {"Yorkshire and the Humber": "Yorkshire and The Humber"}
LAIT_SUBREGIONS = {"London (Inner)": ("Inner London", "E13000001"),
                   "London (Outer)": ("Outer London", "E13000002")}
LAIT_DEFUNCT = {"Bournemouth (Pre LG)": "E06000028", "Poole (Pre LG)": "E06000029",
                "Dorset (Pre LG)": "E10000009", "Cumbria": "E10000006",
                "Northamptonshire": "E10000021"}


def period_end_year(period):
    """The year a LAIT period ends: 2021-22 -> 2022, 2016/17 -> 2017, 2014-16 -> 2016,
    2013/14-15/16 -> 2016, 2018 (Rev) -> 2018. None for a label with no year."""
    groups = re.findall(r"\d+", period)
    if not groups or len(groups[0]) != 4:
        return None
    century, last = int(groups[0][:2]) * 100, groups[-1]
    if len(last) == 4:
        return int(last)
    if len(last) != 2:
        fail("unreadable period " + repr(period))
    year = century + int(last)
    return year + 100 if year < int(groups[0]) else year


def lait_value(raw):
    raw = raw.strip()
    if raw.lower() in SUPPRESSION:
        return ""
    try:
        float(raw)
    except ValueError:
        fail("LAIT value is not a number: " + repr(raw))
    return raw


def build_indicators():
    measures = read("lait_measures.csv")
    known = {m["measure_short"] for m in measures}
    by_dfe = {r["la_code_dfe"]: r["la_code_ons"] for r in REF}
    rows = []
    seen = {}
    for r in read("lait_all_measures_long.csv"):
        if r["measure_short"] not in known:
            fail("LAIT measure without a description row: " + r["measure_short"])
        area, dfe_code = r["area_name"], r["la_code_dfe"]
        if area == "England":
            level, c = "england", {"authority": "England", "authority_code": "E92000001", "region": ""}
        elif area in LAIT_REGIONS:
            level = "region"
            c = {"authority": LAIT_REGION_NAMES.get(area, area), "authority_code": LAIT_REGIONS[area], "region": ""}
        elif area in LAIT_SUBREGIONS:
            name, code = LAIT_SUBREGIONS[area]
            level, c = "subregion", {"authority": name, "authority_code": code, "region": "London"}
        elif area in LAIT_DEFUNCT:
            level, c = "council", COUNCILS[LAIT_DEFUNCT[area]]
        elif dfe_code in by_dfe:
            level, c = "council", council(by_dfe[dfe_code])
        else:
            fail("LAIT area not mapped: %r (%s)" % (area, dfe_code))
        year = period_end_year(r["period"])
        rows.append([r["measure_short"], r["period"], "" if year is None else str(year), level,
                     c["authority"], c["authority_code"], dfe_code, c["region"], lait_value(r["value"])])
        seen.setdefault(r["measure_short"], set()).add(r["period"])
    header = ["measure", "period", "year", "level", "authority", "authority_code", "dfe_code",
              "region", "value"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    os.makedirs(BLOBS, exist_ok=True)
    # mtime=0 and no file name: the same input gives the same bytes, so git sees no change.
    with open(os.path.join(BLOBS, "indicators.csv.gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(buf.getvalue().encode("utf-8"))
    DATASETS.append(("indicators", len(rows)))

    polarity = read_polarity(known)
    out = []
    for m in measures:
        pol = polarity.get(m["measure_short"], "")
        periods = sorted(seen.get(m["measure_short"], ()), key=lambda p: (period_end_year(p) or 0, p))
        years = [period_end_year(p) for p in periods if period_end_year(p) is not None]
        # One description runs over two lines (CR LF inside its quotes): it is joined with a space.
        out.append([m["measure_short"], " ".join(m["measure"].split()), str(len(periods)),
                    periods[0] if periods else "", periods[-1] if periods else "",
                    str(min(years)) if years else "", str(max(years)) if years else "",
                    pol, {"High": "true", "Low": "false"}.get(pol, "")])
    out.sort(key=lambda x: x[0].lower())
    emit("measures", ["measure", "description", "periods", "first_period", "last_period",
                      "first_year", "last_year", "polarity", "higher_is_better"], out)


def read_polarity(known):
    """LAIT's Polarity per measure code (tools/sources/README.md): High, Low or -; NA is dropped."""
    path = os.path.join(HERE, "sources", "lait_polarity.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        code, pol = r["measure_short"], r["polarity"]
        if code not in known:
            fail("lait_polarity.csv: not a LAIT measure: " + repr(code))
        if pol not in ("High", "Low", "-", "NA"):
            fail("lait_polarity.csv: polarity of %s is %r" % (code, pol))
        if code in out:
            fail("lait_polarity.csv: %s twice" % code)
        out[code] = "" if pol == "NA" else pol
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith("CSV.swift"):
            os.remove(os.path.join(OUT, f))
    build_authorities()
    build_inspections()
    build_visits()
    build_children_in_care()
    build_yearly()
    build_neighbours()
    build_providers()
    build_indicators()
    for name, n in DATASETS:
        print("%-24s %6d rows" % (name, n))


main()

#!/usr/bin/env python3
"""Builds IQL's bundled datasets from the raw published files in ../shared/data.

Usage: python3 tools/build_datasets.py [RAW_DIR]

Writes one Swift file per dataset under Sources/IQLStorage/Bundled/Generated/, each holding the
curated table as a CSV raw-string literal, so the `iql` binary carries its data with it and needs
no resource bundle at run time. Values are copied, never imputed: the script only selects rows and
columns, renames columns, maps council names and codes to one naming (see docs/datasets.md), and
turns suppression markers into empty cells. It fails loudly on anything it cannot map.
"""
import base64
import csv
import functools
import gzip
import io
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RAW = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Sources", "IQLStorage", "Bundled", "Generated")

SUPPRESSION = {"c", "x", "z", "low", "u", ":", "-", ".", ""}
OFFICIAL = "Ofsted official statistics"
D2I = "D2I report scrape (unofficial)"


@functools.lru_cache(maxsize=None)
def read(name):
    """A raw file's rows, read once: the LAIT table (641,070 rows) serves both the indicators
    and the check of children starting to be looked after."""
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
# (name in IQL, region, Ofsted region, name in Ofsted's history table). Each has a name of its
# own: the former Dorset County Council is written "Dorset" by Ofsted, like the unitary Dorset
# Council (E06000059) that replaced it, and one name for two councils would merge their rows.
NYE = "North East, Yorkshire and the Humber"
DEFUNCT = {
    "E06000028": ("Bournemouth", "South West", "South West", "Bournemouth"),
    "E06000029": ("Poole", "South West", "South West", "Poole"),
    "E10000009": ("Dorset County Council", "South West", "South West", "Dorset"),
    "E10000021": ("Northamptonshire", "East Midlands", "East Midlands", "Northamptonshire"),
    "E10000006": ("Cumbria", "North West", "North West", "Cumbria"),
}
for code, (name, region, oreg, _) in DEFUNCT.items():
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
    """A council by a source's spelling; `defunct_ok` prefers an abolished council of that name
    (the source says the row is from before a reorganisation)."""
    if defunct_ok:
        for code, (_, _, _, source_name) in DEFUNCT.items():
            if source_name == name:
                return COUNCILS[code]
    code = NAME_TO_CODE.get(name.lower())
    if code is None:
        for c, (_, _, _, source_name) in DEFUNCT.items():
            if source_name == name:
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


# Categories a source spells two ways, by table and column: each variant to the spelling the
# source uses most (listed in docs/datasets.md). `emit` fails on any other pair of values of a
# column that differ only in case, spacing or "&" for "and".
CATEGORY_SPELLINGS = {
    ("providers", "provision_type"): {"Children's Home": "Children's home"},
}


def category_key(value):
    return " ".join(value.lower().replace("&", "and").split())


def check_categories(name, header, rows):
    for i, column in enumerate(header):
        values = {row[i] for row in rows}
        if len(values) > 500:
            continue  # names, not categories
        spellings = defaultdict(set)
        for v in values:
            spellings[category_key(v)].add(v)
        for variants in spellings.values():
            if len(variants) > 1:
                fail("%s.%s spells one category %d ways: %s (add them to CATEGORY_SPELLINGS)"
                     % (name, column, len(variants), sorted(variants)))


def normalised_category(table, column, value):
    return CATEGORY_SPELLINGS.get((table, column), {}).get(value, value)


def emit(name, header, rows):
    check_categories(name, header, rows)
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

SCRAPE_LOOKUP = {r["urn"]: r for r in read("d2i_la_lookup.csv")}
# Scraped reports that match no official row and give nothing to make a row of (no inspection
# dates, no readable judgement), with why; docs/datasets.md lists them and a test checks that
# every other scraped report is in the table.
UNBUNDLED_SCRAPES = {
    ("E10000030", "2015-08-03"): "Surrey, a report file of 3 August 2015 the scraper could not read; "
                                 "Ofsted's history has Surrey's SIF inspection published on 3 June 2015 "
                                 "and none in August",
}

JUDGEMENTS = ["overall", "leaders", "help_and_protection", "children_in_care", "care_leavers",
              "adoption", "lscb", "safeguarding", "looked_after_children"]


def scraped_council_code(r):
    """The council of a scraped report, through its DfE code: the scrape's own ONS codes are
    newer than the reference table's for Barnsley and Sheffield (E08000038/9 for E08000016/9),
    which have no Ofsted reference number to match on instead."""
    row = SCRAPE_LOOKUP.get(r["urn"])
    if row is None:
        fail("scraped report of an unknown council: " + r["urn"] + " " + r["local_authority"])
    if row["la_code"] in CURRENT_BY_DFE:
        return CURRENT_BY_DFE[row["la_code"]]
    return council(row["la_code_new"])["authority_code"]


def build_inspections():
    rows = []
    official_ilacs = read("ofsted_ilacs_inspections_2018_2025.csv")
    d2i = read("d2i_ilacs_scraped_report_history.csv")
    d2i_by_start = {}
    for r in d2i:
        r["code"] = scraped_council_code(r)
        if r["inspection_start_date"]:
            d2i_by_start[(r["code"], r["inspection_start_date"])] = r

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
        # A CPI or TLAC inspection judged the effectiveness of child protection or of services
        # for looked-after children, not overall effectiveness: Ofsted's history table writes
        # that judgement in its overall column, IQL in `safeguarding` / `looked_after_children`,
        # so that `overall` is only ever an overall-effectiveness judgement.
        overall, safeguarding, lac = r["overall_effectiveness"], r["safeguarding_oe"], r["looked_after_children_oe"]
        if framework in ("CPI", "CPRI"):
            if safeguarding:
                fail("CPI row with a safeguarding judgement of its own: " + r["la_name"])
            overall, safeguarding = "", overall
        elif framework == "TLAC":
            if lac:
                fail("TLAC row with a looked-after judgement of its own: " + r["la_name"])
            overall, lac = "", overall
        j = {
            "overall": overall, "leaders": r["leadership"],
            "help_and_protection": r["help_and_protection"],
            "children_in_care": r["children_in_care"], "care_leavers": r["care_leavers"],
            "adoption": r["adoption"], "lscb": r["lscb"],
            "safeguarding": safeguarding, "looked_after_children": lac,
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

    # Every scraped report that matches no official row is an inspection Ofsted's tables do
    # not hold (published after their cut-off, as Wakefield's of March 2025): it is kept. A
    # report matches an official ILACS row on council and start date, or any official row of
    # the council published within a fortnight of it (the scrape's dates for older reports
    # are the file's, a few days from Ofsted's; a SIF re-inspection is scraped as "standard").
    published_by_code = defaultdict(list)
    for row in rows:
        published_by_code[row[1]].append(date.fromisoformat(row[9]))
    kept = 0
    for r in sorted(d2i, key=lambda r: (r["code"], r["publication_date"], r["inspection_start_date"])):
        if (r["code"], r["inspection_start_date"]) in seen:
            continue
        published = date.fromisoformat(r["publication_date"])
        if any(abs((published - p).days) <= 14 for p in published_by_code[r["code"]]):
            continue
        if (r["code"], r["publication_date"]) in UNBUNDLED_SCRAPES:
            continue
        if not r["inspection_start_date"] or r["inspection_framework"] not in ("short", "standard"):
            fail("scraped report matching no official row has no ILACS inspection dates: %s %s"
                 % (r["local_authority"], r["publication_date"]))
        kept += 1
        c = council(r["code"])
        grades = [r["overall_effectiveness_grade"], r["impact_of_leaders_grade"],
                  r["help_and_protection_grade"], r["in_care_grade"], r["care_leavers_grade"]]
        grades = [rating(g) if rating(g) is not None else "" for g in grades]
        kind = {"short": "ILACS Short Inspection", "standard": "ILACS Standard Inspection"}
        rows.append(council_cols(c) + [c["status"], "ILACS", kind[r["inspection_framework"]],
                    r["inspection_start_date"], r["inspection_end_date"], r["publication_date"]]
                    + grades + ["", "", "", ""] + [D2I])
    print("inspections: of %d scraped reports, %d match official rows, %d are kept, %d are not bundled"
          % (len(d2i), len(d2i) - kept - len(UNBUNDLED_SCRAPES), kept, len(UNBUNDLED_SCRAPES)))

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


# MARK: - England, regions and London's halves (DfE's published figures)

AREA_LEVELS = {"National": "england", "Regional": "region"}
AREA_COLS = ["level", "authority", "authority_code"]


def area_cols(r):
    """An EES national or regional row's area: England, a region (IQL's names and E12 codes) or
    Inner/Outer London (E13, level `subregion`)."""
    if r["geographic_level"] == "National":
        return ["england", "England", "E92000001"]
    code = r["region_code"]
    if code.startswith("E13"):
        return ["subregion", r["region_name"], code]
    if not code.startswith("E12"):
        fail("unknown region code " + repr(code))
    return ["region", r["region_name"], code]


def ees_area_rows(name, fields):
    rows = []
    seen = set()
    for r in read(name):
        if r["geographic_level"] not in AREA_LEVELS:
            continue
        area = area_cols(r)
        key = (r["time_period"], area[2])
        if key in seen:
            fail(name + ": two rows for " + str(key))
        seen.add(key)
        rows.append([r["time_period"]] + area + [number(r[f]) for f in fields])
    rows.sort(key=lambda x: (x[3], int(x[0])))
    return rows


# MARK: - children in care

CLA_AT_31 = "Children looked after at 31 March"
CLA_STARTED = "Children starting to be looked after"
CLA_CEASED = "Children ceasing to be looked after"
CLA_RELEASE_2025 = "DfE EES CLA 2025 release, cla_number_and_rate_per_10k_children.csv"
CLA_RELEASE_2024 = "DfE EES CLA 2024 release, cla_number_and_rate_per_10k_children.csv"


def cla_number_and_rate():
    """(year, area code) -> {measure: (number, rate)} from DfE's two releases of
    cla_number_and_rate_per_10k_children: 2021-2025 from the 2025 release, 2019-2020 from the
    2024 one (which writes its columns under other names)."""
    out = defaultdict(dict)
    for name, kind, count, release, years in (
            ("dfe_cla_number_and_rate_2021_2025.csv", "population_type", "children_count", CLA_RELEASE_2025, range(2021, 2026)),
            ("dfe_cla_number_and_rate_2019_2023.csv", "population_count", "number", CLA_RELEASE_2024, range(2019, 2021))):
        for r in read(name):
            if int(r["time_period"]) not in years:
                continue
            measure = next((m for m in (CLA_AT_31, CLA_STARTED, CLA_CEASED)
                            if r[kind].replace(" on 31 March", " at 31 March").startswith(m)), None)
            if measure is None:
                fail(name + ": unknown population type " + repr(r[kind]))
            if r["geographic_level"] == "Local authority":
                code = council(r["new_la_code"])["authority_code"]
            else:
                code = area_cols(r)[2]
            key = (int(r["time_period"]), code)
            if measure in out[key]:
                fail(name + ": two rows for " + str(key) + " " + measure)
            out[key][measure] = (number(r[count]), number(r["rate_per_10000"]), release, r)
    return out


def build_children_in_care():
    flows = cla_number_and_rate()
    rows = []
    for r in read("dfe_cla_at_31_march_by_la_2010_2025.csv"):
        c = council(r["la_code_ons"])
        f = flows.get((int(r["year"]), c["authority_code"]), {})
        if int(r["year"]) >= 2019 and (CLA_STARTED not in f or CLA_CEASED not in f):
            fail("children_in_care: no starting or ceasing figures for %s %s" % (c["authority"], r["year"]))
        started, ceased = f.get(CLA_STARTED, ("", "")), f.get(CLA_CEASED, ("", ""))
        rows.append([r["year"]] + council_cols(c) + [number(r["cla_31_march"]), number(r["rate_per_10000"]),
                    started[0], started[1], ceased[0], ceased[1], r["source"]])
    rows.sort(key=lambda x: (x[1], int(x[0])))
    header = ["year"] + COUNCIL_COLS + ["children", "rate_per_10k", "started", "started_rate_per_10k",
                                        "ceased", "ceased_rate_per_10k", "source"]
    emit("children_in_care", header, rows)
    CHILDREN_IN_CARE_ROWS[:] = rows

    # England, the regions and London's halves: DfE's published figures, from the same two
    # releases from 2019, and England's number alone from the 1994-2023 time series before.
    area_rows = []
    for (year, code), f in sorted(flows.items()):
        if code not in AREA_CODES:
            continue
        r = f[CLA_AT_31][3]
        n, rate, release, _ = f[CLA_AT_31]
        area_rows.append([str(year)] + area_cols(r) + [n, rate, f[CLA_STARTED][0], f[CLA_STARTED][1],
                         f[CLA_CEASED][0], f[CLA_CEASED][1], release])
    series = defaultdict(dict)
    for r in read("dfe_cla_england_time_series_1994_2023.csv"):
        series[int(r["time_period"])][r["population_count"]] = number(r["number"])
    for year in range(2010, 2019):
        t = series.get(year)
        if not t:
            fail("England time series lacks " + str(year))
        area_rows.append([str(year), "england", "England", "E92000001", t["Children looked after at 31 March"], "",
                          t["Children starting to be looked after during the year"], "",
                          t["Children ceasing to be looked after during the year"], "",
                          "DfE EES CLA time series 1994-2023 (cla_time_series_1994_2023.csv)"])
    area_rows.sort(key=lambda x: (x[3], int(x[0])))
    emit("children_in_care_areas", ["year"] + AREA_COLS + header[len(COUNCIL_COLS) + 1:], area_rows)


AREA_CODES = {"E92000001"} | {"E1200000%d" % i for i in range(1, 10)} | {"E13000001", "E13000002"}


def cross_check_starters(care_rows, indicator_rows):
    """DfE's children starting to be looked after against LAIT's LACnum_Start, as bundled (both
    under IQL's council naming, abolished councils included), where both have the council and
    year: the build reports how many agree, and a test checks the same count."""
    lait = {(row[2], row[5]): row[8] for row in indicator_rows
            if row[0] == "LACnum_Start" and row[3] == "council" and row[2] and row[8] != ""}
    both = agree = 0
    differ = []
    for row in care_rows:
        key = (row[0], row[2])
        if key in lait and row[7] != "":
            both += 1
            if float(lait[key]) == float(row[7]):
                agree += 1
            else:
                differ.append("%s %s: DfE %s, LAIT %s" % (row[1], row[0], row[7], lait[key]))
    print("children_in_care: starting to be looked after, DfE against LAIT LACnum_Start: %d of %d agree"
          % (agree, both))
    for d in differ[:10]:
        print("  " + d)


CHILDREN_IN_CARE_ROWS = []
INDICATOR_ROWS = []


YEARLY = [
    ("children_in_need", "dfe_children_in_need_2013_2025.csv",
     ["children", "episodes_in_year", "started", "ended", "awaiting_assessment"],
     ["At31_episodes", "Anypoint_episodes", "Started_episodes", "Ended_episodes", "awaiting_assessment"]),
    ("child_protection_plans", "dfe_child_protection_plans_2013_2025.csv",
     ["children", "three_months_or_less", "over_three_to_six_months", "over_six_months_to_a_year",
      "one_to_two_years", "two_years_or_more"],
     ["CPP_At31", "3_months_or_less", "more_than_3_months_6_months", "more_than_6_months_less_than_1_year",
      "1_year_less_than_2_years", "2_years_or_more"]),
    ("referrals", "dfe_cin_referrals_2013_2025.csv",
     ["referrals", "rereferrals", "rereferral_percent", "no_further_action", "not_in_need"],
     ["referral_count", "rereferral_count", "rereferral_percent", "no_further_action_count", "not_in_need_count"]),
    ("child_population", "ons_child_population_0_17_2012_2024.csv", ["children"], ["population_estimate"]),
]


def build_yearly():
    # Each table's council rows, and beside it the same figures for England, the regions and
    # London's halves as DfE publishes them (the raw files' National and Regional rows).
    for name, raw, columns, fields in YEARLY:
        emit(name, ["year"] + COUNCIL_COLS + columns, ees_rows(raw, fields))
        emit(name + "_areas", ["year"] + AREA_COLS + columns, ees_area_rows(raw, fields))


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
            r["urn"], r["name"], normalised_category("providers", "provision_type", r["provision_type"]),
            r["sector"], r["registration_status"],
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
    """LAIT's figure as the exact decimal LAIT publishes: the raw file writes each double with 17
    significant digits (34.700000000000003, 8.1200000000000005E-3), a conversion artefact; the
    shortest decimal that reads back as the same double (34.7, 0.00812) is the figure, written
    without an exponent."""
    raw = raw.strip()
    if raw.lower() in SUPPRESSION:
        return ""
    try:
        double = float(raw)
    except ValueError:
        fail("LAIT value is not a number: " + repr(raw))
    if double != double or double in (float("inf"), float("-inf")):
        fail("LAIT value is not finite: " + repr(raw))
    text = format(Decimal(repr(double)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if float(text) != double:
        fail("LAIT value %r: shortest form %r does not read back" % (raw, text))
    return text


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
    # Too large for a Swift literal as CSV (36 MB): gzip-compressed (mtime=0 and no file name,
    # so the same input gives the same bytes) and base64-encoded into a generated Swift file,
    # like the other tables, on every platform SwiftPM builds for.
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=packed, mtime=0) as f:
        f.write(buf.getvalue().encode("utf-8"))
    encoded = base64.b64encode(packed.getvalue()).decode("ascii")
    lines = [encoded[i:i + 120] for i in range(0, len(encoded), 120)]
    with open(os.path.join(OUT, "IndicatorsGzip.swift"), "w", encoding="utf-8") as f:
        f.write("// Generated by tools/build_datasets.py from ../shared/data; do not edit.\n")
        f.write("// Provenance of every column: docs/datasets.md.\n\n")
        f.write("extension BundledCSV {\n")
        f.write("    /// The indicators CSV, gzip-compressed and base64-encoded: 36 MB of CSV is too large for a\n")
        f.write("    /// Swift literal, 4.6 MB of base64 compiles in about two seconds.\n")
        f.write('    static let indicatorsGzipBase64: StaticString = """\n' + "\\\n".join(lines) + '\n"""\n}\n')
    DATASETS.append(("indicators", len(rows)))
    INDICATOR_ROWS[:] = rows

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
    cross_check_starters(CHILDREN_IN_CARE_ROWS, INDICATOR_ROWS)
    for name, n in DATASETS:
        print("%-24s %6d rows" % (name, n))


main()

#!/usr/bin/env python3
"""IQL against DuckDB and SQLite on the same data, in the same run, as ratios.

Usage: Benchmarks/bench.py [--rows N] [--scale-rows N] [--runs N] [--check-only] [--no-lait]
                           [--iql PATH] [--iql-bench PATH] [--data-dir DIR]

Run it through scripts/bench, which builds iql in release mode first. It generates the
inspection table with ../shared/bench/gen_inspections.py, checks that the three engines give
the same answers, then times every workload several times and prints medians (warm: iql and
DuckDB in alternating rounds, so the machine's drift falls on both), the ratio
iql/peer for each, and peak memory. --check-only stops after the answer check (the test suite
runs that on a small file so the harness cannot rot).
"""
import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
GENERATOR = os.path.join(SHARED, "bench", "gen_inspections.py")
LAIT = os.path.join(SHARED, "data", "lait_all_measures_long.csv")

# Each workload: the IQL query and the SQL for DuckDB and SQLite, over tables insp and auth.
WORKLOADS = {
    "a_filter_count": {
        "iql": 'from insp | where region == "London" and overall == good | count',
        "sql": "select count(*) as n from insp where region = 'London' and overall = 'Good'",
    },
    "b_group_by_region": {
        "iql": "from insp | summarize n = count(), avg_pupils = avg(pupils), good_or_better = count(overall >= good) by region",
        "duckdb": "select region, count(*) as n, avg(pupils) as avg_pupils, "
                  "count(*) filter (where overall in ('Good', 'Outstanding')) as good_or_better from insp group by region order by region",
        "sqlite": "select region, count(*) as n, avg(pupils) as avg_pupils, "
                  "sum(overall in ('Good', 'Outstanding')) as good_or_better from insp group by region order by region",
    },
    "c_latest_per_urn": {
        "iql": "from insp | latest inspected by urn | count by overall",
        "sql": "select overall, count(*) as n from (select overall, row_number() over "
               "(partition by urn order by inspected desc, id desc) as rn from insp) where rn = 1 group by overall order by overall",
    },
    "d_top_10_pupils": {
        "iql": "from insp | sort pupils desc | take 10 | select id, pupils",
        "sql": "select id, pupils from insp where pupils is not null order by pupils desc, id limit 10",
    },
    "e_join_authorities": {
        "iql": "from insp | join auth on authority | count by la_type",
        "sql": "select la_type, count(*) as n from insp join auth on insp.authority = auth.authority group by la_type order by la_type",
    },
}

# Shapes the five above do not time, so that a fast path for them cannot pass for speed: every
# scalar function in a filter or a derive, every aggregate, grouping by one to three keys of
# text, integer and rating type, distinct, a text sort, joins on text and integer keys, pivot,
# rank, quartile and latest … as of. A missing "sqlite" means sqlite3 has no such function.
CATALOGUE_WORKLOADS = {
    "f_contains": {
        "iql": 'from insp | where contains(provider, "Academy") | count',
        "duckdb": "select count(*) as n from insp where contains(provider, 'Academy')",
        "sqlite": "select count(*) as n from insp where instr(provider, 'Academy') > 0",
    },
    "g_year": {
        "iql": "from insp | where year(inspected) == 2020 | count",
        "duckdb": "select count(*) as n from insp where year(inspected) = 2020",
        "sqlite": "select count(*) as n from insp where strftime('%Y', inspected) = '2020'",
    },
    "h_days_between": {
        "iql": "from insp | where days_between(inspected, published) > 50 | count",
        "duckdb": "select count(*) as n from insp where date_diff('day', inspected, published) > 50",
        "sqlite": "select count(*) as n from insp where julianday(published) - julianday(inspected) > 50",
    },
    "i_arithmetic": {
        "iql": "from insp | where pupils * fsm_percent / 100 > 200 | count",
        "sql": "select count(*) as n from insp where pupils * fsm_percent / 100 > 200",
    },
    "j_lower_starts_with": {
        "iql": 'from insp | where starts_with(lower(authority), "west") | count',
        "duckdb": "select count(*) as n from insp where starts_with(lower(authority), 'west')",
        "sqlite": "select count(*) as n from insp where lower(authority) like 'west%'",
    },
    "k_ends_with_length": {
        "iql": 'from insp | where ends_with(provider, "Academy") or length(provider) > 40 | count',
        "duckdb": "select count(*) as n from insp where ends_with(provider, 'Academy') or length(provider) > 40",
        "sqlite": "select count(*) as n from insp where substr(provider, -7) = 'Academy' or length(provider) > 40",
    },
    "l_month_or_rating": {
        "iql": "from insp | where month(published) == 3 or overall == inadequate | count",
        "duckdb": "select count(*) as n from insp where month(published) = 3 or overall = 'Inadequate'",
        "sqlite": "select count(*) as n from insp where strftime('%m', published) = '03' or overall = 'Inadequate'",
    },
    "m_derive_numbers": {
        "iql": "from insp | derive p = pupils * 2 + 1, q = abs(pupils - 500), f = floor(fsm_percent), c = ceil(fsm_percent) "
               "| summarize a = sum(p), b = sum(q), d = sum(f), e = sum(c)",
        "duckdb": "select sum(pupils * 2 + 1) as a, sum(abs(pupils - 500)) as b, sum(floor(fsm_percent)) as d, "
                  "sum(ceil(fsm_percent)) as e from insp",
        "sqlite": "select sum(pupils * 2 + 1) as a, sum(abs(pupils - 500)) as b, sum(floor(fsm_percent)) as d, "
                  "sum(ceil(fsm_percent)) as e from insp",
    },
    "n_if_coalesce": {
        "iql": "from insp | where if(pupils > 500, fsm_percent, 0) > 30 or coalesce(pupils, 0) == 0 | count",
        "sql": "select count(*) as n from insp where (case when pupils > 500 then fsm_percent else 0 end) > 30 "
               "or coalesce(pupils, 0) = 0",
    },
    "o_date_of_month": {
        "iql": "from insp | summarize n = count() by m = date(year(published), month(published), 1) | sort n desc, m | take 5",
        "duckdb": "select make_date(year(published), month(published), 1) as m, count(*) as n from insp "
                  "group by m order by n desc, m limit 5",
        "sqlite": "select date(published, 'start of month') as m, count(*) as n from insp group by m order by n desc, m limit 5",
    },
    "p_upper_day_round": {
        "iql": 'from insp | where upper(phase) == "PRIMARY" and day(inspected) <= 7 | summarize r = sum(round(fsm_percent))',
        "duckdb": "select sum(round(fsm_percent)) as r from insp where upper(phase) = 'PRIMARY' and day(inspected) <= 7",
    },
    "q_pct_change": {
        "iql": "from insp | derive c = pct_change(pupils, fsm_percent * 10) | summarize s = avg(c)",
        "sql": "select avg(case when pupils = 0 then null else (fsm_percent * 10 - pupils) * 100.0 / abs(pupils) end) as s from insp",
    },
    "r_distinct_two": {
        "iql": "from insp | select authority, phase | distinct | count",
        "sql": "select count(*) as n from (select distinct authority, phase from insp)",
    },
    "s_median_by_region": {
        "iql": "from insp | summarize m = median(pupils) by region",
        "duckdb": "select region, median(pupils) as m from insp group by region order by region",
    },
    "t_group_three_keys": {
        "iql": "from insp | count by region, phase, overall",
        "sql": "select region, phase, overall, count(*) as n from insp group by region, phase, overall",
    },
    "u_group_integer_key": {
        "iql": "from insp | summarize s = sum(pupils) by urn | where s > 3000 | count",
        "sql": "select count(*) as n from (select urn, sum(pupils) as s from insp group by urn) where s > 3000",
    },
    "v_aggregates": {
        "iql": "from insp | summarize a = count_distinct(provider), b = min(provider), c = max(authority), "
               "d = first(provider), e = last(provider), f = avg(fsm_percent), g = max(published) by phase",
        "duckdb": "select phase, count(distinct provider) as a, min(provider) as b, max(authority) as c, "
                  "first(provider order by id) as d, last(provider order by id) as e, avg(fsm_percent) as f, "
                  "max(published) as g from insp group by phase",
    },
    "w_sort_text": {
        "iql": "from insp | sort authority, provider desc, id | take 20000 | select id",
        "sql": "select id from insp order by authority, provider desc, id limit 20000",
    },
    "x_join_integer_key": {
        "iql": "from insp | derive band = pupils % 10 | join bands on band | count by label",
        "sql": "select label, count(*) as n from insp join bands on insp.pupils % 10 = bands.band group by label",
    },
    "y_pivot": {
        "iql": "from insp | count by region, overall | pivot overall n",
        "duckdb": "select region, count(*) filter (where overall = 'Inadequate') as inadequate, "
                  "count(*) filter (where overall = 'Requires improvement') as ri, "
                  "count(*) filter (where overall = 'Good') as good, count(*) filter (where overall = 'Outstanding') as outstanding "
                  "from insp group by region",
        "sqlite": "select region, sum(overall = 'Inadequate'), sum(overall = 'Requires improvement'), "
                  "sum(overall = 'Good'), sum(overall = 'Outstanding') from insp group by region",
    },
    "z_rank": {
        "iql": "from insp | summarize n = count() by authority | rank n desc | where rank <= 3",
        "sql": "select authority, n, r from (select authority, count(*) as n, rank() over (order by count(*) desc) as r "
               "from insp group by authority) where r <= 3",
    },
    "za_quartile": {
        "iql": "from insp | summarize m = avg(pupils) by authority | quartile m desc | count by quartile",
        "duckdb": "select q, count(*) as n from (select chr(cast(65 + least(3, (rank() over (order by m desc) - 1) * 4 // count(*) over ()) as integer)) as q "
                  "from (select authority, avg(pupils) as m from insp group by authority)) group by q",
        "sqlite": "select q, count(*) as n from (select char(65 + min(3, (rank() over (order by m desc) - 1) * 4 / count(*) over ())) as q "
                  "from (select authority, avg(pupils) as m from insp group by authority)) group by q",
    },
    "zb_latest_as_of": {
        "iql": "from insp | latest inspected by urn as of 2015-01-01 | count by overall",
        "sql": "select overall, count(*) as n from (select overall, row_number() over (partition by urn order by inspected desc, id desc) as rn "
               "from insp where inspected <= '2015-01-01') where rn = 1 group by overall",
    },
    "ze_previous_by_key": {
        "iql": "from insp | derive before = previous(overall) by urn | where before == inadequate and overall >= good | count",
        "sql": "select count(*) as n from (select overall, lag(overall) over (partition by urn order by inspected, id) as before "
               "from insp) where before = 'Inadequate' and overall in ('Good', 'Outstanding')",
    },
    "zf_next_by_key": {
        "iql": "from insp | derive after = next(pupils) by urn | summarize s = sum(after - pupils)",
        "sql": "select sum(after - pupils) as s from (select pupils, lead(pupils) over (partition by urn order by inspected, id) as after "
               "from insp)",
    },
    "zg_rank_by_key": {
        "iql": "from insp | rank pupils desc by region | where rank <= 3 | count",
        "sql": "select count(*) as n from (select rank() over (partition by region order by pupils desc) as r "
               "from insp where pupils is not null) where r <= 3",
    },
    "zh_join_large": {
        "iql": "from insp | summarize k = count() by urn | join insp on urn | summarize s = sum(pupils), t = sum(k)",
        "sql": "select sum(pupils) as s, sum(k) as t from (select urn, count(*) as k from insp group by urn) a join insp b on a.urn = b.urn",
    },
    "zi_group_two_keys_many": {
        "iql": "from insp | summarize k = count(), p = max(pupils) by urn, phase | where k > 8 | count",
        "sql": "select count(*) as n from (select urn, phase, count(*) as k from insp group by urn, phase) where k > 8",
    },
    "zc_in_list": {
        "iql": 'from insp | where authority in ["Oxfordshire", "Oldham", "Leeds", "Kent"] and overall != inadequate | count',
        "sql": "select count(*) as n from insp where authority in ('Oxfordshire', 'Oldham', 'Leeds', 'Kent') and overall <> 'Inadequate'",
    },
    "zd_group_ratings": {
        "iql": "from insp | summarize n = count(), p = sum(pupils) by overall, leadership",
        "sql": "select overall, leadership, count(*) as n, sum(pupils) as p from insp group by overall, leadership",
    },
}

# Issue 15's targets: at most 0.5x DuckDB warm for the first five, at most 1x for the rest.
TARGETS = {name: 0.5 for name in WORKLOADS} | {name: 1.0 for name in CATALOGUE_WORKLOADS}

# One-shot over the CSV file as users write it for each engine: at most 0.7x DuckDB for filters
# and aggregates over one to three columns, at most 1x for a query that reads every column.
ONE_SHOT = {
    "a_filter_count": 0.7, "b_group_by_region": 0.7, "g_year": 0.7, "s_median_by_region": 0.7,
    "every_column_distinct": 1.0,
}
EVERY_COLUMN = {
    "every_column_distinct": {
        "iql": "from insp | distinct | count",
        "sql": "select count(*) as n from (select distinct * from insp)",
    },
}

LAIT_WORKLOADS = {
    "lait_filter_average": {
        "iql": 'from lait | where measure_short == "LAC" and period == "2023" | summarize avg_value = avg(value) by region',
        "duckdb": "select region, avg(try_cast(value as double)) as avg_value from lait "
                  "where measure_short = 'LAC' and period = '2023' group by region order by region",
        "sqlite": "select region, avg(case when value glob '*[0-9]*' then cast(value as real) end) as avg_value from lait "
                  "where measure_short = 'LAC' and period = '2023' group by region order by region",
    },
    "lait_time_series": {
        "iql": 'from lait | where measure_short == "LAC" and area_name == "Oxfordshire" | select period, value',
        "duckdb": "select period, try_cast(value as double) as value from lait where measure_short = 'LAC' and area_name = 'Oxfordshire'",
        "sqlite": "select period, case when value glob '*[0-9]*' then cast(value as real) end as value from lait "
                  "where measure_short = 'LAC' and area_name = 'Oxfordshire'",
    },
}


def sql_for(workload, engine):
    """The workload's SQL for the engine; None where that engine has no way to say it."""
    if engine in workload:
        return workload[engine]
    if engine == "sqlite" and "duckdb" in workload and "sql" not in workload:
        return None
    return workload.get("sql")


def find_duckdb():
    try:
        import duckdb_cli  # the pip package ships the real binary beside its Python entry point
        path = os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb")
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    sys.exit("bench: the DuckDB CLI is missing: pip install duckdb-cli")


def ensure_data(rows, data_dir):
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, f"inspections_{rows}.csv")
    if not os.path.exists(path):
        subprocess.run([sys.executable, GENERATOR, str(rows), path + ".tmp"], check=True)
        os.replace(path + ".tmp", path)
    auth = os.path.join(data_dir, "authorities.csv")
    if not os.path.exists(auth):
        sys.path.insert(0, os.path.dirname(GENERATOR))
        import gen_inspections
        types = ["County", "Metropolitan", "Unitary", "London borough"]
        with open(auth, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["authority", "la_code", "la_type"])
            names = sorted(la for las in gen_inspections.REGIONS.values() for la in las)
            for i, name in enumerate(names):
                w.writerow([name, f"A{i:03d}", types[i % len(types)]])
    bands = os.path.join(data_dir, "bands.csv")
    if not os.path.exists(bands):
        with open(bands, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["band", "label"])
            for b in range(10):
                w.writerow([b, f"band {b}"])
    return path, auth, bands


# MARK: - Running each engine

def run(cmd, stdin=None):
    """Runs a process; returns (stdout, seconds, peak RSS in KiB)."""
    timed = ["/usr/bin/time", "-f", "%M"] + cmd if os.path.exists("/usr/bin/time") else cmd
    start = time.perf_counter()
    p = subprocess.run(timed, input=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)[:200]} failed:\n{p.stderr[-2000:]}")
    rss = 0
    if timed is not cmd:
        last = p.stderr.strip().splitlines()[-1:] or ["0"]
        rss = int(last[0]) if last[0].isdigit() else 0
    return p.stdout, elapsed, rss


def duckdb_script(tables, queries, timer=False):
    lines = [".timer on" if timer else "", ".mode csv"]
    for name, path in tables.items():
        lines.append(f"create table {name} as select * from read_csv('{path}');")
    lines += [q.rstrip(";") + ";" for q in queries]
    return "\n".join(lines) + "\n"


# SQLite is given the column types a user would declare; .import then stores numbers as numbers.
SQLITE_SCHEMAS = {
    "insp": "create table insp(id integer, urn integer, provider text, authority text, region text, phase text, "
            "inspected text, published text, overall text, leadership text, pupils integer, fsm_percent real);",
    "auth": "create table auth(authority text, la_code text, la_type text);",
    "bands": "create table bands(band integer, label text);",
}


def sqlite_script(tables, queries, timer=False):
    lines = [".mode csv"]
    for name, path in tables.items():
        if name in SQLITE_SCHEMAS:
            lines.append(SQLITE_SCHEMAS[name])
            lines.append(f".import --skip 1 '{path}' {name}")
        else:
            lines.append(f".import '{path}' {name}")
    lines.append(".headers on")
    if timer:
        lines.append(".timer on")
    lines += [q.rstrip(";") + ";" for q in queries]
    return "\n".join(lines) + "\n"


def sqlite_empty_to_null(tables):
    # sqlite3's .import stores empty fields as '' text; the other engines read them as null.
    out = []
    for name, path in tables.items():
        with open(path, newline="") as f:
            header = next(csv.reader(f))
        for col in header:
            out.append(f"update {name} set \"{col}\" = null where \"{col}\" = '';")
    return out


# The inspection table's time column, which previous/next order by.
TIME_COLUMNS = {"insp": "inspected"}


def iql_data_args(tables):
    args = []
    for name, path in tables.items():
        args += ["--data", f"{name}={path}"]
        if name in TIME_COLUMNS:
            args += ["--time", f"{name}={TIME_COLUMNS[name]}"]
    return args


# MARK: - Answers

def normalise(text):
    rows = list(csv.reader(io.StringIO(text)))
    out = []
    for row in rows[1:]:
        norm = []
        for cell in row:
            cell = cell.strip()
            if cell == "Requires improvement to be good":
                cell = "Requires improvement"
            if cell == "NULL":  # DuckDB's CSV mode writes nulls so; the others leave the field empty
                cell = ""
            try:
                value = float(cell)
                cell = f"{value:.6g}"
            except ValueError:
                pass
            norm.append(cell)
        out.append(tuple(norm))
    return sorted(out)


def answers(engine, binaries, tables, workloads):
    results = {}
    for name, w in workloads.items():
        if engine == "iql":
            out, _, _ = run([binaries["iql"], "--format", "csv"] + iql_data_args(tables) + ["-c", w["iql"]])
        elif engine == "duckdb":
            out, _, _ = run([binaries["duckdb"], "-csv"], stdin=duckdb_script(tables, [sql_for(w, "duckdb")]))
        else:
            if sql_for(w, "sqlite") is None:
                continue
            script = sqlite_script(tables, sqlite_empty_to_null(tables) + [sql_for(w, "sqlite")])
            out, _, _ = run([binaries["sqlite3"], ":memory:"], stdin=script)
        results[name] = normalise(out)
    return results


def check_answers(binaries, tables, workloads):
    iql = answers("iql", binaries, tables, workloads)
    ok = True
    for peer in ("duckdb", "sqlite3"):
        theirs = answers(peer, binaries, tables, workloads)
        for name in workloads:
            if name in theirs and iql[name] != theirs[name]:
                ok = False
                print(f"MISMATCH {name}: iql {iql[name][:5]} vs {peer} {theirs[name][:5]}", file=sys.stderr)
    return ok


# MARK: - Timings

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def warm_iql(binaries, tables, workloads, runs):
    args = [binaries["iql_bench"], "--runs", str(runs)]
    for name, path in tables.items():
        args += ["--csv", f"{name}={path}"]
        if name in TIME_COLUMNS:
            args += ["--time", f"{name}={TIME_COLUMNS[name]}"]
    for name, w in workloads.items():
        args += ["--query", f"{name}={w['iql']}"]
    out, _, rss = run(args)
    data = json.loads(out)
    return {name: median(q["times"]) for name, q in data["queries"].items()}, sum(data["load"].values()), rss


def warm_alternating(binaries, tables, workloads, runs, rounds=3):
    """iql's and DuckDB's warm times in alternating processes over several rounds, each
    workload's median of its rounds' medians: one round of each, minutes apart, put the
    machine's drift between them into the ratio (the same binaries' q_pct_change measured
    0.80x and 0.97x on two evenings, DuckDB's own time 7 ms and 14)."""
    iql = {name: [] for name in workloads}
    duck = {name: [] for name in workloads}
    for _ in range(rounds):
        times, _, _ = warm_iql(binaries, tables, workloads, runs)
        d, _, _ = warm_duckdb(binaries, tables, workloads, runs)
        for name in workloads:
            iql[name].append(times[name])
            duck[name].append(d[name])
    return {n: median(t) for n, t in iql.items()}, {n: median(t) for n, t in duck.items()}


def parse_timer(text, marker):
    times = []
    for line in text.splitlines():
        if line.startswith(marker):
            times.append(float(line.split("real")[1].split()[0]))
    return times


def warm_duckdb(binaries, tables, workloads, runs):
    queries = []
    for w in workloads.values():
        queries += [sql_for(w, "duckdb")] * runs
    out, _, rss = run([binaries["duckdb"]], stdin=duckdb_script(tables, queries, timer=True))
    times = parse_timer(out, "Run Time (s):")
    load = sum(times[:len(tables)])
    times = times[len(tables):]
    result = {}
    for i, name in enumerate(workloads):
        result[name] = median(times[i * runs:(i + 1) * runs])
    return result, load, rss


def warm_sqlite(binaries, tables, workloads, runs):
    workloads = {name: w for name, w in workloads.items() if sql_for(w, "sqlite") is not None}
    queries = []
    for w in workloads.values():
        queries += [sql_for(w, "sqlite")] * runs
    script = sqlite_script(tables, sqlite_empty_to_null(tables), timer=False) + ".timer on\n" + \
        "\n".join(q.rstrip(";") + ";" for q in queries) + "\n"
    out, _, rss = run([binaries["sqlite3"], ":memory:"], stdin=script)
    times = parse_timer(out, "Run Time:")
    result = {}
    for i, name in enumerate(workloads):
        result[name] = median(times[i * runs:(i + 1) * runs])
    return result, rss


def load_times(binaries, path, runs):
    """Loading the CSV into a table, as each engine does it, in-process where it can say."""
    iql, duck, lite = [], [], []
    for _ in range(runs):
        out, _, _ = run([binaries["iql_bench"], "--csv", f"insp={path}", "--runs", "1"])
        iql.append(json.loads(out)["load"]["insp"])
        out, _, _ = run([binaries["duckdb"]], stdin=duckdb_script({"insp": path}, [], timer=True))
        duck.append(parse_timer(out, "Run Time (s):")[0])
        # sqlite3's .import is not covered by .timer: time the process, less its start-up.
        _, t, _ = run([binaries["sqlite3"], ":memory:"], stdin=f".mode csv\n.import '{path}' insp\n")
        _, t0, _ = run([binaries["sqlite3"], ":memory:"], stdin=".mode csv\n")
        lite.append(t - t0)
    return median(iql), median(duck), median(lite)


def duckdb_over_files(sql, tables):
    """The query as a DuckDB user writes it over the files themselves: FROM 'file.csv'."""
    import re
    return re.sub(r"\b(from|join)\s+(" + "|".join(tables) + r")\b",
                  lambda m: f"{m.group(1)} read_csv('{tables[m.group(2)]}') as {m.group(2)}", sql)


def one_shot(binaries, tables, workload, runs):
    iql, duck, lite = [], [], []
    rss = {"iql": 0, "duckdb": 0, "sqlite3": 0}
    for _ in range(runs):
        _, t, m = run([binaries["iql"], "--format", "csv"] + iql_data_args(tables) + ["-c", workload["iql"]])
        iql.append(t)
        rss["iql"] = max(rss["iql"], m)
        _, t, m = run([binaries["duckdb"], "-csv", "-c", duckdb_over_files(sql_for(workload, "duckdb"), tables)])
        duck.append(t)
        rss["duckdb"] = max(rss["duckdb"], m)
        if sql_for(workload, "sqlite") is not None:
            _, t, m = run([binaries["sqlite3"], ":memory:"], stdin=sqlite_script(tables, [sql_for(workload, "sqlite")]))
            lite.append(t)
            rss["sqlite3"] = max(rss["sqlite3"], m)
    return median(iql), median(duck), median(lite), rss


def startup(binaries, runs):
    cases = {
        "iql": [binaries["iql"], "-c", "from authorities | count"],
        "duckdb": [binaries["duckdb"], "-c", "select 1"],
        "sqlite3": [binaries["sqlite3"], ":memory:", "select 1"],
    }
    return {name: median([run(cmd)[1] for _ in range(runs)]) for name, cmd in cases.items()}


# MARK: - Report

def ms(x):
    return f"{x * 1000:.1f} ms" if x == x else "n/a"


def ratio(a, b):
    return f"{a / b:.2f}x" if b and a == a and b == b else "n/a"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--scale-rows", type=int, default=4_000_000, help="0 to skip the growth check")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-only", action="store_true")
    ap.add_argument("--growth-only", action="store_true", help="only the 1M-against-4M growth check")
    ap.add_argument("--no-lait", action="store_true")
    ap.add_argument("--only", help="comma-separated workload name prefixes to time")
    ap.add_argument("--iql", default=os.path.join(ROOT, ".build", "release", "iql"))
    ap.add_argument("--iql-bench", default=os.path.join(ROOT, ".build", "release", "IQLBench"))
    ap.add_argument("--data-dir", default=os.path.join(ROOT, ".bench-data"))
    args = ap.parse_args()

    binaries = {"iql": args.iql, "iql_bench": args.iql_bench, "duckdb": find_duckdb(),
                "sqlite3": shutil.which("sqlite3") or sys.exit("bench: sqlite3 is missing: apt-get install sqlite3")}
    path, auth, bands = ensure_data(args.rows, args.data_dir)
    tables = {"insp": path, "auth": auth, "bands": bands}
    workloads = WORKLOADS | CATALOGUE_WORKLOADS
    if args.only:
        workloads = {n: w for n, w in workloads.items() if any(n.startswith(p) for p in args.only.split(","))}
    lait = {"lait": LAIT} if not args.no_lait and os.path.exists(LAIT) else {}

    checked = workloads | {n: w for n, w in EVERY_COLUMN.items() if not args.only}
    if not check_answers(binaries, tables, checked) or (lait and not check_answers(binaries, lait, LAIT_WORKLOADS)):
        sys.exit("bench: the engines disagree; nothing timed")
    print(f"answers agree: {len(checked) + (len(LAIT_WORKLOADS) if lait else 0)} workloads, iql = duckdb (= sqlite3 where it has the functions)")
    if args.check_only:
        return
    if args.growth_only:
        growth(binaries, args, path, tables, workloads)
        return

    size_mb = os.path.getsize(path) / 1e6
    print(f"\n{args.rows:,} rows ({size_mb:.0f} MB CSV), median of {args.runs} runs (warm: iql and DuckDB alternating, median of 3 rounds), {os.cpu_count()} cores\n")
    print(f"| measure | iql | duckdb | sqlite3 | iql/duckdb | iql/sqlite3 | target | met |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    def verdict(a, b, target):
        return ("yes" if a / b <= target else "**no**") if b and a == a and b == b else "n/a"
    li, ld, ls = load_times(binaries, path, min(args.runs, 3))
    print(f"| CSV load (into a table) | {ms(li)} | {ms(ld)} | {ms(ls)} | {ratio(li, ld)} | {ratio(li, ls)} | 0.5x | {verdict(li, ld, 0.5)} |")
    warm_small, wd = warm_alternating(binaries, tables, workloads, args.runs)
    ws, _ = warm_sqlite(binaries, tables, workloads, args.runs)
    met = 0
    for name in workloads:
        wi, target = warm_small[name], TARGETS[name]
        met += verdict(wi, wd[name], target) == "yes"
        print(f"| warm {name} | {ms(wi)} | {ms(wd[name])} | {ms(ws.get(name, float('nan')))} | {ratio(wi, wd[name])} | "
              f"{ratio(wi, ws.get(name, float('nan')))} | {target}x | {verdict(wi, wd[name], target)} |")
    rss = {"iql": 0, "duckdb": 0, "sqlite3": 0}
    for name, target in ONE_SHOT.items():
        w = (workloads | EVERY_COLUMN).get(name)
        if w is None:
            continue
        oi, od, os_, r = one_shot(binaries, tables, w, min(args.runs, 3))
        if name == "a_filter_count":
            rss = r
        print(f"| one-shot {name} | {ms(oi)} | {ms(od)} | {ms(os_)} | {ratio(oi, od)} | {ratio(oi, os_)} | {target}x | {verdict(oi, od, target)} |")
    st = startup(binaries, 20)
    print(f"| start-up (bundled data / select 1) | {ms(st['iql'])} | {ms(st['duckdb'])} | {ms(st['sqlite3'])} | "
          f"{ratio(st['iql'], st['duckdb'])} | {ratio(st['iql'], st['sqlite3'])} | | |")
    if rss["iql"]:
        print(f"| peak memory, one-shot (a) | {rss['iql'] / 1024:.0f} MiB | {rss['duckdb'] / 1024:.0f} MiB | "
              f"{rss['sqlite3'] / 1024:.0f} MiB | {ratio(rss['iql'], rss['duckdb'])} | {ratio(rss['iql'], rss['sqlite3'])} | | |")
        print(f"| peak memory / CSV size | {rss['iql'] * 1024 / os.path.getsize(path):.2f} | "
              f"{rss['duckdb'] * 1024 / os.path.getsize(path):.2f} | {rss['sqlite3'] * 1024 / os.path.getsize(path):.2f} | | | 0.5 | |")
    print(f"\nwarm workloads within target: {met} of {len(workloads)}")

    if lait:
        wi, li2, _ = warm_iql(binaries, lait, LAIT_WORKLOADS, args.runs)
        wd, ld2, _ = warm_duckdb(binaries, lait, LAIT_WORKLOADS, args.runs)
        ws, _ = warm_sqlite(binaries, lait, LAIT_WORKLOADS, args.runs)
        print(f"| LAIT load (641,070 rows) | {ms(li2)} | {ms(ld2)} | | {ratio(li2, ld2)} | |")
        for name in LAIT_WORKLOADS:
            print(f"| warm {name} | {ms(wi[name])} | {ms(wd[name])} | {ms(ws[name])} | {ratio(wi[name], wd[name])} | {ratio(wi[name], ws[name])} |")

    if args.scale_rows:
        growth(binaries, args, path, tables, workloads)


def growth(binaries, args, path, tables, workloads):
    """Load and warm queries at --rows and --scale-rows, in alternating processes over several
    rounds, so drift on a busy machine falls on both sizes alike; medians compared."""
    big, _, _ = ensure_data(args.scale_rows, args.data_dir)
    rounds = max(3, min(args.runs, 5))
    loads = {path: [], big: []}
    warm = {path: {name: [] for name in workloads}, big: {name: [] for name in workloads}}
    for _ in range(rounds):
        for data in (path, big):
            times, load, _ = warm_iql(binaries, tables | {"insp": data}, workloads, args.runs)
            loads[data].append(load)
            for name in workloads:
                warm[data][name].append(times[name])
    print(f"\ngrowth, {args.scale_rows:,} rows against {args.rows:,} (iql; {rounds} alternating rounds; target at most 4.4x):\n")
    print(f"| measure | {args.rows:,} | {args.scale_rows:,} | growth |")
    print("| --- | ---: | ---: | ---: |")
    small_load, big_load = median(loads[path]), median(loads[big])
    print(f"| CSV load | {ms(small_load)} | {ms(big_load)} | {ratio(big_load, small_load)} |")
    for name in workloads:
        a, b = median(warm[path][name]), median(warm[big][name])
        print(f"| {name} | {ms(a)} | {ms(b)} | {ratio(b, a)} |")


if __name__ == "__main__":
    main()

-- from children_in_care | derive before = previous(children) by authority | derive change = pct_change(before, children) | where year == 2025 | select authority, change
WITH iql_s1 AS (
  SELECT "year", "authority", "children", "iql_row" AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT *, lag("children") OVER (PARTITION BY "authority" ORDER BY "year" ASC NULLS LAST, "iql_order_1") AS "before" FROM iql_s1
),
iql_s3 AS (
  SELECT *, (CASE WHEN "before" = 0 THEN NULL ELSE CAST(("children" - "before") * 100 AS DOUBLE PRECISION) / abs("before") END) AS "change" FROM iql_s2
),
iql_s4 AS (
  SELECT * FROM iql_s3 WHERE ("year" = 2025)
),
iql_s5 AS (
  SELECT "authority" AS "authority", "change" AS "change", "iql_order_1" FROM iql_s4
)
SELECT "authority", "change"
FROM iql_s5
ORDER BY "iql_order_1";

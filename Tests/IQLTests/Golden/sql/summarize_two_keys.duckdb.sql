-- from children_in_care | where year >= 2020 | summarize total = sum(children), m = median(rate_per_10k), first_code = first(authority_code) by region, year
WITH iql_s1 AS (
  SELECT "year", "authority_code", "region", "children", "rate_per_10k", rowid AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("year" >= 2020)
),
iql_s3 AS (
  SELECT "region" AS "region", "year" AS "year", sum("children") AS "total", median("rate_per_10k") AS "m", (array_agg("authority_code" ORDER BY "iql_order_1" ASC) FILTER (WHERE "authority_code" IS NOT NULL))[1] AS "first_code" FROM iql_s2 GROUP BY 1, 2
),
iql_s4 AS (
  SELECT *, row_number() OVER (ORDER BY "region" ASC NULLS LAST, "year" ASC NULLS LAST) AS "iql_order_2" FROM iql_s3
)
SELECT "region", "year", "total", "m", "first_code"
FROM iql_s4
ORDER BY "iql_order_2";

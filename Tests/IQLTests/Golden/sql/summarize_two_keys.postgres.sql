-- from children_in_care | where year >= 2020 | summarize total = sum(children), m = median(rate_per_10k), first_code = first(authority_code) by region, year
WITH s1 AS (
  SELECT "year", "authority_code", "region", "children", "rate_per_10k", "iql_row" AS "iql_order_1" FROM "children_in_care"
),
s2 AS (
  SELECT * FROM s1 WHERE ("year" >= 2020)
),
s3 AS (
  SELECT ("region" COLLATE "C") AS "region", "year" AS "year", sum("children") AS "total", percentile_cont(0.5) WITHIN GROUP (ORDER BY "rate_per_10k") AS "m", (array_agg("authority_code" ORDER BY "iql_order_1" ASC) FILTER (WHERE "authority_code" IS NOT NULL))[1] AS "first_code" FROM s2 GROUP BY 1, 2
),
s4 AS (
  SELECT *, row_number() OVER (ORDER BY "region" ASC NULLS LAST, "year" ASC NULLS LAST) AS "iql_order_2" FROM s3
)
SELECT "region", "year", "total", "m", "first_code"
FROM s4
ORDER BY "iql_order_2";

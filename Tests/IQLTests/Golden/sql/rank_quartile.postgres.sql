-- from children_in_care | where year == 2025 | rank rate_per_10k asc by region | quartile children | select authority, region, rank, quartile
WITH s1 AS (
  SELECT "year", "authority", "region", "children", "rate_per_10k", "iql_row" AS "iql_order_1" FROM "children_in_care"
),
s2 AS (
  SELECT * FROM s1 WHERE ("year" = 2025)
),
s3 AS (
  SELECT *, CASE WHEN "rate_per_10k" IS NULL THEN NULL ELSE rank() OVER (PARTITION BY "region", ("rate_per_10k" IS NULL) ORDER BY "rate_per_10k" ASC) END AS "rank" FROM s2
),
s4 AS (
  SELECT *, rank() OVER (PARTITION BY ("children" IS NULL) ORDER BY "children" DESC) AS "iql_place_2", count("children") OVER (PARTITION BY ("children" IS NULL)) AS "iql_rows_3" FROM s3
),
s5 AS (
  SELECT *, CASE WHEN "children" IS NULL THEN NULL WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 1 THEN 'A' WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 2 THEN 'B' WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 3 THEN 'C' ELSE 'D' END AS "quartile" FROM s4
),
s6 AS (
  SELECT "authority" AS "authority", "region" AS "region", "rank" AS "rank", "quartile" AS "quartile", "iql_order_1" FROM s5
)
SELECT "authority", "region", "rank", "quartile"
FROM s6
ORDER BY "iql_order_1";

-- from children_in_care | where year == 2025 | rank rate_per_10k asc by region | quartile children | select authority, region, rank, quartile
WITH iql_s1 AS (
  SELECT "year", "authority", "region", "children", "rate_per_10k", "iql_row" AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("year" = 2025)
),
iql_s3 AS (
  SELECT *, CASE WHEN "rate_per_10k" IS NULL THEN NULL ELSE rank() OVER (PARTITION BY "region", ("rate_per_10k" IS NULL) ORDER BY "rate_per_10k" ASC) END AS "rank" FROM iql_s2
),
iql_s4 AS (
  SELECT *, rank() OVER (PARTITION BY ("children" IS NULL) ORDER BY "children" DESC) AS "iql_place_2", count("children") OVER (PARTITION BY ("children" IS NULL)) AS "iql_rows_3" FROM iql_s3
),
iql_s5 AS (
  SELECT *, CASE WHEN "children" IS NULL THEN NULL WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 1 THEN 'A' WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 2 THEN 'B' WHEN (((("iql_place_2" - 1) * 4) - (("iql_place_2" - 1) * 4) % "iql_rows_3") / "iql_rows_3") < 3 THEN 'C' ELSE 'D' END AS "quartile" FROM iql_s4
),
iql_s6 AS (
  SELECT "authority" AS "authority", "region" AS "region", "rank" AS "rank", "quartile" AS "quartile", "iql_order_1" FROM iql_s5
)
SELECT "authority", "region", "rank", "quartile"
FROM iql_s6
ORDER BY "iql_order_1";

-- from indicators | where measure == "ReReferral" and level == "council" and year == 2025 | quartile value | count by quartile
WITH iql_s1 AS (
  SELECT "measure", "year", "level", "value", "iql_row" AS "iql_order_1" FROM "indicators"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ((("measure" = E'ReReferral') AND ("level" = E'council')) AND ("year" = 2025))
),
iql_s3 AS (
  SELECT *, min("measure") OVER (PARTITION BY ("value" IS NULL)) AS "iql_measure_low_2", max("measure") OVER (PARTITION BY ("value" IS NULL)) AS "iql_measure_high_3" FROM iql_s2
),
iql_s4 AS (
  SELECT b.*, CASE WHEN b."iql_measure_low_2" = b."iql_measure_high_3" THEN p."higher_is_better" END AS "iql_higher_is_better_4" FROM iql_s3 AS b LEFT JOIN "measures" AS p ON p."measure" = b."iql_measure_low_2"
),
iql_s5 AS (
  SELECT *, rank() OVER (PARTITION BY ("value" IS NULL) ORDER BY CASE WHEN "iql_higher_is_better_4" = FALSE THEN "value" ELSE - "value" END ASC) AS "iql_place_5", count("value") OVER (PARTITION BY ("value" IS NULL)) AS "iql_rows_6" FROM iql_s4
),
iql_s6 AS (
  SELECT *, CASE WHEN "value" IS NULL THEN NULL WHEN (((("iql_place_5" - 1) * 4) - (("iql_place_5" - 1) * 4) % "iql_rows_6") / "iql_rows_6") < 1 THEN 'A' WHEN (((("iql_place_5" - 1) * 4) - (("iql_place_5" - 1) * 4) % "iql_rows_6") / "iql_rows_6") < 2 THEN 'B' WHEN (((("iql_place_5" - 1) * 4) - (("iql_place_5" - 1) * 4) % "iql_rows_6") / "iql_rows_6") < 3 THEN 'C' ELSE 'D' END AS "quartile" FROM iql_s5
),
iql_s7 AS (
  SELECT ("quartile" COLLATE "C") AS "quartile", count(*) AS "n" FROM iql_s6 GROUP BY 1
),
iql_s8 AS (
  SELECT *, row_number() OVER (ORDER BY "quartile" ASC NULLS LAST) AS "iql_order_7" FROM iql_s7
)
SELECT "quartile", "n"
FROM iql_s8
ORDER BY "iql_order_7";

-- from children_in_care | where year >= 2023 | select authority, year, children | pivot year children | unpivot
WITH iql_s1 AS (
  SELECT "year", "authority", "children", "iql_row" AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("year" >= 2023)
),
iql_s3 AS (
  SELECT "authority" AS "authority", "year" AS "year", "children" AS "children", "iql_order_1" FROM iql_s2
),
iql_s4 AS (
  SELECT *, CASE WHEN (("year" = 2023) OR ("year" = 2024) OR ("year" = 2025)) AND "children" IS NOT NULL AND lag("children") OVER (PARTITION BY "authority", "year" ORDER BY "iql_order_1") IS NOT NULL THEN CAST(CAST(concat(E'pivot: two values for one cell of year', '') AS INTEGER) AS BOOLEAN) ELSE TRUE END AS "iql_checked_2" FROM iql_s3
),
iql_s5 AS (
  SELECT * FROM iql_s4 WHERE "iql_checked_2"
),
iql_s6 AS (
  SELECT "authority" AS "authority", (array_agg("children" ORDER BY "iql_order_1" DESC) FILTER (WHERE "year" = 2023))[1] AS "2023", (array_agg("children" ORDER BY "iql_order_1" DESC) FILTER (WHERE "year" = 2024))[1] AS "2024", (array_agg("children" ORDER BY "iql_order_1" DESC) FILTER (WHERE "year" = 2025))[1] AS "2025", min("iql_order_1") AS "iql_order_3" FROM iql_s5 GROUP BY "authority"
),
iql_s7 AS (
  SELECT "authority" AS "authority", 2023 AS "year", "2023" AS "children", "iql_order_3" AS "iql_order_3", 0 AS "iql_place_4" FROM iql_s6
  UNION ALL SELECT "authority" AS "authority", 2024 AS "year", "2024" AS "children", "iql_order_3" AS "iql_order_3", 1 AS "iql_place_4" FROM iql_s6
  UNION ALL SELECT "authority" AS "authority", 2025 AS "year", "2025" AS "children", "iql_order_3" AS "iql_order_3", 2 AS "iql_place_4" FROM iql_s6
),
iql_s8 AS (
  SELECT *, row_number() OVER (ORDER BY "iql_order_3", "iql_place_4") AS "iql_order_5" FROM iql_s7
)
SELECT "authority", "year", "children"
FROM iql_s8
ORDER BY "iql_order_5";

-- from inspections | select region, framework | distinct | count
WITH iql_s1 AS (
  SELECT "region", "framework", "iql_row" AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT "region" AS "region", "framework" AS "framework", "iql_order_1" FROM iql_s1
),
iql_s3 AS (
  SELECT "region", "framework", min("iql_order_1") AS "iql_order_2" FROM iql_s2 GROUP BY 1, 2
),
iql_s4 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_3" FROM iql_s3
)
SELECT "n"
FROM iql_s4
ORDER BY "iql_order_3";

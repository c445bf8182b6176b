-- from inspections | select region, framework | distinct | count
WITH s1 AS (
  SELECT "region", "framework", "iql_row" AS "iql_order_1" FROM "inspections"
),
s2 AS (
  SELECT "region" AS "region", "framework" AS "framework", "iql_order_1" FROM s1
),
s3 AS (
  SELECT "region", "framework", min("iql_order_1") AS "iql_order_2" FROM s2 GROUP BY 1, 2
),
s4 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_3" FROM s3
)
SELECT "n"
FROM s4
ORDER BY "iql_order_3";

-- from inspections | select region, framework, n = 1 | distinct | pivot framework n values ["ILACS", "SIF"]
WITH iql_s1 AS (
  SELECT "region", "framework", rowid AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT "region" AS "region", "framework" AS "framework", 1 AS "n", "iql_order_1" FROM iql_s1
),
iql_s3 AS (
  SELECT "region", "framework", "n", min("iql_order_1") AS "iql_order_2" FROM iql_s2 GROUP BY 1, 2, 3
),
iql_s4 AS (
  SELECT *, CASE WHEN (("framework" = E'ILACS') OR ("framework" = E'SIF')) AND "n" IS NOT NULL AND lag("n") OVER (PARTITION BY "region", "framework" ORDER BY "iql_order_2") IS NOT NULL THEN error(E'pivot: two values for one cell of framework') ELSE TRUE END AS "iql_checked_3" FROM iql_s3
),
iql_s5 AS (
  SELECT * FROM iql_s4 WHERE "iql_checked_3"
),
iql_s6 AS (
  SELECT "region" AS "region", (array_agg("n" ORDER BY "iql_order_2" DESC) FILTER (WHERE "framework" = E'ILACS'))[1] AS "ILACS", (array_agg("n" ORDER BY "iql_order_2" DESC) FILTER (WHERE "framework" = E'SIF'))[1] AS "SIF", min("iql_order_2") AS "iql_order_4" FROM iql_s5 GROUP BY "region"
)
SELECT "region", "ILACS", "SIF"
FROM iql_s6
ORDER BY "iql_order_4";

-- from inspections | latest published by authority as of 2019-08-31 | where overall >= good | select authority, overall
WITH iql_s1 AS (
  SELECT "authority", "published", CASE "overall" WHEN 'Inadequate' THEN 1 WHEN 'Requires improvement to be good' THEN 2 WHEN 'Good' THEN 3 WHEN 'Outstanding' THEN 4 END AS "overall", "iql_row" AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT *, row_number() OVER (PARTITION BY "authority" ORDER BY "published" DESC, "iql_order_1" DESC) AS "iql_rank_2" FROM iql_s1 WHERE "published" IS NOT NULL AND "published" <= DATE '2019-08-31'
),
iql_s3 AS (
  SELECT *, row_number() OVER (ORDER BY ("authority" COLLATE "C") ASC NULLS LAST, "iql_order_1") AS "iql_order_3" FROM iql_s2 WHERE "iql_rank_2" = 1
),
iql_s4 AS (
  SELECT * FROM iql_s3 WHERE ("overall" >= 3)
),
iql_s5 AS (
  SELECT "authority" AS "authority", "overall" AS "overall", "iql_order_3" FROM iql_s4
)
SELECT "authority", CASE "overall" WHEN 1 THEN 'Inadequate' WHEN 2 THEN 'Requires improvement to be good' WHEN 3 THEN 'Good' WHEN 4 THEN 'Outstanding' END AS "overall"
FROM iql_s5
ORDER BY "iql_order_3";

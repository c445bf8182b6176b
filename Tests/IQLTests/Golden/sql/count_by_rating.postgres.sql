-- from inspections | where framework == "ILACS" | latest published by authority | count by overall
WITH iql_s1 AS (
  SELECT "authority", "framework", "published", CASE "overall" WHEN 'Inadequate' THEN 1 WHEN 'Requires improvement to be good' THEN 2 WHEN 'Good' THEN 3 WHEN 'Outstanding' THEN 4 END AS "overall", "iql_row" AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("framework" = E'ILACS')
),
iql_s3 AS (
  SELECT *, row_number() OVER (PARTITION BY "authority" ORDER BY "published" DESC, "iql_order_1" DESC) AS "iql_rank_2" FROM iql_s2 WHERE "published" IS NOT NULL
),
iql_s4 AS (
  SELECT *, row_number() OVER (ORDER BY ("authority" COLLATE "C") ASC NULLS LAST, "iql_order_1") AS "iql_order_3" FROM iql_s3 WHERE "iql_rank_2" = 1
),
iql_s5 AS (
  SELECT "overall" AS "overall", count(*) AS "n" FROM iql_s4 GROUP BY 1
),
iql_s6 AS (
  SELECT *, row_number() OVER (ORDER BY "overall" ASC NULLS LAST) AS "iql_order_4" FROM iql_s5
)
SELECT CASE "overall" WHEN 1 THEN 'Inadequate' WHEN 2 THEN 'Requires improvement to be good' WHEN 3 THEN 'Good' WHEN 4 THEN 'Outstanding' END AS "overall", "n"
FROM iql_s6
ORDER BY "iql_order_4";

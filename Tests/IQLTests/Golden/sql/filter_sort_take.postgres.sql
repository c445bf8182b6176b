-- from inspections | where overall >= good and region == "London" | sort published desc | take 3 | select authority, published, overall
WITH iql_s1 AS (
  SELECT "authority", "region", "published", CASE "overall" WHEN 'Inadequate' THEN 1 WHEN 'Requires improvement to be good' THEN 2 WHEN 'Good' THEN 3 WHEN 'Outstanding' THEN 4 END AS "overall", "iql_row" AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE (("overall" >= 3) AND ("region" = E'London'))
),
iql_s3 AS (
  SELECT *, row_number() OVER (ORDER BY "published" DESC NULLS LAST, "iql_order_1") AS "iql_order_2" FROM iql_s2
),
iql_s4 AS (
  SELECT * FROM iql_s3 ORDER BY "iql_order_2" LIMIT 3
),
iql_s5 AS (
  SELECT "authority" AS "authority", "published" AS "published", "overall" AS "overall", "iql_order_2" FROM iql_s4
)
SELECT "authority", "published", CASE "overall" WHEN 1 THEN 'Inadequate' WHEN 2 THEN 'Requires improvement to be good' WHEN 3 THEN 'Good' WHEN 4 THEN 'Outstanding' END AS "overall"
FROM iql_s5
ORDER BY "iql_order_2";

-- from inspections | derive y = year(published), days = days_between(inspected, published), p = if(contains(lower(authority), "shire"), "shire", coalesce(type, "?")) | select authority, y, days, p
WITH iql_s1 AS (
  SELECT "authority", "type", "inspected", "published", "iql_row" AS "iql_order_1" FROM "inspections"
),
iql_s2 AS (
  SELECT *, CAST(EXTRACT(YEAR FROM "published") AS BIGINT) AS "y" FROM iql_s1
),
iql_s3 AS (
  SELECT *, ("published" - "inspected") AS "days" FROM iql_s2
),
iql_s4 AS (
  SELECT *, (CASE WHEN (strpos(lower("authority"), E'shire') > 0) THEN E'shire' ELSE COALESCE("type", E'?') END) AS "p" FROM iql_s3
),
iql_s5 AS (
  SELECT "authority" AS "authority", "y" AS "y", "days" AS "days", "p" AS "p", "iql_order_1" FROM iql_s4
)
SELECT "authority", "y", "days", "p"
FROM iql_s5
ORDER BY "iql_order_1";

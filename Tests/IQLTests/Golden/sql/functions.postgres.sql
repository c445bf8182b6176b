-- from inspections | derive y = year(published), days = days_between(inspected, published), p = if(contains(lower(authority), "shire"), "shire", coalesce(type, "?")) | select authority, y, days, p
WITH s1 AS (
  SELECT "authority", "type", "inspected", "published", "iql_row" AS "iql_order_1" FROM "inspections"
),
s2 AS (
  SELECT *, CAST(EXTRACT(YEAR FROM "published") AS BIGINT) AS "y" FROM s1
),
s3 AS (
  SELECT *, ("published" - "inspected") AS "days" FROM s2
),
s4 AS (
  SELECT *, (CASE WHEN (strpos(lower("authority"), E'shire') > 0) THEN E'shire' ELSE COALESCE("type", E'?') END) AS "p" FROM s3
),
s5 AS (
  SELECT "authority" AS "authority", "y" AS "y", "days" AS "days", "p" AS "p", "iql_order_1" FROM s4
)
SELECT "authority", "y", "days", "p"
FROM s5
ORDER BY "iql_order_1";

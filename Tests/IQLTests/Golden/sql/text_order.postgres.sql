-- from authorities | where authority like "B%" or ends_with(authority, "ton") | sort authority desc | select authority
WITH iql_s1 AS (
  SELECT "authority", "iql_row" AS "iql_order_1" FROM "authorities"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE (("authority" LIKE E'B%' ESCAPE '') OR (right("authority", length(E'ton')) = E'ton'))
),
iql_s3 AS (
  SELECT *, row_number() OVER (ORDER BY ("authority" COLLATE "C") DESC NULLS LAST, "iql_order_1") AS "iql_order_2" FROM iql_s2
),
iql_s4 AS (
  SELECT "authority" AS "authority", "iql_order_2" FROM iql_s3
)
SELECT "authority"
FROM iql_s4
ORDER BY "iql_order_2";

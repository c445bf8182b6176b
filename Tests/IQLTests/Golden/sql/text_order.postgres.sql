-- from authorities | where authority like "B%" or ends_with(authority, "ton") | sort authority desc | select authority
WITH s1 AS (
  SELECT "authority", "iql_row" AS "iql_order_1" FROM "authorities"
),
s2 AS (
  SELECT * FROM s1 WHERE (("authority" LIKE E'B%' ESCAPE '') OR (right("authority", length(E'ton')) = E'ton'))
),
s3 AS (
  SELECT *, row_number() OVER (ORDER BY ("authority" COLLATE "C") DESC NULLS LAST, "iql_order_1") AS "iql_order_2" FROM s2
),
s4 AS (
  SELECT "authority" AS "authority", "iql_order_2" FROM s3
)
SELECT "authority"
FROM s4
ORDER BY "iql_order_2";

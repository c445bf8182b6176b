-- let london = from authorities | where region == "London"
-- from london | count
-- assert first(n) == 33
WITH s1 AS (
  SELECT "authority", "authority_code", "region", "ofsted_region", "authority_dfe", "dfe_code", "region_code", "london_subregion", "type", "ofsted_urn", "iql_row" AS "iql_order_1" FROM "authorities"
),
s2 AS (
  SELECT * FROM s1 WHERE ("region" = E'London')
),
s3 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_2" FROM s2
)
SELECT "n"
FROM s3
ORDER BY "iql_order_2";

WITH s1 AS (
  SELECT "authority", "authority_code", "region", "ofsted_region", "authority_dfe", "dfe_code", "region_code", "london_subregion", "type", "ofsted_urn", "iql_row" AS "iql_order_1" FROM "authorities"
),
s2 AS (
  SELECT * FROM s1 WHERE ("region" = E'London')
),
s4 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_3" FROM s2
)
SELECT CASE WHEN ((array_agg("n" ORDER BY "iql_order_3" ASC) FILTER (WHERE "n" IS NOT NULL))[1] = 33) THEN TRUE ELSE CAST(CAST(concat(E'assertion failed: first(n) == 33', '') AS INTEGER) AS BOOLEAN) END AS "assertion"
FROM s4;

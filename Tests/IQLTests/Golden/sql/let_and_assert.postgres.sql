-- let london = from authorities | where region == "London"
-- from london | count
-- assert first(n) == 33
WITH iql_s1 AS (
  SELECT "authority", "authority_code", "region", "ofsted_region", "authority_dfe", "dfe_code", "region_code", "london_subregion", "type", "ofsted_urn", "iql_row" AS "iql_order_1" FROM "authorities"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("region" = E'London')
),
iql_s3 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_2" FROM iql_s2
)
SELECT "n"
FROM iql_s3
ORDER BY "iql_order_2";

WITH iql_s1 AS (
  SELECT "authority", "authority_code", "region", "ofsted_region", "authority_dfe", "dfe_code", "region_code", "london_subregion", "type", "ofsted_urn", "iql_row" AS "iql_order_1" FROM "authorities"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("region" = E'London')
),
iql_s4 AS (
  SELECT count(*) AS "n", 1 AS "iql_order_3" FROM iql_s2
)
SELECT CASE WHEN ((array_agg("n" ORDER BY "iql_order_3" ASC) FILTER (WHERE "n" IS NOT NULL))[1] = 33) THEN TRUE ELSE CAST(CAST(concat(E'assertion failed: first(n) == 33', '') AS INTEGER) AS BOOLEAN) END AS "assertion"
FROM iql_s4;

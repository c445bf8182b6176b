-- from children_in_care | where year == 2025 | join left authorities on authority | join anti visits on authority | select authority, region, children
WITH iql_s1 AS (
  SELECT "year", "authority", "region", "children", rowid AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("year" = 2025)
),
iql_s3 AS (
  SELECT "authority", "authority_code", "region", "ofsted_region", "authority_dfe", "dfe_code", "region_code", "london_subregion", "type", "ofsted_urn", rowid AS "iql_order_2" FROM "authorities"
),
iql_s4 AS (
  SELECT l.*, r."authority_code" AS "authorities.authority_code", r."region" AS "authorities.region", r."ofsted_region" AS "authorities.ofsted_region", r."authority_dfe" AS "authority_dfe", r."dfe_code" AS "dfe_code", r."region_code" AS "region_code", r."london_subregion" AS "london_subregion", r."type" AS "type", r."ofsted_urn" AS "ofsted_urn", row_number() OVER (ORDER BY l."iql_order_1", r."iql_order_2") AS "iql_order_3" FROM iql_s2 AS l LEFT JOIN iql_s3 AS r ON l."authority" = r."authority"
),
iql_s5 AS (
  SELECT "authority", rowid AS "iql_order_4" FROM "visits"
),
iql_s6 AS (
  SELECT l.* FROM iql_s4 AS l WHERE NOT EXISTS (SELECT 1 FROM iql_s5 AS r WHERE l."authority" = r."authority")
),
iql_s7 AS (
  SELECT "authority" AS "authority", "region" AS "region", "children" AS "children", "iql_order_3" FROM iql_s6
)
SELECT "authority", "region", "children"
FROM iql_s7
ORDER BY "iql_order_3";

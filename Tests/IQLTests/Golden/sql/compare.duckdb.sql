-- from children_in_care | where year >= 2024 | select authority, year, children | compare children with neighbours, region, england
WITH iql_s1 AS (
  SELECT "year", "authority", "children", rowid AS "iql_order_1" FROM "children_in_care"
),
iql_s2 AS (
  SELECT * FROM iql_s1 WHERE ("year" >= 2024)
),
iql_s3 AS (
  SELECT "authority" AS "authority", "year" AS "year", "children" AS "children", "iql_order_1" FROM iql_s2
),
iql_s4 AS (
  SELECT "year", "authority", "children", rowid AS "iql_order_7" FROM "children_in_care"
),
iql_s5 AS (
  SELECT DISTINCT "year" AS "iql_dim_2" FROM iql_s3
),
iql_s6 AS (
  SELECT s."year" AS "iql_dim_2", s."children" AS "iql_value_3", s."authority" AS "iql_id_4", s."iql_order_7" AS "iql_order_6" FROM iql_s4 AS s WHERE (s."year" IN (SELECT "iql_dim_2" FROM iql_s5) OR s."year" IS NULL)
),
iql_s7 AS (
  SELECT s."iql_dim_2", s."iql_value_3", n."identity" AS "iql_id_4", n."region" AS "iql_region_5", s."iql_order_6" FROM iql_s6 AS s JOIN "iql_council_names" AS n ON n."key" = trim(regexp_replace(lower(replace(s."iql_id_4", '&', ' and ')), '[^a-z0-9]+', ' ', 'g'))
),
iql_s8 AS (
  SELECT "year", "authority", "children", rowid AS "iql_order_8" FROM "children_in_care_areas"
),
iql_s9 AS (
  SELECT s."year" AS "iql_dim_2", s."children" AS "iql_value_3", s."authority" AS "iql_id_4", s."iql_order_8" AS "iql_order_6" FROM iql_s8 AS s WHERE (s."year" IN (SELECT "iql_dim_2" FROM iql_s5) OR s."year" IS NULL)
),
iql_s10 AS (
  SELECT s."iql_dim_2", s."iql_value_3", n."identity" AS "iql_id_4", n."region" AS "iql_region_5", s."iql_order_6" FROM iql_s9 AS s JOIN "iql_council_names" AS n ON n."key" = trim(regexp_replace(lower(replace(s."iql_id_4", '&', ' and ')), '[^a-z0-9]+', ' ', 'g'))
),
iql_s11 AS (
  SELECT "iql_dim_2", "iql_id_4", "iql_value_3", 0 AS "iql_from_9", row_number() OVER (PARTITION BY "iql_dim_2", "iql_id_4" ORDER BY "iql_order_6" DESC) AS "iql_place_10" FROM iql_s7 UNION ALL SELECT "iql_dim_2", "iql_id_4", "iql_value_3", 1, row_number() OVER (PARTITION BY "iql_dim_2", "iql_id_4" ORDER BY "iql_order_6") FROM iql_s10 WHERE "iql_value_3" IS NOT NULL
),
iql_s12 AS (
  SELECT *, row_number() OVER (PARTITION BY "iql_dim_2", "iql_id_4" ORDER BY ("iql_value_3" IS NULL), "iql_from_9") AS "iql_pick_11" FROM iql_s11 WHERE "iql_place_10" = 1
),
iql_s13 AS (
  SELECT "iql_dim_2", "iql_id_4", "iql_value_3", "iql_from_9" FROM iql_s12 WHERE "iql_pick_11" = 1
),
iql_s14 AS (
  SELECT "iql_dim_2", "iql_region_5" AS "iql_id_4", sum("iql_value_3") AS "iql_total_12", count("iql_value_3") AS "iql_count_13" FROM iql_s7 WHERE "iql_region_5" IS NOT NULL AND "iql_value_3" IS NOT NULL GROUP BY "iql_dim_2", "iql_region_5" UNION ALL SELECT "iql_dim_2", 'E92000001', sum("iql_value_3") AS "iql_total_12", count("iql_value_3") AS "iql_count_13" FROM iql_s7 WHERE "iql_region_5" IS NOT NULL AND "iql_value_3" IS NOT NULL GROUP BY "iql_dim_2"
),
iql_s15 AS (
  SELECT i.*, n."identity" AS "iql_id_4", n."region" AS "iql_region_5" FROM iql_s3 AS i LEFT JOIN "iql_council_names" AS n ON n."key" = trim(regexp_replace(lower(replace(i."authority", '&', ' and ')), '[^a-z0-9]+', ' ', 'g'))
),
iql_s16 AS (
  SELECT "authority_code", "neighbour_code", rowid AS "iql_order_15" FROM "neighbours"
),
iql_s17 AS (
  SELECT x."identity" AS "iql_id_4", y."identity" AS "iql_other_16" FROM iql_s16 AS s JOIN "iql_council_names" AS x ON x."key" = trim(regexp_replace(lower(replace(s."authority_code", '&', ' and ')), '[^a-z0-9]+', ' ', 'g')) JOIN "iql_council_names" AS y ON y."key" = trim(regexp_replace(lower(replace(s."neighbour_code", '&', ' and ')), '[^a-z0-9]+', ' ', 'g'))
),
iql_s18 AS (
  SELECT DISTINCT "year" AS "iql_dim_2", "iql_id_4" FROM iql_s15 WHERE "iql_id_4" IS NOT NULL
),
iql_s19 AS (
  SELECT k."iql_dim_2", k."iql_id_4", sum(p."iql_value_3") AS "iql_total_12", count(p."iql_value_3") AS "iql_count_13", count(*) AS "iql_listed_17" FROM iql_s18 AS k JOIN iql_s17 AS nb ON nb."iql_id_4" = k."iql_id_4" LEFT JOIN iql_s13 AS p ON (k."iql_dim_2" IS NULL) = (p."iql_dim_2" IS NULL) AND COALESCE(k."iql_dim_2", 0) = COALESCE(p."iql_dim_2", 0) AND p."iql_id_4" = nb."iql_other_16" GROUP BY k."iql_dim_2", k."iql_id_4"
),
iql_s20 AS (
  SELECT j.*, CASE WHEN nv."iql_count_13" > 0 THEN CAST(nv."iql_total_12" AS DOUBLE) / nv."iql_count_13" END AS "neighbours_value", CASE WHEN nv."iql_count_13" > 0 THEN CAST(j."children" * nv."iql_count_13" - nv."iql_total_12" AS DOUBLE) / nv."iql_count_13" END AS "vs_neighbours", CASE WHEN nv."iql_count_13" < nv."iql_listed_17" THEN 1 ELSE 0 END AS "iql_how_14", CASE WHEN pr."iql_value_3" IS NOT NULL THEN CAST(pr."iql_value_3" AS DOUBLE) ELSE CAST(cr."iql_total_12" AS DOUBLE) / cr."iql_count_13" END AS "region_value", CASE WHEN pr."iql_value_3" IS NOT NULL THEN CAST(j."children" - pr."iql_value_3" AS DOUBLE) ELSE CAST(j."children" * cr."iql_count_13" - cr."iql_total_12" AS DOUBLE) / cr."iql_count_13" END AS "vs_region", CASE WHEN pr."iql_value_3" IS NOT NULL THEN pr."iql_from_9" + 1 WHEN CAST(cr."iql_total_12" AS DOUBLE) / cr."iql_count_13" IS NOT NULL THEN 3 ELSE 0 END AS "iql_how_18", CASE WHEN pe."iql_value_3" IS NOT NULL THEN CAST(pe."iql_value_3" AS DOUBLE) ELSE CAST(ce."iql_total_12" AS DOUBLE) / ce."iql_count_13" END AS "england_value", CASE WHEN pe."iql_value_3" IS NOT NULL THEN CAST(j."children" - pe."iql_value_3" AS DOUBLE) ELSE CAST(j."children" * ce."iql_count_13" - ce."iql_total_12" AS DOUBLE) / ce."iql_count_13" END AS "vs_england", CASE WHEN pe."iql_value_3" IS NOT NULL THEN pe."iql_from_9" + 1 WHEN CAST(ce."iql_total_12" AS DOUBLE) / ce."iql_count_13" IS NOT NULL THEN 3 ELSE 0 END AS "iql_how_19" FROM iql_s15 AS j LEFT JOIN iql_s19 AS nv ON (j."year" IS NULL) = (nv."iql_dim_2" IS NULL) AND COALESCE(j."year", 0) = COALESCE(nv."iql_dim_2", 0) AND nv."iql_id_4" = j."iql_id_4" LEFT JOIN iql_s13 AS pr ON (j."year" IS NULL) = (pr."iql_dim_2" IS NULL) AND COALESCE(j."year", 0) = COALESCE(pr."iql_dim_2", 0) AND pr."iql_id_4" = j."iql_region_5" LEFT JOIN iql_s14 AS cr ON (j."year" IS NULL) = (cr."iql_dim_2" IS NULL) AND COALESCE(j."year", 0) = COALESCE(cr."iql_dim_2", 0) AND cr."iql_id_4" = j."iql_region_5" LEFT JOIN iql_s13 AS pe ON (j."year" IS NULL) = (pe."iql_dim_2" IS NULL) AND COALESCE(j."year", 0) = COALESCE(pe."iql_dim_2", 0) AND pe."iql_id_4" = 'E92000001' AND j."iql_id_4" IS NOT NULL LEFT JOIN iql_s14 AS ce ON (j."year" IS NULL) = (ce."iql_dim_2" IS NULL) AND COALESCE(j."year", 0) = COALESCE(ce."iql_dim_2", 0) AND ce."iql_id_4" = 'E92000001' AND j."iql_id_4" IS NOT NULL
),
iql_s21 AS (
  SELECT "authority", "year", "children", "neighbours_value", "vs_neighbours", "region_value", "vs_region", "england_value", "vs_england", "iql_order_1" FROM iql_s20
)
SELECT "authority", "year", "children", "neighbours_value", "vs_neighbours", "region_value", "vs_region", "england_value", "vs_england"
FROM iql_s21
ORDER BY "iql_order_1";

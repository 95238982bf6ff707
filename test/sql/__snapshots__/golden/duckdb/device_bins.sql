-- Point-in-time features of view `device_bins` version 1 (duckdb).
-- Input: entity_rows(__row BIGINT, device_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when device_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- device_bins: events of the wanted keys in source order, with their last-N and running aggregates
  "device_bins__events" AS (
    SELECT
      "ev"."device_id" AS "device_id",
      "ev"."event_timestamp" AS "event_timestamp",
      "ev"."hard_bin" AS "hard_bin",
      "ev"."soft_bin" AS "soft_bin",
      count(*) OVER (PARTITION BY "ev"."device_id" ORDER BY "ev"."event_timestamp", "ev"."insertion" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p0",
      count(*) FILTER (WHERE "ev"."__f0") OVER (PARTITION BY "ev"."device_id" ORDER BY "ev"."event_timestamp", "ev"."insertion" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p1",
      lead("ev"."event_timestamp") OVER (PARTITION BY "ev"."device_id" ORDER BY "ev"."event_timestamp", "ev"."insertion") AS "__next_ts"
    FROM (
      SELECT
        "s"."device_id" AS "device_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."insertion" AS "insertion",
        "s"."hard_bin" AS "hard_bin",
        "s"."soft_bin" AS "soft_bin",
        "s"."hard_bin" <> 1 AS "__f0"
      FROM "bin_results" AS "s"
      WHERE "s"."device_id" IN (SELECT "e"."device_id" FROM "entity_rows" AS "e")
    ) AS "ev"
  ),
  -- device_bins: the latest event of each entity row's key at or before T (ts, then order columns)
  "device_bins__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."device_id" AS "device_id",
      "l"."event_timestamp" AS "event_timestamp",
      "l"."hard_bin" AS "hard_bin",
      "l"."soft_bin" AS "soft_bin",
      "l"."__p0" AS "__p0",
      "l"."__p1" AS "__p1"
    FROM "entity_rows" AS "e"
    ASOF LEFT JOIN (
      SELECT
        "ev"."device_id" AS "device_id",
        "ev"."event_timestamp" AS "event_timestamp",
        "ev"."hard_bin" AS "hard_bin",
        "ev"."soft_bin" AS "soft_bin",
        "ev"."__p0" AS "__p0",
        "ev"."__p1" AS "__p1"
      FROM "device_bins__events" AS "ev"
      WHERE ("ev"."__next_ts" IS NULL) OR "ev"."__next_ts" > "ev"."event_timestamp"
    ) AS "l" ON "l"."device_id" = "e"."device_id" AND "l"."event_timestamp" <= "e"."__t"
  ),
  -- device_bins: features as of T, NULL when the latest event is older than T - ttl (2592000000 ms)
  "device_bins" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- hard_bin
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."hard_bin" END AS "hard_bin",
      -- soft_bin
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."soft_bin" END AS "soft_bin",
      -- passed = hard_bin == 1
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."hard_bin" = 1 END AS "passed",
      -- insertions = count() over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p0" END AS "insertions",
      -- failed_before = (count() where hard_bin != 1 over all) > 0
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p1" > 0 END AS "failed_before",
      -- retest_rescued = passed and failed_before
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."hard_bin" = 1 AND "lt"."__p1" > 0 END AS "retest_rescued"
    FROM "device_bins__latest" AS "lt"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."hard_bin" AS "hard_bin",
  "v1"."soft_bin" AS "soft_bin",
  "v1"."passed" AS "passed",
  "v1"."insertions" AS "insertions",
  "v1"."failed_before" AS "failed_before",
  "v1"."retest_rescued" AS "retest_rescued"
FROM "device_bins" AS "v1"
ORDER BY "v1"."__row";

-- Point-in-time features of view `wafer_yield` version 1 (duckdb).
-- Input: entity_rows(__row BIGINT, wafer_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when wafer_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- wafer_yield: events of the wanted keys in source order, with their last-N and running aggregates
  "wafer_yield__events" AS (
    SELECT
      "ev"."wafer_id" AS "wafer_id",
      "ev"."event_timestamp" AS "event_timestamp",
      nullif(nullif(avg(CAST("ev"."__a0" AS INTEGER)) OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion" ROWS BETWEEN 199 PRECEDING AND CURRENT ROW), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p0",
      lead("ev"."event_timestamp") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion") AS "__next_ts"
    FROM (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."device_id" AS "device_id",
        "s"."insertion" AS "insertion",
        "s"."hard_bin" = 1 AS "__a0"
      FROM "bin_results" AS "s"
      WHERE "s"."wafer_id" IN (SELECT "e"."wafer_id" FROM "entity_rows" AS "e")
    ) AS "ev"
  ),
  -- wafer_yield: the latest event of each entity row's key at or before T (ts, then order columns)
  "wafer_yield__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."wafer_id" AS "wafer_id",
      "l"."event_timestamp" AS "event_timestamp",
      "l"."__p0" AS "__p0"
    FROM "entity_rows" AS "e"
    ASOF LEFT JOIN (
      SELECT
        "ev"."wafer_id" AS "wafer_id",
        "ev"."event_timestamp" AS "event_timestamp",
        "ev"."__p0" AS "__p0"
      FROM "wafer_yield__events" AS "ev"
      WHERE ("ev"."__next_ts" IS NULL) OR "ev"."__next_ts" > "ev"."event_timestamp"
    ) AS "l" ON "l"."wafer_id" = "e"."wafer_id" AND "l"."event_timestamp" <= "e"."__t"
  ),
  -- wafer_yield: time-window aggregates over (T - W, T] of each entity row
  "wafer_yield__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      count(*) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000 AND "ev"."__f0") AS "__p0",
      count(*) FILTER (WHERE "ev"."__f1") AS "__p1",
      count(*) FILTER (WHERE "ev"."__f0") AS "__p2",
      count(*) AS "__p3"
    FROM "wafer_yield__latest" AS "e"
    INNER JOIN (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."hard_bin" <> 1 AS "__f0",
        "s"."insertion" > 1 AS "__f1"
      FROM "bin_results" AS "s"
    ) AS "ev" ON "ev"."wafer_id" = "e"."wafer_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t" AND "e"."event_timestamp" >= "e"."__t" - 2592000000 AND "e"."event_timestamp" > "e"."__t" - 604800000
    GROUP BY "e"."__row"
  ),
  -- wafer_yield: features as of T, NULL when the latest event is older than T - ttl (2592000000 ms)
  "wafer_yield" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- sort_yield_200 = mean(hard_bin == 1) over last 200
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p0" END AS "sort_yield_200",
      -- fails_24h = count() where hard_bin != 1 over 24h
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p0", 0) END AS "fails_24h",
      -- retests_7d = count() where insertion > 1 over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p1", 0) END AS "retests_7d",
      -- fail_share_7d = (count() where hard_bin != 1 over 7d) / (count() over 7d)
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p2", 0) / nullif(coalesce("tw"."__p3", 0), 0) END AS "fail_share_7d"
    FROM "wafer_yield__latest" AS "lt"
    LEFT JOIN "wafer_yield__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."sort_yield_200" AS "sort_yield_200",
  "v1"."fails_24h" AS "fails_24h",
  "v1"."retests_7d" AS "retests_7d",
  "v1"."fail_share_7d" AS "fail_share_7d"
FROM "wafer_yield" AS "v1"
ORDER BY "v1"."__row";

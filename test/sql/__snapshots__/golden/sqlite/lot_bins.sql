-- Point-in-time features of view `lot_bins` version 1 (sqlite).
-- Input: entity_rows(__row BIGINT, lot_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when lot_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- lot_bins: events of the wanted keys in source order, with their last-N and running aggregates
  "lot_bins__events" AS (
    SELECT
      "ev"."__rid" AS "__rid",
      count(CAST("ev"."__a0" AS REAL)) OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion" ROWS BETWEEN 499 PRECEDING AND CURRENT ROW) AS "__p0",
      sum(CAST("ev"."__a0" AS REAL)) OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion" ROWS BETWEEN 499 PRECEDING AND CURRENT ROW) AS "__p1",
      count(CAST("ev"."__a0" AS REAL)) OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p2",
      sum(CAST("ev"."__a0" AS REAL)) OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."device_id", "ev"."insertion" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p3"
    FROM (
      SELECT
        "s"."rowid" AS "__rid",
        "s"."lot_id" AS "lot_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."device_id" AS "device_id",
        "s"."insertion" AS "insertion",
        "s"."hard_bin" = 1 AS "__a0"
      FROM "bin_results" AS "s"
      WHERE "s"."lot_id" IN (SELECT "e"."lot_id" FROM "entity_rows" AS "e")
    ) AS "ev"
  ),
  -- lot_bins: the latest event of each entity row's key at or before T (ts, then order columns)
  "lot_bins__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."lot_id" AS "lot_id",
      (SELECT "s"."rowid" FROM "bin_results" AS "s" WHERE "s"."lot_id" = "e"."lot_id" AND "s"."event_timestamp" <= "e"."__t" ORDER BY "s"."event_timestamp" DESC, "s"."device_id" DESC, "s"."insertion" DESC LIMIT 1) AS "__rid"
    FROM "entity_rows" AS "e"
  ),
  -- lot_bins: last-N and running aggregates at each entity row's latest event
  "lot_bins__windows" AS (
    SELECT
      "lt"."__row" AS "__row",
      "ev"."__p0" AS "__p0",
      "ev"."__p1" AS "__p1",
      "ev"."__p2" AS "__p2",
      "ev"."__p3" AS "__p3"
    FROM "lot_bins__events" AS "ev"
    INNER JOIN "lot_bins__latest" AS "lt" ON "lt"."__rid" = "ev"."__rid"
  ),
  -- lot_bins: time-window aggregates over (T - W, T] of each entity row
  "lot_bins__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      count(*) FILTER (WHERE "ev"."__f0") AS "__p0"
    FROM "lot_bins__latest" AS "e"
    INNER JOIN "bin_results" AS "l" ON "l"."rowid" = "e"."__rid" AND "l"."event_timestamp" >= "e"."__t" - 7776000000 AND "l"."event_timestamp" > "e"."__t" - 604800000
    INNER JOIN (
      SELECT
        "s"."lot_id" AS "lot_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."hard_bin" <> 1 AS "__f0"
      FROM "bin_results" AS "s"
    ) AS "ev" ON "ev"."lot_id" = "e"."lot_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t"
    GROUP BY "e"."__row"
  ),
  -- lot_bins: features as of T, NULL when the latest event is older than T - ttl (7776000000 ms)
  "lot_bins" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- sort_yield_500 = mean(hard_bin == 1) over last 500
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN nullif(nullif("w"."__p1" / nullif("w"."__p0", 0), 9e999), -9e999) END AS "sort_yield_500",
      -- sort_yield_all = mean(hard_bin == 1) over all
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN nullif(nullif("w"."__p3" / nullif("w"."__p2", 0), 9e999), -9e999) END AS "sort_yield_all",
      -- fails_7d = count() where hard_bin != 1 over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN coalesce("tw"."__p0", 0) END AS "fails_7d"
    FROM "lot_bins__latest" AS "lt"
    LEFT JOIN "bin_results" AS "l" ON "l"."rowid" = "lt"."__rid"
    LEFT JOIN "lot_bins__windows" AS "w" ON "w"."__row" = "lt"."__row"
    LEFT JOIN "lot_bins__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."sort_yield_500" AS "sort_yield_500",
  "v1"."sort_yield_all" AS "sort_yield_all",
  "v1"."fails_7d" AS "fails_7d"
FROM "lot_bins" AS "v1"
ORDER BY "v1"."__row";

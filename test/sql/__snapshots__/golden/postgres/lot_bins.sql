-- Point-in-time features of view `lot_bins` version 1 (postgres).
-- Input: entity_rows(__row BIGINT, lot_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when lot_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- lot_bins: events of the wanted keys in source order, with their last-N and running aggregates
  "lot_bins__events" AS (
    SELECT
      "ev"."__rid" AS "__rid",
      "ev"."lot_id" AS "lot_id",
      "ev"."event_timestamp" AS "event_timestamp",
      CAST(avg(CAST("ev"."__a0" AS INTEGER)) OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."device_id" COLLATE "C", "ev"."insertion" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "__p0"
    FROM (
      SELECT
        "s"."ctid" AS "__rid",
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
      "l"."__rid" AS "__rid",
      "l"."event_timestamp" AS "event_timestamp",
      "__last500"."__last500_p0" AS "__last500_p0"
    FROM "entity_rows" AS "e"
    LEFT JOIN LATERAL (
      SELECT
        "s"."ctid" AS "__rid",
        "s"."event_timestamp" AS "event_timestamp"
      FROM "bin_results" AS "s"
      WHERE "s"."lot_id" = "e"."lot_id" AND "s"."event_timestamp" <= "e"."__t"
      ORDER BY "s"."event_timestamp" DESC, "s"."device_id" COLLATE "C" DESC, "s"."insertion" DESC
      LIMIT 1
    ) AS "l" ON TRUE
    LEFT JOIN LATERAL (
      SELECT
        CAST(avg(CAST("w"."__a0" AS INTEGER)) AS DOUBLE PRECISION) AS "__last500_p0"
      FROM (
        SELECT
          "s"."lot_id" AS "lot_id",
          "s"."event_timestamp" AS "event_timestamp",
          "s"."device_id" AS "device_id",
          "s"."insertion" AS "insertion",
          "s"."hard_bin" = 1 AS "__a0"
        FROM "bin_results" AS "s"
        WHERE "s"."lot_id" = "e"."lot_id" AND "s"."event_timestamp" <= "e"."__t" AND "l"."event_timestamp" >= "e"."__t" - 7776000000
        ORDER BY "s"."event_timestamp" DESC, "s"."device_id" COLLATE "C" DESC, "s"."insertion" DESC
        LIMIT 500
      ) AS "w"
    ) AS "__last500" ON TRUE
  ),
  -- lot_bins: last-N and running aggregates at each entity row's latest event
  "lot_bins__windows" AS (
    SELECT
      "lt"."__row" AS "__row",
      "ev"."__p0" AS "__p0"
    FROM "lot_bins__events" AS "ev"
    INNER JOIN "lot_bins__latest" AS "lt" ON "lt"."__rid" = "ev"."__rid" AND "ev"."lot_id" = "lt"."lot_id" AND "ev"."event_timestamp" = "lt"."event_timestamp"
  ),
  -- lot_bins: time-window aggregates over (T - W, T] of each entity row
  "lot_bins__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      count(*) FILTER (WHERE "ev"."__f0") AS "__p0"
    FROM "lot_bins__latest" AS "e"
    INNER JOIN (
      SELECT
        "s"."lot_id" AS "lot_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."hard_bin" <> 1 AS "__f0"
      FROM "bin_results" AS "s"
    ) AS "ev" ON "ev"."lot_id" = "e"."lot_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t" AND "e"."event_timestamp" >= "e"."__t" - 7776000000 AND "e"."event_timestamp" > "e"."__t" - 604800000
    GROUP BY "e"."__row"
  ),
  -- lot_bins: features as of T, NULL when the latest event is older than T - ttl (7776000000 ms)
  "lot_bins" AS (
    SELECT
      "e"."__row" AS "__row",
      -- sort_yield_500 = mean(hard_bin == 1) over last 500
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "lt"."__last500_p0" END AS "sort_yield_500",
      -- sort_yield_all = mean(hard_bin == 1) over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "w"."__p0" END AS "sort_yield_all",
      -- fails_7d = count() where hard_bin != 1 over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 7776000000 THEN coalesce("tw"."__p0", 0) END AS "fails_7d"
    FROM "entity_rows" AS "e"
    INNER JOIN "lot_bins__latest" AS "lt" ON "lt"."__row" = "e"."__row"
    LEFT JOIN "lot_bins__windows" AS "w" ON "w"."__row" = "e"."__row"
    LEFT JOIN "lot_bins__time_windows" AS "tw" ON "tw"."__row" = "e"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."sort_yield_500" AS "sort_yield_500",
  "v1"."sort_yield_all" AS "sort_yield_all",
  "v1"."fails_7d" AS "fails_7d"
FROM "lot_bins" AS "v1"
ORDER BY "v1"."__row";

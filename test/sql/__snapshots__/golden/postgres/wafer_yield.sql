-- Point-in-time features of view `wafer_yield` version 1 (postgres).
-- Input: entity_rows(__row BIGINT, wafer_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when wafer_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- wafer_yield: the latest event of each entity row's key at or before T (ts, then order columns)
  "wafer_yield__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."wafer_id" AS "wafer_id",
      "l"."event_timestamp" AS "event_timestamp",
      "__last200"."__last200_p0" AS "__last200_p0"
    FROM "entity_rows" AS "e"
    LEFT JOIN LATERAL (
      SELECT
        "s"."event_timestamp" AS "event_timestamp"
      FROM "bin_results" AS "s"
      WHERE "s"."wafer_id" = "e"."wafer_id" AND "s"."event_timestamp" <= "e"."__t"
      ORDER BY "s"."event_timestamp" DESC, "s"."device_id" COLLATE "C" DESC, "s"."insertion" DESC
      LIMIT 1
    ) AS "l" ON TRUE
    LEFT JOIN LATERAL (
      SELECT
        CAST(avg(CAST("w"."__a0" AS INTEGER)) AS DOUBLE PRECISION) AS "__last200_p0"
      FROM (
        SELECT
          "s"."wafer_id" AS "wafer_id",
          "s"."event_timestamp" AS "event_timestamp",
          "s"."device_id" AS "device_id",
          "s"."insertion" AS "insertion",
          "s"."hard_bin" = 1 AS "__a0"
        FROM "bin_results" AS "s"
        WHERE "s"."wafer_id" = "e"."wafer_id" AND "s"."event_timestamp" <= "e"."__t" AND "l"."event_timestamp" >= "e"."__t" - 2592000000
        ORDER BY "s"."event_timestamp" DESC, "s"."device_id" COLLATE "C" DESC, "s"."insertion" DESC
        LIMIT 200
      ) AS "w"
    ) AS "__last200" ON TRUE
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
      "e"."__row" AS "__row",
      -- sort_yield_200 = mean(hard_bin == 1) over last 200
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__last200_p0" END AS "sort_yield_200",
      -- fails_24h = count() where hard_bin != 1 over 24h
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p0", 0) END AS "fails_24h",
      -- retests_7d = count() where insertion > 1 over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p1", 0) END AS "retests_7d",
      -- fail_share_7d = (count() where hard_bin != 1 over 7d) / (count() over 7d)
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN CAST(coalesce("tw"."__p2", 0) AS DOUBLE PRECISION) / nullif(coalesce("tw"."__p3", 0), 0) END AS "fail_share_7d"
    FROM "entity_rows" AS "e"
    INNER JOIN "wafer_yield__latest" AS "lt" ON "lt"."__row" = "e"."__row"
    LEFT JOIN "wafer_yield__time_windows" AS "tw" ON "tw"."__row" = "e"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."sort_yield_200" AS "sort_yield_200",
  "v1"."fails_24h" AS "fails_24h",
  "v1"."retests_7d" AS "retests_7d",
  "v1"."fail_share_7d" AS "fail_share_7d"
FROM "wafer_yield" AS "v1"
ORDER BY "v1"."__row";

-- Point-in-time features of view `lot_health` version 1 (sqlite).
-- Input: entity_rows(__row BIGINT, lot_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when lot_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- lot_health: events of the wanted keys in source order, with their last-N and running aggregates
  "lot_health__events" AS (
    SELECT
      "ev"."__rid" AS "__rid",
      count("ev"."__a1") OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p0",
      sum("ev"."__a1") OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p1",
      count("ev"."__a5") OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 499 PRECEDING AND CURRENT ROW) AS "__p2",
      sum("ev"."__a5") OVER (PARTITION BY "ev"."lot_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 499 PRECEDING AND CURRENT ROW) AS "__p3"
    FROM (
      SELECT
        "s"."rowid" AS "__rid",
        "s"."lot_id" AS "lot_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."created_timestamp" AS "created_timestamp",
        "s"."device_id" AS "device_id",
        "s"."vdd" AS "__a1",
        "s"."vth" AS "__a5"
      FROM "parametric_tests" AS "s"
      WHERE "s"."lot_id" IN (SELECT "e"."lot_id" FROM "entity_rows" AS "e")
    ) AS "ev"
  ),
  -- lot_health: the latest event of each entity row's key at or before T (ts, then order columns)
  "lot_health__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."lot_id" AS "lot_id",
      (SELECT "s"."rowid" FROM "parametric_tests" AS "s" WHERE "s"."lot_id" = "e"."lot_id" AND "s"."event_timestamp" <= "e"."__t" ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC, "s"."device_id" DESC LIMIT 1) AS "__rid"
    FROM "entity_rows" AS "e"
  ),
  -- lot_health: last-N and running aggregates at each entity row's latest event
  "lot_health__windows" AS (
    SELECT
      "lt"."__row" AS "__row",
      "ev"."__p0" AS "__p0",
      "ev"."__p1" AS "__p1",
      "ev"."__p2" AS "__p2",
      "ev"."__p3" AS "__p3"
    FROM "lot_health__events" AS "ev"
    INNER JOIN "lot_health__latest" AS "lt" ON "lt"."__rid" = "ev"."__rid"
  ),
  -- lot_health: time-window aggregates over (T - W, T] of each entity row
  "lot_health__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      count(*) AS "__p0",
      percentile_cont("ev"."__a0", 0.5) AS "__p1",
      percentile_cont("ev"."__a0", 0.99) AS "__p2",
      max("ev"."__a2") FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p3",
      count(*) FILTER (WHERE "ev"."__f0") AS "__p4",
      nullif(nullif(sum("ev"."__a3") FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000), 9e999), -9e999) AS "__p5",
      count(CAST("ev"."__a4" AS REAL)) AS "__p6",
      sum(CAST("ev"."__a4" AS REAL)) AS "__p7"
    FROM "lot_health__latest" AS "e"
    INNER JOIN "parametric_tests" AS "l" ON "l"."rowid" = "e"."__rid" AND "l"."event_timestamp" >= "e"."__t" - 7776000000 AND "l"."event_timestamp" > "e"."__t" - 604800000
    INNER JOIN (
      SELECT
        "s"."lot_id" AS "lot_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."idd" AS "__a0",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "s"."temp" - 273.55 ELSE NULL END AS "__a2",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "s"."temp" - 273.55 ELSE NULL END > 105.0 AS "__f0",
        "s"."test_time" AS "__a3",
        "s"."test_time" > 400.0 AS "__a4"
      FROM "parametric_tests" AS "s"
    ) AS "ev" ON "ev"."lot_id" = "e"."lot_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t"
    GROUP BY "e"."__row"
  ),
  -- lot_health: features as of T, NULL when the latest event is older than T - ttl (7776000000 ms)
  "lot_health" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- fab
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "l"."fab" END AS "fab",
      -- tests_7d = count() over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN coalesce("tw"."__p0", 0) END AS "tests_7d",
      -- idd_p50_7d = percentile(idd, 0.5) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "tw"."__p1" END AS "idd_p50_7d",
      -- idd_p99_7d = percentile(idd, 0.99) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "tw"."__p2" END AS "idd_p99_7d",
      -- idd_tail_7d = idd_p99_7d - idd_p50_7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "tw"."__p2" - "tw"."__p1" END AS "idd_tail_7d",
      -- vdd_mean = mean(vdd) over all
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN nullif(nullif("w"."__p1" / nullif("w"."__p0", 0), 9e999), -9e999) END AS "vdd_mean",
      -- temp_max_24h = max(temp) over 24h
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "tw"."__p3" END AS "temp_max_24h",
      -- hot_test_share_7d = (count() where temp > 105 degC over 7d) / (count() over 7d)
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN CAST(coalesce("tw"."__p4", 0) AS REAL) / coalesce("tw"."__p0", 0) END AS "hot_test_share_7d",
      -- tester_hours_24h = sum(test_time) over 24h
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN "tw"."__p5" * 2.7777777777777776e-7 END AS "tester_hours_24h",
      -- slow_test_share_7d = mean(test_time > 400 ms) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN nullif(nullif("tw"."__p7" / nullif("tw"."__p6", 0), 9e999), -9e999) END AS "slow_test_share_7d",
      -- vth_mean_500 = mean(vth) over last 500
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 7776000000 THEN nullif(nullif("w"."__p3" / nullif("w"."__p2", 0), 9e999), -9e999) END AS "vth_mean_500"
    FROM "lot_health__latest" AS "lt"
    LEFT JOIN "parametric_tests" AS "l" ON "l"."rowid" = "lt"."__rid"
    LEFT JOIN "lot_health__windows" AS "w" ON "w"."__row" = "lt"."__row"
    LEFT JOIN "lot_health__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."fab" AS "fab",
  "v1"."tests_7d" AS "tests_7d",
  "v1"."idd_p50_7d" AS "idd_p50_7d",
  "v1"."idd_p99_7d" AS "idd_p99_7d",
  "v1"."idd_tail_7d" AS "idd_tail_7d",
  "v1"."vdd_mean" AS "vdd_mean",
  "v1"."temp_max_24h" AS "temp_max_24h",
  "v1"."hot_test_share_7d" AS "hot_test_share_7d",
  "v1"."tester_hours_24h" AS "tester_hours_24h",
  "v1"."slow_test_share_7d" AS "slow_test_share_7d",
  "v1"."vth_mean_500" AS "vth_mean_500"
FROM "lot_health" AS "v1"
ORDER BY "v1"."__row";

-- Point-in-time features of view `wafer_rolling` version 1 (sqlite).
-- Input: entity_rows(__row BIGINT, wafer_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when wafer_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- wafer_rolling: events of the wanted keys in source order, with their last-N and running aggregates
  "wafer_rolling__events" AS (
    SELECT
      "ev"."__rid" AS "__rid",
      count("ev"."__a0") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p0",
      sum("ev"."__a0") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p1",
      sum("ev"."__a0" * "ev"."__a0") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p2",
      count("ev"."__a1") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p3",
      sum("ev"."__a1") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p4",
      count(*) FILTER (WHERE "ev"."__f1") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p5",
      max("ev"."__a8") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p6",
      count(*) OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p7"
    FROM (
      SELECT
        "s"."rowid" AS "__rid",
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."created_timestamp" AS "created_timestamp",
        "s"."device_id" AS "device_id",
        "s"."vdd" AS "__a0",
        nullif(nullif("s"."vdd" * "s"."idd", 9e999), -9e999) AS "__a1",
        "s"."vth" < 0.35 AS "__f1",
        "s"."freq" AS "__a8"
      FROM "parametric_tests" AS "s"
      WHERE "s"."wafer_id" IN (SELECT "e"."wafer_id" FROM "entity_rows" AS "e")
    ) AS "ev"
  ),
  -- wafer_rolling: the latest event of each entity row's key at or before T (ts, then order columns)
  "wafer_rolling__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."wafer_id" AS "wafer_id",
      (SELECT "s"."rowid" FROM "parametric_tests" AS "s" WHERE "s"."wafer_id" = "e"."wafer_id" AND "s"."event_timestamp" <= "e"."__t" ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC, "s"."device_id" DESC LIMIT 1) AS "__rid"
    FROM "entity_rows" AS "e"
  ),
  -- wafer_rolling: last-N and running aggregates at each entity row's latest event
  "wafer_rolling__windows" AS (
    SELECT
      "lt"."__row" AS "__row",
      "ev"."__p0" AS "__p0",
      "ev"."__p1" AS "__p1",
      "ev"."__p2" AS "__p2",
      "ev"."__p3" AS "__p3",
      "ev"."__p4" AS "__p4",
      "ev"."__p5" AS "__p5",
      "ev"."__p6" AS "__p6",
      "ev"."__p7" AS "__p7"
    FROM "wafer_rolling__events" AS "ev"
    INNER JOIN "wafer_rolling__latest" AS "lt" ON "lt"."__rid" = "ev"."__rid"
  ),
  -- wafer_rolling: time-window aggregates over (T - W, T] of each entity row
  "wafer_rolling__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      percentile_cont("ev"."__a2", 0.95) AS "__p0",
      count(*) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p1",
      count(CAST("ev"."__a3" AS REAL)) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p2",
      sum(CAST("ev"."__a3" AS REAL)) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p3",
      count("ev"."__a4") AS "__p4",
      sum("ev"."__a4") AS "__p5",
      sum("ev"."__a4" * "ev"."__a4") AS "__p6",
      count("ev"."__a5") FILTER (WHERE "ev"."__f0") AS "__p7",
      sum("ev"."__a5") FILTER (WHERE "ev"."__f0") AS "__p8",
      count(CAST("ev"."__a6" AS REAL)) AS "__p9",
      sum(CAST("ev"."__a6" AS REAL)) AS "__p10",
      count(CAST("ev"."__a7" AS REAL)) AS "__p11",
      sum(CAST("ev"."__a7" AS REAL)) AS "__p12"
    FROM "wafer_rolling__latest" AS "e"
    INNER JOIN "parametric_tests" AS "l" ON "l"."rowid" = "e"."__rid" AND "l"."event_timestamp" >= "e"."__t" - 2592000000 AND "l"."event_timestamp" > "e"."__t" - 604800000
    INNER JOIN (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."test_time" AS "__a2",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "s"."temp" - 273.55 ELSE NULL END > 100.0 AS "__a3",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "s"."temp" - 273.55 ELSE NULL END AS "__a4",
        "s"."idd" AS "__a5",
        sqrt(nullif(nullif(pow("s"."die_x" - 15, 2), 9e999), -9e999) + nullif(nullif(pow("s"."die_y" - 15, 2), 9e999), -9e999)) > 12.0 AS "__f0",
        "s"."vth" IS NULL AS "__a6",
        ("s"."event_timestamp" % 86400000 + 86400000) % 86400000 / 3600000 < 6 AS "__a7"
      FROM "parametric_tests" AS "s"
    ) AS "ev" ON "ev"."wafer_id" = "e"."wafer_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t"
    GROUP BY "e"."__row"
  ),
  -- wafer_rolling: features as of T, NULL when the latest event is older than T - ttl (2592000000 ms)
  "wafer_rolling" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- vdd_mean_50 = mean(vdd) over last 50
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("w"."__p1" / nullif("w"."__p0", 0), 9e999), -9e999) END AS "vdd_mean_50",
      -- vdd_std_50 = std(vdd) over last 50
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif(sqrt(CASE WHEN "w"."__p0" < 2 THEN NULL WHEN "w"."__p2" - "w"."__p1" * "w"."__p1" / "w"."__p0" <= 8.881784197001252e-16 * "w"."__p2" THEN 0.0 ELSE ("w"."__p2" - "w"."__p1" * "w"."__p1" / "w"."__p0") / ("w"."__p0" - 1) END), 9e999), -9e999) END AS "vdd_std_50",
      -- power_mean_50 = mean(vdd * idd) over last 50
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("w"."__p4" / nullif("w"."__p3", 0), 9e999), -9e999) * 0.001 END AS "power_mean_50",
      -- test_time_p95_7d = percentile(test_time, 0.95) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p0" END AS "test_time_p95_7d",
      -- tests_24h = count() over 24h
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p1", 0) END AS "tests_24h",
      -- hot_share_24h = mean(temp > 100 degC) over 24h
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("tw"."__p3" / nullif("tw"."__p2", 0), 9e999), -9e999) END AS "hot_share_24h",
      -- temp_std_7d = std(temp) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif(sqrt(CASE WHEN "tw"."__p4" < 2 THEN NULL WHEN "tw"."__p6" - "tw"."__p5" * "tw"."__p5" / "tw"."__p4" <= 8.881784197001252e-16 * "tw"."__p6" THEN 0.0 ELSE ("tw"."__p6" - "tw"."__p5" * "tw"."__p5" / "tw"."__p4") / ("tw"."__p4" - 1) END), 9e999), -9e999) END AS "temp_std_7d",
      -- edge_idd_mean_7d = mean(idd) where sqrt((die_x - 15)^2 + (die_y - 15)^2) > 12 over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("tw"."__p8" / nullif("tw"."__p7", 0), 9e999), -9e999) END AS "edge_idd_mean_7d",
      -- low_vth_count_50 = count() where vth < 0.35 V over last 50
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "w"."__p5" END AS "low_vth_count_50",
      -- vth_missing_share_7d = mean(vth is null) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("tw"."__p10" / nullif("tw"."__p9", 0), 9e999), -9e999) END AS "vth_missing_share_7d",
      -- night_share_7d = mean(hour(event_timestamp) < 6) over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN nullif(nullif("tw"."__p12" / nullif("tw"."__p11", 0), 9e999), -9e999) END AS "night_share_7d",
      -- freq_max = max(freq) over all
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "w"."__p6" END AS "freq_max",
      -- dies_tested = count() over all
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "w"."__p7" END AS "dies_tested"
    FROM "wafer_rolling__latest" AS "lt"
    LEFT JOIN "parametric_tests" AS "l" ON "l"."rowid" = "lt"."__rid"
    LEFT JOIN "wafer_rolling__windows" AS "w" ON "w"."__row" = "lt"."__row"
    LEFT JOIN "wafer_rolling__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."vdd_mean_50" AS "vdd_mean_50",
  "v1"."vdd_std_50" AS "vdd_std_50",
  "v1"."power_mean_50" AS "power_mean_50",
  "v1"."test_time_p95_7d" AS "test_time_p95_7d",
  "v1"."tests_24h" AS "tests_24h",
  "v1"."hot_share_24h" AS "hot_share_24h",
  "v1"."temp_std_7d" AS "temp_std_7d",
  "v1"."edge_idd_mean_7d" AS "edge_idd_mean_7d",
  "v1"."low_vth_count_50" AS "low_vth_count_50",
  "v1"."vth_missing_share_7d" AS "vth_missing_share_7d",
  "v1"."night_share_7d" AS "night_share_7d",
  "v1"."freq_max" AS "freq_max",
  "v1"."dies_tested" AS "dies_tested"
FROM "wafer_rolling" AS "v1"
ORDER BY "v1"."__row";

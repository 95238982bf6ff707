WITH
  -- device_parametric: events of the wanted keys in source order, with their last-N and running aggregates
  "device_parametric__events" AS (
    SELECT
      "ev"."device_id" AS "device_id",
      "ev"."event_timestamp" AS "event_timestamp",
      "ev"."fab" AS "fab",
      "ev"."die_x" AS "die_x",
      "ev"."die_y" AS "die_y",
      "ev"."vdd" AS "vdd",
      "ev"."idd" AS "idd",
      "ev"."temp" AS "temp",
      lead("ev"."event_timestamp") OVER (PARTITION BY "ev"."device_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp") AS "__next_ts"
    FROM (
      SELECT
        "s"."device_id" AS "device_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."created_timestamp" AS "created_timestamp",
        "s"."fab" AS "fab",
        "s"."die_x" AS "die_x",
        "s"."die_y" AS "die_y",
        "s"."vdd" AS "vdd",
        "s"."idd" AS "idd",
        "s"."temp" AS "temp"
      FROM "parametric_tests" AS "s"
      WHERE "s"."device_id" IN (SELECT "e"."device_id" FROM "training_rows" AS "e")
    ) AS "ev"
  ),
  -- device_parametric: the latest event of each entity row's key at or before T (ts, then order columns)
  "device_parametric__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."device_id" AS "device_id",
      "l"."event_timestamp" AS "event_timestamp",
      "l"."fab" AS "fab",
      "l"."die_x" AS "die_x",
      "l"."die_y" AS "die_y",
      "l"."vdd" AS "vdd",
      "l"."idd" AS "idd",
      "l"."temp" AS "temp"
    FROM "training_rows" AS "e"
    ASOF LEFT JOIN (
      SELECT
        "ev"."device_id" AS "device_id",
        "ev"."event_timestamp" AS "event_timestamp",
        "ev"."fab" AS "fab",
        "ev"."die_x" AS "die_x",
        "ev"."die_y" AS "die_y",
        "ev"."vdd" AS "vdd",
        "ev"."idd" AS "idd",
        "ev"."temp" AS "temp"
      FROM "device_parametric__events" AS "ev"
      WHERE ("ev"."__next_ts" IS NULL) OR "ev"."__next_ts" > "ev"."event_timestamp"
    ) AS "l" ON "l"."device_id" = "e"."device_id" AND "l"."event_timestamp" <= "e"."__t"
  ),
  -- device_parametric: features as of T, NULL when the latest event is older than T - ttl (604800000 ms)
  "device_parametric" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- power = vdd * idd
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN nullif(nullif("lt"."vdd" * "lt"."idd", 'inf'::DOUBLE), '-inf'::DOUBLE) * 0.001e0 END AS "power",
      -- temp_c = temp
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN CASE "lt"."fab" WHEN 'AZ' THEN "lt"."temp" WHEN 'OR' THEN "lt"."temp" * 0.5555555555555556e0 - 17.77777777777778e0 WHEN 'KR' THEN "lt"."temp" - 273.55e0 ELSE NULL END END AS "temp_c",
      -- vdd_normalized = (vdd - 1.2 V) / 0.08 V
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN nullif(nullif(("lt"."vdd" - 1.2e0) / nullif(0.08e0, 0), 'inf'::DOUBLE), '-inf'::DOUBLE) END AS "vdd_normalized",
      -- idd_normalized = (idd - 50 mA) / 8 mA
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN ("lt"."idd" - 50.0e0) / 8.0e0 END AS "idd_normalized",
      -- distance_from_center = sqrt((die_x - 15)^2 + (die_y - 15)^2)
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN sqrt(CASE WHEN nullif(nullif(nullif(pow("lt"."die_x" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) + nullif(nullif(nullif(pow("lt"."die_y" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) >= 0 THEN nullif(nullif(nullif(pow("lt"."die_x" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) + nullif(nullif(nullif(pow("lt"."die_y" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) END) END AS "distance_from_center"
    FROM "device_parametric__latest" AS "lt"
  ),
  -- wafer_rolling: events of the wanted keys in source order, with their last-N and running aggregates
  "wafer_rolling__events" AS (
    SELECT
      "ev"."wafer_id" AS "wafer_id",
      "ev"."event_timestamp" AS "event_timestamp",
      nullif(nullif(avg("ev"."__a0") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p0",
      stddev_samp("ev"."__a0") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p1",
      nullif(nullif(avg("ev"."__a1") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p2",
      count(*) FILTER (WHERE "ev"."__f1") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS "__p3",
      max("ev"."__a8") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p4",
      count(*) OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p5",
      lead("ev"."event_timestamp") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id") AS "__next_ts"
    FROM (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."created_timestamp" AS "created_timestamp",
        "s"."device_id" AS "device_id",
        "s"."vdd" AS "__a0",
        nullif(nullif("s"."vdd" * "s"."idd", 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__a1",
        "s"."vth" < 0.35e0 AS "__f1",
        "s"."freq" AS "__a8"
      FROM "parametric_tests" AS "s"
      WHERE "s"."wafer_id" IN (SELECT "e"."wafer_id" FROM "training_rows" AS "e")
    ) AS "ev"
  ),
  -- wafer_rolling: the latest event of each entity row's key at or before T (ts, then order columns)
  "wafer_rolling__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."wafer_id" AS "wafer_id",
      "l"."event_timestamp" AS "event_timestamp",
      "l"."__p0" AS "__p0",
      "l"."__p1" AS "__p1",
      "l"."__p2" AS "__p2",
      "l"."__p3" AS "__p3",
      "l"."__p4" AS "__p4",
      "l"."__p5" AS "__p5"
    FROM "training_rows" AS "e"
    ASOF LEFT JOIN (
      SELECT
        "ev"."wafer_id" AS "wafer_id",
        "ev"."event_timestamp" AS "event_timestamp",
        "ev"."__p0" AS "__p0",
        "ev"."__p1" AS "__p1",
        "ev"."__p2" AS "__p2",
        "ev"."__p3" AS "__p3",
        "ev"."__p4" AS "__p4",
        "ev"."__p5" AS "__p5"
      FROM "wafer_rolling__events" AS "ev"
      WHERE ("ev"."__next_ts" IS NULL) OR "ev"."__next_ts" > "ev"."event_timestamp"
    ) AS "l" ON "l"."wafer_id" = "e"."wafer_id" AND "l"."event_timestamp" <= "e"."__t"
  ),
  -- wafer_rolling: time-window aggregates over (T - W, T] of each entity row
  "wafer_rolling__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      quantile_cont("ev"."__a2", 0.95e0) AS "__p0",
      count(*) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p1",
      nullif(nullif(avg(CAST("ev"."__a3" AS INTEGER)) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p2",
      stddev_samp("ev"."__a4") AS "__p3",
      nullif(nullif(avg("ev"."__a5") FILTER (WHERE "ev"."__f0"), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p4",
      nullif(nullif(avg(CAST("ev"."__a6" AS INTEGER)), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p5",
      nullif(nullif(avg(CAST("ev"."__a7" AS INTEGER)), 'inf'::DOUBLE), '-inf'::DOUBLE) AS "__p6"
    FROM "wafer_rolling__latest" AS "e"
    INNER JOIN (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."test_time" AS "__a2",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556e0 - 17.77777777777778e0 WHEN 'KR' THEN "s"."temp" - 273.55e0 ELSE NULL END > 100.0e0 AS "__a3",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556e0 - 17.77777777777778e0 WHEN 'KR' THEN "s"."temp" - 273.55e0 ELSE NULL END AS "__a4",
        "s"."idd" AS "__a5",
        sqrt(CASE WHEN nullif(nullif(nullif(pow("s"."die_x" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) + nullif(nullif(nullif(pow("s"."die_y" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) >= 0 THEN nullif(nullif(nullif(pow("s"."die_x" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) + nullif(nullif(nullif(pow("s"."die_y" - 15, 2), 'nan'::DOUBLE), 'inf'::DOUBLE), '-inf'::DOUBLE) END) > 12.0e0 AS "__f0",
        "s"."vth" IS NULL AS "__a6",
        ("s"."event_timestamp" % 86400000 + 86400000) % 86400000 // 3600000 < 6 AS "__a7"
      FROM "parametric_tests" AS "s"
    ) AS "ev" ON "ev"."wafer_id" = "e"."wafer_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t" AND "e"."event_timestamp" >= "e"."__t" - 2592000000 AND "e"."event_timestamp" > "e"."__t" - 604800000
    GROUP BY "e"."__row"
  ),
  -- wafer_rolling: features as of T, NULL when the latest event is older than T - ttl (2592000000 ms)
  "wafer_rolling" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- vdd_mean_50 = mean(vdd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p0" END AS "vdd_mean_50",
      -- vdd_std_50 = std(vdd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p1" END AS "vdd_std_50",
      -- power_mean_50 = mean(vdd * idd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p2" * 0.001e0 END AS "power_mean_50",
      -- test_time_p95_7d = percentile(test_time, 0.95) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p0" END AS "test_time_p95_7d",
      -- tests_24h = count() over 24h
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN coalesce("tw"."__p1", 0) END AS "tests_24h",
      -- hot_share_24h = mean(temp > 100 degC) over 24h
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p2" END AS "hot_share_24h",
      -- temp_std_7d = std(temp) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p3" END AS "temp_std_7d",
      -- edge_idd_mean_7d = mean(idd) where sqrt((die_x - 15)^2 + (die_y - 15)^2) > 12 over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p4" END AS "edge_idd_mean_7d",
      -- low_vth_count_50 = count() where vth < 0.35 V over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p3" END AS "low_vth_count_50",
      -- vth_missing_share_7d = mean(vth is null) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p5" END AS "vth_missing_share_7d",
      -- night_share_7d = mean(hour(event_timestamp) < 6) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p6" END AS "night_share_7d",
      -- freq_max = max(freq) over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p4" END AS "freq_max",
      -- dies_tested = count() over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__p5" END AS "dies_tested"
    FROM "wafer_rolling__latest" AS "lt"
    LEFT JOIN "wafer_rolling__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."power" AS "device_parametric__power",
  "v1"."temp_c" AS "device_parametric__temp_c",
  "v1"."vdd_normalized" AS "device_parametric__vdd_normalized",
  "v1"."idd_normalized" AS "device_parametric__idd_normalized",
  "v1"."distance_from_center" AS "device_parametric__distance_from_center",
  "v2"."vdd_mean_50" AS "wafer_rolling__vdd_mean_50",
  "v2"."vdd_std_50" AS "wafer_rolling__vdd_std_50",
  "v2"."power_mean_50" AS "wafer_rolling__power_mean_50",
  "v2"."test_time_p95_7d" AS "wafer_rolling__test_time_p95_7d",
  "v2"."tests_24h" AS "wafer_rolling__tests_24h",
  "v2"."hot_share_24h" AS "wafer_rolling__hot_share_24h",
  "v2"."temp_std_7d" AS "wafer_rolling__temp_std_7d",
  "v2"."edge_idd_mean_7d" AS "wafer_rolling__edge_idd_mean_7d",
  "v2"."low_vth_count_50" AS "wafer_rolling__low_vth_count_50",
  "v2"."vth_missing_share_7d" AS "wafer_rolling__vth_missing_share_7d",
  "v2"."night_share_7d" AS "wafer_rolling__night_share_7d",
  "v2"."freq_max" AS "wafer_rolling__freq_max",
  "v2"."dies_tested" AS "wafer_rolling__dies_tested"
FROM "device_parametric" AS "v1"
LEFT JOIN "wafer_rolling" AS "v2" ON "v2"."__row" = "v1"."__row"
ORDER BY "v1"."__row"

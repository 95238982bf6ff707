WITH
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
    LEFT JOIN LATERAL (
      SELECT
        "s"."event_timestamp" AS "event_timestamp",
        "s"."fab" AS "fab",
        "s"."die_x" AS "die_x",
        "s"."die_y" AS "die_y",
        "s"."vdd" AS "vdd",
        "s"."idd" AS "idd",
        "s"."temp" AS "temp"
      FROM "parametric_tests" AS "s"
      WHERE "s"."device_id" = "e"."device_id" AND "s"."event_timestamp" <= "e"."__t"
      ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC
      LIMIT 1
    ) AS "l" ON TRUE
  ),
  -- device_parametric: features as of T, NULL when the latest event is older than T - ttl (604800000 ms)
  "device_parametric" AS (
    SELECT
      "e"."__row" AS "__row",
      -- power = vdd * idd
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN "lt"."vdd" * "lt"."idd" * 0.001::float8 END AS "power",
      -- temp_c = temp
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN CASE "lt"."fab" WHEN 'AZ' THEN "lt"."temp" WHEN 'OR' THEN "lt"."temp" * 0.5555555555555556::float8 - 17.77777777777778::float8 WHEN 'KR' THEN "lt"."temp" - 273.55::float8 ELSE NULL END END AS "temp_c",
      -- vdd_normalized = (vdd - 1.2 V) / 0.08 V
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN ("lt"."vdd" - 1.2::float8) / 0.08::float8 END AS "vdd_normalized",
      -- idd_normalized = (idd - 50 mA) / 8 mA
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN ("lt"."idd" - 50.0::float8) / 8.0::float8 END AS "idd_normalized",
      -- distance_from_center = sqrt((die_x - 15)^2 + (die_y - 15)^2)
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 604800000 THEN (SELECT sqrt(CASE WHEN "__b1"."__v0" >= 0 THEN "__b1"."__v0" END) FROM (SELECT CASE WHEN abs("lt"."die_x" - 15) > 1.3407807929942596e+154::float8 THEN NULL WHEN abs("lt"."die_x" - 15) < 1.5717277847026288e-162::float8 THEN 0.0::float8 ELSE power("lt"."die_x" - 15, 2.0::float8) END + CASE WHEN abs("lt"."die_y" - 15) > 1.3407807929942596e+154::float8 THEN NULL WHEN abs("lt"."die_y" - 15) < 1.5717277847026288e-162::float8 THEN 0.0::float8 ELSE power("lt"."die_y" - 15, 2.0::float8) END AS "__v0") AS "__b1") END AS "distance_from_center"
    FROM "training_rows" AS "e"
    INNER JOIN "device_parametric__latest" AS "lt" ON "lt"."__row" = "e"."__row"
  ),
  -- wafer_rolling: events of the wanted keys in source order, with their last-N and running aggregates
  "wafer_rolling__events" AS (
    SELECT
      "ev"."__rid" AS "__rid",
      "ev"."wafer_id" AS "wafer_id",
      "ev"."event_timestamp" AS "event_timestamp",
      max("ev"."__a8") OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" COLLATE "C" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p0",
      count(*) OVER (PARTITION BY "ev"."wafer_id" ORDER BY "ev"."event_timestamp", "ev"."created_timestamp", "ev"."device_id" COLLATE "C" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "__p1"
    FROM (
      SELECT
        "s"."ctid" AS "__rid",
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."created_timestamp" AS "created_timestamp",
        "s"."device_id" AS "device_id",
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
      "l"."__rid" AS "__rid",
      "l"."event_timestamp" AS "event_timestamp",
      "__last50"."__last50_p0" AS "__last50_p0",
      "__last50"."__last50_p1" AS "__last50_p1",
      "__last50"."__last50_p2" AS "__last50_p2",
      "__last50"."__last50_p3" AS "__last50_p3"
    FROM "training_rows" AS "e"
    LEFT JOIN LATERAL (
      SELECT
        "s"."ctid" AS "__rid",
        "s"."event_timestamp" AS "event_timestamp"
      FROM "parametric_tests" AS "s"
      WHERE "s"."wafer_id" = "e"."wafer_id" AND "s"."event_timestamp" <= "e"."__t"
      ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC, "s"."device_id" COLLATE "C" DESC
      LIMIT 1
    ) AS "l" ON TRUE
    LEFT JOIN LATERAL (
      SELECT
        avg("w"."__a0") AS "__last50_p0",
        stddev_samp("w"."__a0") AS "__last50_p1",
        avg("w"."__a1") AS "__last50_p2",
        count(*) FILTER (WHERE "w"."__f1") AS "__last50_p3"
      FROM (
        SELECT
          "s"."wafer_id" AS "wafer_id",
          "s"."event_timestamp" AS "event_timestamp",
          "s"."created_timestamp" AS "created_timestamp",
          "s"."device_id" AS "device_id",
          "s"."vdd" AS "__a0",
          "s"."vdd" * "s"."idd" AS "__a1",
          "s"."vth" < 0.35::float8 AS "__f1"
        FROM "parametric_tests" AS "s"
        WHERE "s"."wafer_id" = "e"."wafer_id" AND "s"."event_timestamp" <= "e"."__t" AND "l"."event_timestamp" >= "e"."__t" - 2592000000
        ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC, "s"."device_id" COLLATE "C" DESC
        LIMIT 50
      ) AS "w"
    ) AS "__last50" ON TRUE
  ),
  -- wafer_rolling: last-N and running aggregates at each entity row's latest event
  "wafer_rolling__windows" AS (
    SELECT
      "lt"."__row" AS "__row",
      "ev"."__p0" AS "__p0",
      "ev"."__p1" AS "__p1"
    FROM "wafer_rolling__events" AS "ev"
    INNER JOIN "wafer_rolling__latest" AS "lt" ON "lt"."__rid" = "ev"."__rid" AND "ev"."wafer_id" = "lt"."wafer_id" AND "ev"."event_timestamp" = "lt"."event_timestamp"
  ),
  -- wafer_rolling: time-window aggregates over (T - W, T] of each entity row
  "wafer_rolling__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      percentile_cont(0.95::float8) WITHIN GROUP (ORDER BY "ev"."__a2") AS "__p0",
      count(*) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS "__p1",
      CAST(avg(CAST("ev"."__a3" AS INTEGER)) FILTER (WHERE "ev"."event_timestamp" > "e"."__t" - 86400000) AS DOUBLE PRECISION) AS "__p2",
      stddev_samp("ev"."__a4") AS "__p3",
      avg("ev"."__a5") FILTER (WHERE "ev"."__f0") AS "__p4",
      CAST(avg(CAST("ev"."__a6" AS INTEGER)) AS DOUBLE PRECISION) AS "__p5",
      CAST(avg(CAST("ev"."__a7" AS INTEGER)) AS DOUBLE PRECISION) AS "__p6"
    FROM "wafer_rolling__latest" AS "e"
    INNER JOIN (
      SELECT
        "s"."wafer_id" AS "wafer_id",
        "s"."event_timestamp" AS "event_timestamp",
        "s"."test_time" AS "__a2",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556::float8 - 17.77777777777778::float8 WHEN 'KR' THEN "s"."temp" - 273.55::float8 ELSE NULL END > 100.0::float8 AS "__a3",
        CASE "s"."fab" WHEN 'AZ' THEN "s"."temp" WHEN 'OR' THEN "s"."temp" * 0.5555555555555556::float8 - 17.77777777777778::float8 WHEN 'KR' THEN "s"."temp" - 273.55::float8 ELSE NULL END AS "__a4",
        "s"."idd" AS "__a5",
        (SELECT sqrt(CASE WHEN "__b3"."__v0" >= 0 THEN "__b3"."__v0" END) FROM (SELECT CASE WHEN abs("s"."die_x" - 15) > 1.3407807929942596e+154::float8 THEN NULL WHEN abs("s"."die_x" - 15) < 1.5717277847026288e-162::float8 THEN 0.0::float8 ELSE power("s"."die_x" - 15, 2.0::float8) END + CASE WHEN abs("s"."die_y" - 15) > 1.3407807929942596e+154::float8 THEN NULL WHEN abs("s"."die_y" - 15) < 1.5717277847026288e-162::float8 THEN 0.0::float8 ELSE power("s"."die_y" - 15, 2.0::float8) END AS "__v0") AS "__b3") > 12.0::float8 AS "__f0",
        "s"."vth" IS NULL AS "__a6",
        ("s"."event_timestamp" % 86400000 + 86400000) % 86400000 / 3600000 < 6 AS "__a7"
      FROM "parametric_tests" AS "s"
    ) AS "ev" ON "ev"."wafer_id" = "e"."wafer_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t" AND "e"."event_timestamp" >= "e"."__t" - 2592000000 AND "e"."event_timestamp" > "e"."__t" - 604800000
    GROUP BY "e"."__row"
  ),
  -- wafer_rolling: features as of T, NULL when the latest event is older than T - ttl (2592000000 ms)
  "wafer_rolling" AS (
    SELECT
      "e"."__row" AS "__row",
      -- vdd_mean_50 = mean(vdd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__last50_p0" END AS "vdd_mean_50",
      -- vdd_std_50 = std(vdd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__last50_p1" END AS "vdd_std_50",
      -- power_mean_50 = mean(vdd * idd) over last 50
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__last50_p2" * 0.001::float8 END AS "power_mean_50",
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
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "lt"."__last50_p3" END AS "low_vth_count_50",
      -- vth_missing_share_7d = mean(vth is null) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p5" END AS "vth_missing_share_7d",
      -- night_share_7d = mean(hour(event_timestamp) < 6) over 7d
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "tw"."__p6" END AS "night_share_7d",
      -- freq_max = max(freq) over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "w"."__p0" END AS "freq_max",
      -- dies_tested = count() over all
      CASE WHEN "lt"."event_timestamp" >= "lt"."__t" - 2592000000 THEN "w"."__p1" END AS "dies_tested"
    FROM "training_rows" AS "e"
    INNER JOIN "wafer_rolling__latest" AS "lt" ON "lt"."__row" = "e"."__row"
    LEFT JOIN "wafer_rolling__windows" AS "w" ON "w"."__row" = "e"."__row"
    LEFT JOIN "wafer_rolling__time_windows" AS "tw" ON "tw"."__row" = "e"."__row"
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

-- Point-in-time features of view `device_parametric` version 1 (sqlite).
-- Input: entity_rows(__row BIGINT, device_id, __t BIGINT epoch ms): one output row per input row, ordered by __row.
-- A feature is NULL when device_id has no event at or before __t, or the latest is older than __t - ttl.
WITH
  -- device_parametric: the latest event of each entity row's key at or before T (ts, then order columns)
  "device_parametric__latest" AS MATERIALIZED (
    SELECT
      "e"."__row" AS "__row",
      "e"."__t" AS "__t",
      "e"."device_id" AS "device_id",
      (SELECT "s"."rowid" FROM "parametric_tests" AS "s" WHERE "s"."device_id" = "e"."device_id" AND "s"."event_timestamp" <= "e"."__t" ORDER BY "s"."event_timestamp" DESC, "s"."created_timestamp" DESC LIMIT 1) AS "__rid",
      (SELECT "w"."__a0" FROM (SELECT "s"."device_id" AS "device_id", "s"."event_timestamp" AS "event_timestamp", "s"."created_timestamp" AS "created_timestamp", "s"."idd" AS "__a0" FROM "parametric_tests" AS "s" WHERE "s"."device_id" = "e"."device_id" AND "s"."event_timestamp" <= "e"."__t") AS "w" WHERE "w"."__a0" IS NOT NULL ORDER BY "w"."event_timestamp", "w"."created_timestamp" LIMIT 1) AS "__c1"
    FROM "entity_rows" AS "e"
  ),
  -- device_parametric: time-window aggregates over (T - W, T] of each entity row
  "device_parametric__time_windows" AS (
    SELECT
      "e"."__row" AS "__row",
      count(*) AS "__p0"
    FROM "device_parametric__latest" AS "e"
    INNER JOIN "parametric_tests" AS "l" ON "l"."rowid" = "e"."__rid" AND "l"."event_timestamp" >= "e"."__t" - 604800000 AND "l"."event_timestamp" > "e"."__t" - 604800000
    INNER JOIN (
      SELECT
        "s"."device_id" AS "device_id",
        "s"."event_timestamp" AS "event_timestamp"
      FROM "parametric_tests" AS "s"
    ) AS "ev" ON "ev"."device_id" = "e"."device_id" AND "ev"."event_timestamp" > "e"."__t" - 604800000 AND "ev"."event_timestamp" <= "e"."__t"
    GROUP BY "e"."__row"
  ),
  -- device_parametric: features as of T, NULL when the latest event is older than T - ttl (604800000 ms)
  "device_parametric" AS (
    SELECT
      "lt"."__row" AS "__row",
      -- power = vdd * idd
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN nullif(nullif("l"."vdd" * "l"."idd", 9e999), -9e999) * 0.001 END AS "power",
      -- vdd_normalized = (vdd - 1.2 V) / 0.08 V
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN nullif(nullif(("l"."vdd" - 1.2) / 0.08, 9e999), -9e999) END AS "vdd_normalized",
      -- idd_normalized = (idd - 50 mA) / 8 mA
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN ("l"."idd" - 50.0) / 8.0 END AS "idd_normalized",
      -- freq_per_watt = freq / power
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN nullif(nullif("l"."freq" / (nullif(nullif("l"."vdd" * "l"."idd", 9e999), -9e999) * 0.001), 9e999), -9e999) END AS "freq_per_watt",
      -- distance_from_center = sqrt((die_x - 15)^2 + (die_y - 15)^2)
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN sqrt(nullif(nullif(pow("l"."die_x" - 15, 2), 9e999), -9e999) + nullif(nullif(pow("l"."die_y" - 15, 2), 9e999), -9e999)) END AS "distance_from_center",
      -- edge_die = distance_from_center > 12
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN sqrt(nullif(nullif(pow("l"."die_x" - 15, 2), 9e999), -9e999) + nullif(nullif(pow("l"."die_y" - 15, 2), 9e999), -9e999)) > 12.0 END AS "edge_die",
      -- temp_c = temp
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN CASE "l"."fab" WHEN 'AZ' THEN "l"."temp" WHEN 'OR' THEN "l"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "l"."temp" - 273.55 ELSE NULL END END AS "temp_c",
      -- temp_k = temp as K
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN CASE "l"."fab" WHEN 'AZ' THEN "l"."temp" WHEN 'OR' THEN "l"."temp" * 0.5555555555555556 - 17.77777777777778 WHEN 'KR' THEN "l"."temp" - 273.55 ELSE NULL END + 273.15 END AS "temp_k",
      -- vth
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN "l"."vth" END AS "vth",
      -- vth_missing = vth is null
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN "l"."vth" IS NULL END AS "vth_missing",
      -- vth_filled = coalesce(vth, 0.4 V)
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN coalesce("l"."vth", 0.4) END AS "vth_filled",
      -- vdd_band = if vdd < 1.1 V then "low" else if vdd > 1.3 V then "high" else "nominal"
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN CASE WHEN "l"."vdd" < 1.1 THEN 'low' ELSE CASE WHEN "l"."vdd" > 1.3 THEN 'high' ELSE 'nominal' END END END AS "vdd_band",
      -- test_hour = hour(event_timestamp)
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN ("l"."event_timestamp" % 86400000 + 86400000) % 86400000 / 3600000 END AS "test_hour",
      -- test_age = now - event_timestamp
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN CAST("lt"."__t" - "l"."event_timestamp" AS REAL) * 2.7777777777777776e-7 END AS "test_age",
      -- tests_7d = count() over 7d
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN coalesce("tw"."__p0", 0) END AS "tests_7d",
      -- idd_drift = idd - first(idd) over all
      CASE WHEN "l"."event_timestamp" >= "lt"."__t" - 604800000 THEN "l"."idd" - "lt"."__c1" END AS "idd_drift"
    FROM "device_parametric__latest" AS "lt"
    LEFT JOIN "parametric_tests" AS "l" ON "l"."rowid" = "lt"."__rid"
    LEFT JOIN "device_parametric__time_windows" AS "tw" ON "tw"."__row" = "lt"."__row"
  )
SELECT
  "v1"."__row" AS "__row",
  "v1"."power" AS "power",
  "v1"."vdd_normalized" AS "vdd_normalized",
  "v1"."idd_normalized" AS "idd_normalized",
  "v1"."freq_per_watt" AS "freq_per_watt",
  "v1"."distance_from_center" AS "distance_from_center",
  "v1"."edge_die" AS "edge_die",
  "v1"."temp_c" AS "temp_c",
  "v1"."temp_k" AS "temp_k",
  "v1"."vth" AS "vth",
  "v1"."vth_missing" AS "vth_missing",
  "v1"."vth_filled" AS "vth_filled",
  "v1"."vdd_band" AS "vdd_band",
  "v1"."test_hour" AS "test_hour",
  "v1"."test_age" AS "test_age",
  "v1"."tests_7d" AS "tests_7d",
  "v1"."idd_drift" AS "idd_drift"
FROM "device_parametric" AS "v1"
ORDER BY "v1"."__row";

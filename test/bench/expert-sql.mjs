// Hand-written point-in-time SQL for the benchmark's features, one query per engine: the in-run
// reference the generated SQL is measured against. Each computes exactly what test/bench/project
// defines (LANGUAGE.md semantics); offline.mjs checks that it returns the generated SQL's values
// before timing either. They use the same tables and indexes as the generated SQL: the source
// table with featc's (key, event_timestamp, order...) indexes, and the entity table
// (`rowId`, device_id, wafer_id, `at` = T in epoch ms). Output: `row_id`, then the ten features,
// ordered by row id.
//
// Tricks an expert uses here that hold for any data:
//  - a (T - W, T] window can only hold events when the key's latest event at or before T is later
//    than T - W, so the time-window aggregates are computed only for those entity rows;
//  - a last-N window is read at the latest event, so its statistics come from one pass over the
//    events in index order (window functions), not from N row lookups per entity row.

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const DEVICE_TTL = 7 * DAY;
const WAFER_TTL = 30 * DAY;

/** The device view's features over the columns of `p`, the latest event (p is null-extended). */
function deviceFeatures(p) {
  const power = `(${p}.vdd * ${p}.idd / 1000.0)`;
  return `${power} AS power,
    (${p}.vdd - 1.2) / 0.08 AS vdd_normalized,
    (${p}.idd - 50.0) / 8.0 AS idd_normalized,
    ${p}.freq / NULLIF(${power}, 0) AS freq_per_watt,
    sqrt(((${p}.die_x - 15) * (${p}.die_x - 15) + (${p}.die_y - 15) * (${p}.die_y - 15)) * 1.0) AS distance_from_center,
    CASE ${p}.fab WHEN 'AZ' THEN ${p}.temp WHEN 'OR' THEN (${p}.temp - 32.0) / 1.8 WHEN 'KR' THEN ${p}.temp - 273.55 END AS temp_c`;
}

/**
 * SQLite: the latest device and wafer events are index lookups returning rowids; the last-50
 * sums come from one window pass over the events in the wafer index's order; the 7-day percentile
 * and 24-hour count are index range scans, only for the rows whose 7-day window can hold events.
 */
export function sqliteExpert({ events, entities, rowId, at }) {
  return `WITH latest AS MATERIALIZED (
  SELECT e.${rowId} AS row_id, e.${at} AS t, e.wafer_id,
    (SELECT p.rowid FROM ${events} p WHERE p.device_id = e.device_id AND p.event_timestamp <= e.${at}
      ORDER BY p.event_timestamp DESC, p.created_timestamp DESC LIMIT 1) AS device_event,
    (SELECT p.rowid FROM ${events} p WHERE p.wafer_id = e.wafer_id AND p.event_timestamp <= e.${at}
      ORDER BY p.event_timestamp DESC, p.created_timestamp DESC, p.device_id DESC LIMIT 1) AS wafer_event
  FROM ${entities} e
), wafer_live AS MATERIALIZED (
  SELECT l.row_id, l.t, l.wafer_id, l.wafer_event, p.event_timestamp AS latest
  FROM latest l JOIN ${events} p ON p.rowid = l.wafer_event
  WHERE p.event_timestamp >= l.t - ${WAFER_TTL}
), steps AS (
  SELECT p.rowid AS rid, count(*) OVER w AS n, sum(p.vdd) OVER w AS s, sum(p.vdd * p.vdd) OVER w AS s2
  FROM ${events} p
  WINDOW w AS (PARTITION BY p.wafer_id ORDER BY p.event_timestamp, p.created_timestamp, p.device_id ROWS 49 PRECEDING)
), last50 AS (
  SELECT w.row_id, st.n, st.s, st.s2 FROM wafer_live w JOIN steps st ON st.rid = w.wafer_event
), recent AS (
  SELECT w.row_id,
    (SELECT percentile_cont(p.test_time, 0.95) FROM ${events} p
      WHERE p.wafer_id = w.wafer_id AND p.event_timestamp > w.t - ${WEEK} AND p.event_timestamp <= w.t) AS p95,
    (SELECT count(*) FROM ${events} p
      WHERE p.wafer_id = w.wafer_id AND p.event_timestamp > w.t - ${DAY} AND p.event_timestamp <= w.t) AS n24
  FROM wafer_live w WHERE w.latest > w.t - ${WEEK}
)
SELECT l.row_id, ${deviceFeatures("d")},
  s.s / s.n AS vdd_mean_50,
  CASE WHEN s.n >= 2 THEN sqrt(max(s.s2 - s.s * s.s / s.n, 0.0) / (s.n - 1)) END AS vdd_std_50,
  r.p95 AS test_time_p95_7d,
  CASE WHEN w.row_id IS NOT NULL THEN coalesce(r.n24, 0) END AS tests_24h
FROM latest l
LEFT JOIN ${events} d ON d.rowid = l.device_event AND d.event_timestamp >= l.t - ${DEVICE_TTL}
LEFT JOIN wafer_live w ON w.row_id = l.row_id
LEFT JOIN last50 s ON s.row_id = l.row_id
LEFT JOIN recent r ON r.row_id = l.row_id
ORDER BY l.row_id`;
}

/**
 * PostgreSQL: LATERAL index scans per entity row on featc's indexes: the latest device event; the
 * wafer's latest event (index only); its last 50 events only when that is within the ttl, and
 * its 7-day window only when that can hold events (conditions on the outer row alone are one-time
 * filters: the scan does not run).
 */
export function postgresExpert({ events, entities, rowId, at }) {
  const live = `wl.latest >= e.${at} - ${WAFER_TTL}`;
  return `SELECT e.${rowId} AS row_id, ${deviceFeatures("d")},
  w.vdd_mean_50, w.vdd_std_50, r.test_time_p95_7d,
  CASE WHEN ${live} THEN coalesce(r.tests_24h, 0) END AS tests_24h
FROM ${entities} e
LEFT JOIN LATERAL (
  SELECT p.* FROM ${events} p WHERE p.device_id = e.device_id AND p.event_timestamp <= e.${at}
  ORDER BY p.event_timestamp DESC, p.created_timestamp DESC LIMIT 1
) d ON d.event_timestamp >= e.${at} - ${DEVICE_TTL}
LEFT JOIN LATERAL (
  SELECT p.event_timestamp AS latest FROM ${events} p WHERE p.wafer_id = e.wafer_id AND p.event_timestamp <= e.${at}
  ORDER BY p.event_timestamp DESC LIMIT 1
) wl ON true
LEFT JOIN LATERAL (
  SELECT avg(x.vdd) AS vdd_mean_50, stddev_samp(x.vdd) AS vdd_std_50 FROM (
    SELECT p.vdd FROM ${events} p WHERE ${live} AND p.wafer_id = e.wafer_id AND p.event_timestamp <= e.${at}
    ORDER BY p.event_timestamp DESC, p.created_timestamp DESC, p.device_id COLLATE "C" DESC LIMIT 50) x
) w ON true
LEFT JOIN LATERAL (
  SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY p.test_time) AS test_time_p95_7d,
    count(*) FILTER (WHERE p.event_timestamp > e.${at} - ${DAY}) AS tests_24h
  FROM ${events} p WHERE wl.latest > e.${at} - ${WEEK} AND p.wafer_id = e.wafer_id
    AND p.event_timestamp > e.${at} - ${WEEK} AND p.event_timestamp <= e.${at}
) r ON true
ORDER BY e.${rowId}`;
}

/**
 * DuckDB: ASOF joins against the last event of each (key, timestamp), the wafer's last-50
 * statistics from one window pass; the 7-day window is a range join, only for the rows whose
 * window can hold events.
 */
export function duckdbExpert({ events, entities, rowId, at }) {
  const waferOrder = "event_timestamp, created_timestamp, device_id";
  return `WITH
device_events AS (
  SELECT device_id, event_timestamp, vdd, idd, freq, die_x, die_y, fab, temp,
    lead(event_timestamp) OVER (PARTITION BY device_id ORDER BY event_timestamp, created_timestamp) AS next_ts
  FROM ${events} WHERE device_id IN (SELECT device_id FROM ${entities})
),
device AS (
  SELECT e.${rowId} AS row_id, ${deviceFeatures("d")}
  FROM ${entities} e ASOF JOIN (SELECT * FROM device_events WHERE next_ts IS DISTINCT FROM event_timestamp) d
    ON e.device_id = d.device_id AND e.${at} >= d.event_timestamp
  WHERE d.event_timestamp >= e.${at} - ${DEVICE_TTL}
),
wafer_steps AS (
  SELECT wafer_id, event_timestamp,
    avg(vdd) OVER last50 AS vdd_mean_50,
    stddev_samp(vdd) OVER last50 AS vdd_std_50,
    lead(event_timestamp) OVER (PARTITION BY wafer_id ORDER BY ${waferOrder}) AS next_ts
  FROM ${events}
  WINDOW last50 AS (PARTITION BY wafer_id ORDER BY ${waferOrder} ROWS BETWEEN 49 PRECEDING AND CURRENT ROW)
),
wafer AS MATERIALIZED (
  SELECT e.${rowId} AS row_id, e.${at} AS t, e.wafer_id, w.event_timestamp AS latest, w.vdd_mean_50, w.vdd_std_50
  FROM ${entities} e ASOF JOIN (SELECT * FROM wafer_steps WHERE next_ts IS DISTINCT FROM event_timestamp) w
    ON e.wafer_id = w.wafer_id AND e.${at} >= w.event_timestamp
  WHERE w.event_timestamp >= e.${at} - ${WAFER_TTL}
),
recent AS (
  SELECT w.row_id, quantile_cont(p.test_time, 0.95) AS p95, count(*) FILTER (WHERE p.event_timestamp > w.t - ${DAY}) AS n24
  FROM wafer w JOIN ${events} p ON p.wafer_id = w.wafer_id AND p.event_timestamp > w.t - ${WEEK} AND p.event_timestamp <= w.t
  WHERE w.latest > w.t - ${WEEK}
  GROUP BY w.row_id
)
SELECT e.${rowId} AS row_id, d.power, d.vdd_normalized, d.idd_normalized, d.freq_per_watt, d.distance_from_center, d.temp_c,
  w.vdd_mean_50, w.vdd_std_50, r.p95 AS test_time_p95_7d,
  CASE WHEN w.row_id IS NOT NULL THEN coalesce(r.n24, 0) END AS tests_24h
FROM ${entities} e
LEFT JOIN device d ON d.row_id = e.${rowId}
LEFT JOIN wafer w ON w.row_id = e.${rowId}
LEFT JOIN recent r ON r.row_id = e.${rowId}
ORDER BY e.${rowId}`;
}

export const EXPERT_SQL = { sqlite: sqliteExpert, postgres: postgresExpert, duckdb: duckdbExpert };

-- Offline table of source `parametric` (duckdb): one row per event, timestamps as BIGINT epoch milliseconds (UTC).
-- No B-tree index: the point-in-time query reads whole partitions (window functions, ASOF JOIN).
CREATE TABLE IF NOT EXISTS "parametric_tests" (
  "event_timestamp" BIGINT NOT NULL,
  "device_id" VARCHAR NOT NULL,
  "wafer_id" VARCHAR NOT NULL,
  "lot_id" VARCHAR NOT NULL,
  "fab" VARCHAR NOT NULL,
  "die_x" BIGINT NOT NULL,
  "die_y" BIGINT NOT NULL,
  "vdd" DOUBLE NOT NULL,
  "idd" DOUBLE NOT NULL,
  "freq" DOUBLE NOT NULL,
  "temp" DOUBLE NOT NULL,
  "vth" DOUBLE,
  "test_time" DOUBLE NOT NULL,
  "created_timestamp" BIGINT NOT NULL
);

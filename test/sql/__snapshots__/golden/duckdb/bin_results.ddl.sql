-- Offline table of source `bin_results` (duckdb): one row per event, timestamps as BIGINT epoch milliseconds (UTC).
-- No B-tree index: the point-in-time query reads whole partitions (window functions, ASOF JOIN).
CREATE TABLE IF NOT EXISTS "bin_results" (
  "event_timestamp" BIGINT NOT NULL,
  "device_id" VARCHAR NOT NULL,
  "wafer_id" VARCHAR NOT NULL,
  "lot_id" VARCHAR NOT NULL,
  "insertion" BIGINT NOT NULL,
  "hard_bin" BIGINT NOT NULL,
  "soft_bin" BIGINT NOT NULL,
  "test_program" VARCHAR NOT NULL,
  "tester_id" VARCHAR NOT NULL
);

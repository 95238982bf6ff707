-- Offline table of source `bin_results` (postgres): one row per event, timestamps as BIGINT epoch milliseconds (UTC).
-- One index per key set of the views reading it: (keys..., timestamp, order columns).
CREATE TABLE IF NOT EXISTS "bin_results" (
  "event_timestamp" BIGINT NOT NULL,
  "device_id" TEXT COLLATE "C" NOT NULL,
  "wafer_id" TEXT COLLATE "C" NOT NULL,
  "lot_id" TEXT COLLATE "C" NOT NULL,
  "insertion" BIGINT NOT NULL,
  "hard_bin" BIGINT NOT NULL,
  "soft_bin" BIGINT NOT NULL,
  "test_program" TEXT COLLATE "C" NOT NULL,
  "tester_id" TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS "featc_bin_results_device_id_f8a8d21d" ON "bin_results" ("device_id", "event_timestamp", "insertion");
CREATE INDEX IF NOT EXISTS "featc_bin_results_lot_id_3581b8cc" ON "bin_results" ("lot_id", "event_timestamp", "device_id", "insertion");
CREATE INDEX IF NOT EXISTS "featc_bin_results_wafer_id_26937b11" ON "bin_results" ("wafer_id", "event_timestamp", "device_id", "insertion");

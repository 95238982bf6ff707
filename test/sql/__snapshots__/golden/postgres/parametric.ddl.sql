-- Offline table of source `parametric` (postgres): one row per event, timestamps as BIGINT epoch milliseconds (UTC).
-- One index per key set of the views reading it: (keys..., timestamp, order columns).
CREATE TABLE IF NOT EXISTS "parametric_tests" (
  "event_timestamp" BIGINT NOT NULL,
  "device_id" TEXT COLLATE "C" NOT NULL,
  "wafer_id" TEXT COLLATE "C" NOT NULL,
  "lot_id" TEXT COLLATE "C" NOT NULL,
  "fab" TEXT COLLATE "C" NOT NULL,
  "die_x" BIGINT NOT NULL,
  "die_y" BIGINT NOT NULL,
  "vdd" DOUBLE PRECISION NOT NULL,
  "idd" DOUBLE PRECISION NOT NULL,
  "freq" DOUBLE PRECISION NOT NULL,
  "temp" DOUBLE PRECISION NOT NULL,
  "vth" DOUBLE PRECISION,
  "test_time" DOUBLE PRECISION NOT NULL,
  "created_timestamp" BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_device_id_c0e033d1" ON "parametric_tests" ("device_id", "event_timestamp", "created_timestamp");
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_lot_id_5352462f" ON "parametric_tests" ("lot_id", "event_timestamp", "created_timestamp", "device_id");
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_wafer_id_8ba35e31" ON "parametric_tests" ("wafer_id", "event_timestamp", "created_timestamp", "device_id");

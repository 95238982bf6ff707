-- Offline table of source `parametric` (sqlite): one row per event, timestamps as BIGINT epoch milliseconds (UTC).
-- One index per key set of the views reading it: (keys..., timestamp, order columns).
CREATE TABLE IF NOT EXISTS "parametric_tests" (
  "event_timestamp" INTEGER NOT NULL,
  "device_id" TEXT NOT NULL,
  "wafer_id" TEXT NOT NULL,
  "lot_id" TEXT NOT NULL,
  "fab" TEXT NOT NULL,
  "die_x" INTEGER NOT NULL,
  "die_y" INTEGER NOT NULL,
  "vdd" REAL NOT NULL,
  "idd" REAL NOT NULL,
  "freq" REAL NOT NULL,
  "temp" REAL NOT NULL,
  "vth" REAL,
  "test_time" REAL NOT NULL,
  "created_timestamp" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_device_id_c0e033d1" ON "parametric_tests" ("device_id", "event_timestamp", "created_timestamp");
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_lot_id_5352462f" ON "parametric_tests" ("lot_id", "event_timestamp", "created_timestamp", "device_id");
CREATE INDEX IF NOT EXISTS "featc_parametric_tests_wafer_id_8ba35e31" ON "parametric_tests" ("wafer_id", "event_timestamp", "created_timestamp", "device_id");

// Fixed cases for the edges the random suite aims at, with values computed by hand from
// LANGUAGE.md, run through all four paths (SQLite, DuckDB, PostgreSQL, online).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postgresAvailable } from "../helpers/services.js";
import { Paths, type CaseResult } from "./four-paths.js";
import { expectValue } from "./reproduction.js";

const T0 = Date.UTC(2025, 0, 6); // a Monday
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const PROGRAM = `
entity device { key id: string }

source tests {
  timestamp ts
  order seq
  id: string
  ts: timestamp
  seq: int
  fab: string
  v: float? [V]
  label: string?
  seen: timestamp?
  temp: float by fab {
    "AZ" => degC
    "OR" => degF offset 0.5
    "KR" => K offset -0.4
    else => degC
  }
  temp2: float by fab { "AZ" => degC "OR" => degF }
}

features d for device from tests {
  ttl 1d
  v_latest: float? [V] = v
  label_latest: string? = label
  n_1h: int = count() over 1h
  n_last2_pos: int = count() where v > 0 V over last 2
  v_mean_1h: float [V] = mean(v) over 1h
  v_count_all: int = count(v) over all
  v_first_all: float [V] = first(v) over all
  v_last_all: float [V] = last(v) over all
  v_std_all: float [V] = std(v) over all
  v_var_all: float [V^2] = var(v) over all
  v_p25_1d: float [V] = percentile(v, 0.25) over 1d
  temp_c: float? [degC] = temp
  temp2_c: float? [degC] = temp2
  label_max: string = max(label) over all
  age: float [h] = now - ts
}

features fn for device from tests {
  ttl 1d
  round_half_neg = round(-2.5, 0)
  round_binary = round(1.005, 2)
  mod_int = -7 % 3
  mod_float = 7.5 % -2
  div_zero = 1 / 0
  div_int = 7 / 2
  sqrt_neg = sqrt(-1)
  ln_zero = ln(0)
  lower_ascii = lower("ÄbC")
  upper_ascii = upper("straße")
  length_cp = length("😀a")
  substr_cp = substr("h😀llo", 2, 3)
  concat_null: string? = concat("a", label)
  hour_ts = hour(ts)
  weekday_ts = day_of_week(ts)
  code_points = "😀" > "～"
  v_missing = v is null
  sign_text = if v > 0 V then "pos" else "other"
  v_or_zero: float [V] = coalesce(v, 0 V)
  seen_hour: int? = hour(seen)
  seen_weekday: int? = day_of_week(seen)
  exp_overflow = exp(1000)
}
`;

const events = [
  { id: "a", ts: T0, seq: 1, fab: "AZ", v: 1, label: "～", temp: 20, temp2: 20, seen: null },
  { id: "a", ts: T0 + 30 * MIN, seq: 1, fab: "OR", v: null, label: "😀", temp: 212, temp2: 212, seen: null },
  { id: "a", ts: T0 + 30 * MIN, seq: 2, fab: "KR", v: 3, label: "B", temp: 300, temp2: 300, seen: null },
  // seen: 1969-12-31T23:59:59.999Z, a Wednesday, before the epoch
  { id: "a", ts: T0 + 90 * MIN, seq: 0, fab: "XX", v: -2, label: null, temp: 10, temp2: 10, seen: -1 },
];

const rows = [
  { keys: { id: "a" }, atMs: T0 - 1 }, // 0: before any event
  { keys: { id: "a" }, atMs: T0 + 30 * MIN }, // 1: two events tie on time; seq decides
  { keys: { id: "a" }, atMs: T0 + 90 * MIN }, // 2: events exactly at T - 1h are outside `over 1h`
  { keys: { id: "a" }, atMs: T0 + 90 * MIN + DAY }, // 3: the latest event is exactly at T - ttl
  { keys: { id: "a" }, atMs: T0 + 90 * MIN + DAY + 1 }, // 4: one ms past the ttl
  { keys: { id: "b" }, atMs: T0 + HOUR }, // 5: a key without events
];

const hasPostgres = await postgresAvailable();

describe("edge cases on all four paths", () => {
  let paths: Paths;
  let result: CaseResult;

  beforeAll(async () => {
    paths = await Paths.open({ postgres: hasPostgres });
    // events arrive online in reverse order: the state must not care
    result = await paths.run({ text: PROGRAM, events, entityRows: rows, arrival: [3, 2, 1, 0] });
  });
  afterAll(async () => {
    await paths?.close();
  });

  const d = (f: string) => `d__${f}`;
  const fn = (f: string) => `fn__${f}`;

  test("every path ran", () => {
    expect(result.errors).toEqual({});
    expect(Object.keys(result.values).sort()).toEqual(hasPostgres ? ["duckdb", "online", "postgres", "sqlite"] : ["duckdb", "online", "sqlite"]);
  });

  test("before any event, past the ttl, and for an unknown key every feature is null, count too", () => {
    for (const row of [0, 4, 5]) {
      for (const column of result.columns) expectValue(result, row, column.name, null);
    }
  });

  test("ties on the timestamp: the greater order column is the latest", () => {
    expectValue(result, 1, d("v_latest"), 3);
    expectValue(result, 1, d("label_latest"), "B");
    expectValue(result, 1, d("temp_c"), 299.6 - 273.15);
  });

  test("a time window holds T - W < ts <= T: events exactly at T - W are out, at T in", () => {
    expectValue(result, 1, d("n_1h"), 3);
    expectValue(result, 2, d("n_1h"), 1);
    expectValue(result, 2, d("v_mean_1h"), -2);
    // evaluated at T, not at the latest event: a day later the hour is empty
    expectValue(result, 3, d("n_1h"), 0);
    expectValue(result, 3, d("v_mean_1h"), null);
    expectValue(result, 3, d("v_p25_1d"), null);
  });

  test("an event exactly at T - ttl still counts; `now` is T", () => {
    expectValue(result, 3, d("v_latest"), -2);
    expectValue(result, 3, d("age"), 24);
    expectValue(result, 2, d("age"), 0);
  });

  test("where filters the selected window; a null condition drops the event", () => {
    expectValue(result, 1, d("n_last2_pos"), 1); // last 2: v = 3 and v = null
    expectValue(result, 2, d("n_last2_pos"), 1); // last 2: v = -2 and v = 3
  });

  test("aggregates skip nulls; first/last by source order; sample std/var; percentile interpolates", () => {
    expectValue(result, 1, d("v_count_all"), 2);
    expectValue(result, 1, d("v_first_all"), 1);
    expectValue(result, 1, d("v_last_all"), 3);
    expectValue(result, 1, d("v_std_all"), Math.SQRT2);
    expectValue(result, 1, d("v_var_all"), 2);
    expectValue(result, 1, d("v_p25_1d"), 1.5);
    expectValue(result, 2, d("v_count_all"), 3);
    expectValue(result, 2, d("v_last_all"), -2);
    expectValue(result, 2, d("v_var_all"), 19 / 3);
    expectValue(result, 2, d("v_std_all"), Math.sqrt(19 / 3));
    expectValue(result, 2, d("v_p25_1d"), -0.5);
  });

  test("fab normalization: each case's unit and offset; unknown codes get the else unit, or null", () => {
    expectValue(result, 2, d("temp_c"), 10);
    expectValue(result, 1, d("temp2_c"), null);
    expectValue(result, 2, d("temp2_c"), null);
    const viaOr = (212.5 - 32) * (5 / 9);
    expect(Math.abs(viaOr - 100.27777777777777)).toBeLessThan(1e-9);
  });

  test("strings compare by code point: U+1F600 sorts after U+FF5E", () => {
    expectValue(result, 1, d("label_max"), "😀");
    expectValue(result, 1, fn("code_points"), true);
  });

  test("row functions keep their one meaning", () => {
    expectValue(result, 2, fn("round_half_neg"), -3);
    expectValue(result, 2, fn("round_binary"), 1); // 1.005 * 100 is 100.49999999999999 in doubles
    expectValue(result, 2, fn("mod_int"), -1);
    expectValue(result, 2, fn("mod_float"), 1.5);
    expectValue(result, 2, fn("div_zero"), null);
    expectValue(result, 2, fn("div_int"), 3.5);
    expectValue(result, 2, fn("sqrt_neg"), null);
    expectValue(result, 2, fn("ln_zero"), null);
    expectValue(result, 2, fn("lower_ascii"), "Äbc");
    expectValue(result, 2, fn("upper_ascii"), "STRAßE");
    expectValue(result, 2, fn("length_cp"), 2);
    expectValue(result, 2, fn("substr_cp"), "😀ll");
    expectValue(result, 2, fn("concat_null"), null);
    expectValue(result, 1, fn("concat_null"), "aB");
    expectValue(result, 2, fn("hour_ts"), 1);
    expectValue(result, 2, fn("weekday_ts"), 1);
    expectValue(result, 2, fn("v_missing"), false);
    expectValue(result, 2, fn("sign_text"), "other");
    expectValue(result, 1, fn("sign_text"), "pos");
    expectValue(result, 2, fn("v_or_zero"), -2);
  });

  test("hour and day_of_week use floor division: before 1970 too", () => {
    expectValue(result, 2, fn("seen_hour"), 23);
    expectValue(result, 2, fn("seen_weekday"), 3);
    expectValue(result, 1, fn("seen_hour"), null);
  });

  test("a result that overflows is null, never ±Infinity", () => {
    expectValue(result, 2, fn("exp_overflow"), null);
  });

  test("the four paths agree on every value", () => {
    expect(result.disagreements).toEqual([]);
  });
});

// Focused snippets, one construct each, inside the standard project of helpers.ts: the IR of
// feature `x` (type = expression; `#i` is the view's aggregate i, listed below it).
import { describe, expect, it } from "vitest";
import { showFeature } from "./helpers.js";

function cases(list: [string, string][]) {
  it.each(list)("%s", (features, expected) => {
    expect(showFeature(features)).toBe(expected);
  });
}

describe("arithmetic converts the right side to the left side's unit and folds literals", () => {
  cases([
    ["x: float [V] = 1 V + 5 mV", "float [V] = 1.005 V"],
    ["x: float [V] = vdd - 50 mV", "float [V] = (vdd - 0.05 V)"],
    ["x: float [mV] = vdd + 5 mV", "float [mV] = ((vdd + 0.005 V) * 1000.0)"],
    ["x: float [V] = vdd * 2", "float [V] = (vdd * 2.0)"],
    ["x = die_x * 2", "int = (die_x * 2)"],
    ["x = die_x / 2", "float = (die_x / 2)"],
    ["x = die_x / 2.0", "float = (to_float(die_x) / 2.0)"],
    ["x = die_x % 7", "int = (die_x % 7)"],
    ["x: float [V] = vdd % 100 mV", "float [V] = (vdd % 0.1 V)"],
    ["x = -die_x", "int = -(die_x)"],
    ["x = -3", "int = -3"],
    ["x: float [V^2] = vdd^2", "float [V^2] = (vdd ^ 2.0)"],
    ["x = (vdd / 1 V)^0.5", "float = ((vdd / 1.0 V) ^ 0.5)"],
    ["x = vdd > 1200 mV", "bool = (vdd > 1.2 V)"],
    ["x = fab == \"AZ\"", "bool = (fab == \"AZ\")"],
    ["x = passed and not (hard_bin == 1)", "bool = (passed and not ((hard_bin == 1)))"],
    ["x = passed or null", "bool? = (passed or null)"],
    ["x: float [ohm] = vdd / idd", "float [ohm] = ((vdd / idd) * 1000.0)"],
    ["x: float [MHz/W] = freq / (vdd * idd)", "float [MHz/W] = ((freq / (vdd * idd)) * 1000.0)"],
    ["x = vdd / 80 mV", "float = ((vdd / 80.0 mV) * 1000.0)"],
  ]);
});

describe("affine temperatures", () => {
  cases([
    ["x: float [K] = temp - temp_f", "float [K] = (temp - ((temp_f * 0.5555555555555556) - 17.77777777777778 degC))"],
    ["x: float [degC] = temp + 5 K", "float [degC] = (temp + 5.0 delta_degC)"],
    ["x: float [degF] = temp", "float [degF] = ((temp * 1.8) + 32.0 degF)"],
    ["x: float [K] = temp as K", "float [K] = (temp + 273.15 K)"],
    ["x: float [degC] = temp_f", "float [degC] = ((temp_f * 0.5555555555555556) - 17.77777777777778 degC)"],
    ["x = temp > 212 degF", "bool = (temp > 100.0 degC)"],
    ["x: float [K] = std(temp) over 7d", "float [K] = #0\n#0 = std(temp) over 604800000 ms: float [delta_degC]"],
    ["x: float [degC] = mean(temp_f) over 7d", "float [degC] = ((#0 * 0.5555555555555556) - 17.77777777777778 degC)\n#0 = mean(temp_f) over 604800000 ms: float [degF]"],
    ["x: float [delta_degF] = temp - temp", "float [delta_degF] = ((temp - temp) * 1.8)"],
    ["x: float [K^2] = var(temp) over last 10", "float [K^2] = #0\n#0 = var(temp) over last 10: float [delta_degC^2]"],
    ["x: float [degC] = max(temp) over 1h", "float [degC] = #0\n#0 = max(temp) over 3600000 ms: float [degC]"],
  ]);
});

describe("timestamps and durations (the IR works in ms)", () => {
  cases([
    ["x: float [h] = now - event_timestamp", "float [h] = (to_float((now - event_timestamp)) * 2.7777777777777776e-7)"],
    ["x: int [ms] = now - event_timestamp", "int [ms] = (now - event_timestamp)"],
    ["x = event_timestamp + 90 min", "timestamp = (event_timestamp + 5400000 ms)"],
    ["x = now - created > 1 h", "bool = ((now - created) > 3600000 ms)"],
    ["x = created < event_timestamp - 1 d", "bool = (created < (event_timestamp - 86400000 ms))"],
    ["x = hour(event_timestamp)", "int = hour(event_timestamp)"],
    ["x = day_of_week(now)", "int = day_of_week(now)"],
    ["x: int [ms] = duration_s", "int [ms] = (duration_s * 1000)"],
    ["x = event_timestamp + duration_s", "timestamp = (event_timestamp + (duration_s * 1000))"],
  ]);
});

describe("if, is null, coalesce and nullability", () => {
  cases([
    ["x = if vdd > 1 V then \"hi\" else \"lo\"", "string = (if (vdd > 1.0 V) then \"hi\" else \"lo\")"],
    ["x: float? [V] = if passed then vth else null", "float? [V] = (if passed then vth else null V)"],
    ["x: float [V] = if passed then vdd else 500 mV", "float [V] = (if passed then vdd else 0.5 V)"],
    ["x = if passed then 1 else 2.5", "float = (if passed then 1.0 else 2.5)"],
    ["x = vth is null", "bool = (vth is null)"],
    ["x = vth is not null", "bool = (vth is not null)"],
    ["x: float [V] = coalesce(vth, 0.4 V)", "float [V] = coalesce(vth, 0.4 V)"],
    ["x: string? = label", "string? = label"],
    ["x = concat(fab, \"-\", label)", "string? = concat(fab, \"-\", label)"],
    ["x: float? [V] = least(vth, vdd)", "float? [V] = least(vth, vdd)"],
    ["x = vdd / vdd", "float = (vdd / vdd)"],
    ["x: float? = null", "float? = null"],
  ]);
});

describe("row functions", () => {
  cases([
    ["x: float [V] = greatest(vdd, 900 mV)", "float [V] = greatest(vdd, 0.9 V)"],
    ["x: float [V] = abs(vdd)", "float [V] = abs(vdd)"],
    ["x = floor(die_x / 2)", "float = floor((die_x / 2))"],
    ["x: float [V] = ceil(vdd)", "float [V] = ceil(vdd)"],
    ["x: float [V] = round(vdd, 2)", "float [V] = round(vdd, 2)"],
    ["x: float [V] = round(vdd)", "float [V] = round(vdd, 0)"],
    ["x: float [V] = sqrt(vdd^2)", "float [V] = sqrt((vdd ^ 2.0))"],
    ["x: float [V] = sqrt(vdd * vdd)", "float [V] = sqrt((vdd * vdd))"],
    ["x: float [V] = sqrt(vdd * 1 mV)", "float [V] = sqrt((vdd * 0.001))"],
    ["x = ln(vdd / 1 V)", "float = ln((vdd / 1.0 V))"],
    ["x = log10(freq / 1 MHz)", "float = log10((freq / 1.0 MHz))"],
    ["x = exp(yield_pct)", "float = exp((yield_pct * 0.01))"],
    ["x = lower(fab)", "string = lower(fab)"],
    ["x = upper(fab)", "string = upper(fab)"],
    ["x: int = length(fab)", "int = length(fab)"],
    ["x = substr(fab, 1, 2)", "string = substr(fab, 1, 2)"],
  ]);
});

describe("aggregates and windows", () => {
  cases([
    ["x = count(vth) over 7d", "int = #0\n#0 = count(vth) over 604800000 ms: int"],
    ["x = sum(passed) over 7d", "int = #0\n#0 = sum(passed) over 604800000 ms: int"],
    ["x = mean(passed) over 7d", "float = #0\n#0 = mean(passed) over 604800000 ms: float"],
    ["x = sum(die_x) over all", "int = #0\n#0 = sum(die_x) over all: int"],
    ["x: float [h] = sum(test_time) over 24h", "float [h] = (#0 * 2.7777777777777776e-7)\n#0 = sum(test_time) over 86400000 ms: float [ms]"],
    ["x = count() where hard_bin > 1 over last 50", "int = #0\n#0 = count() where (hard_bin > 1) over last 50: int"],
    ["x = (count() where hard_bin != 1 over 24h) / (count() over 24h)", "float = (#0 / #1)\n#0 = count() where (hard_bin != 1) over 86400000 ms: int\n#1 = count() over 86400000 ms: int"],
    ["x: float [V] = vdd - mean(vdd) over 7d", "float [V] = (vdd - #0)\n#0 = mean(vdd) over 604800000 ms: float [V]"],
    ["x = first(fab) over all", "string = #0\n#0 = first(fab) over all: string"],
    ["x = last(created) over all", "timestamp = #0\n#0 = last(created) over all: timestamp"],
    ["x: float [V] = min(vdd) over last 5", "float [V] = #0\n#0 = min(vdd) over last 5: float [V]"],
    ["x: float [mA] = percentile(idd, 0.5) over 1 wk", "float [mA] = #0\n#0 = percentile(idd, 0.5) over 604800000 ms: float [mA]"],
    ["x: float [V] = mean(vth) over last 50", "float [V] = #0\n#0 = mean(vth) over last 50: float [V]"],
    ["p: float [W] = vdd * idd\nx: float [W] = mean(p) over 7d", "float [W] = #0\n#0 = mean(((vdd * idd) * 0.001)) over 604800000 ms: float [W]"],
    ["a = count() over 7d\nx = a + (count() over 7d)", "int = (#0 + #0)\n#0 = count() over 604800000 ms: int"],
    ["vdd: float [mV] = vdd\nx: float [mV] = vdd", "float [mV] = (vdd * 1000.0)"],
    ["x = vdd / vdd", "float = (vdd / vdd)"],
    ["a = count() over 7d\nx = a + (count() over 7d)", "int = (#0 + #0)\n#0 = count() over 604800000 ms: int"],
  ]);
});

describe("features using features", () => {
  cases([
    ["p: float [W] = vdd * idd\nx: float [W] = mean(p) over 7d", "float [W] = #0\n#0 = mean(((vdd * idd) * 0.001)) over 604800000 ms: float [W]"],
    ["vdd: float [mV] = vdd\nx: float [mV] = vdd", "float [mV] = (vdd * 1000.0)"],
  ]);
});

describe("ints, floats and dimensionless units", () => {
  cases([
    ["x: float = die_x", "float = to_float(die_x)"],
    ["x: float [percent] = yield_pct", "float [percent] = yield_pct"],
    ["x = yield_pct", "float [percent] = yield_pct"],
    ["x: float [ppm] = yield_pct", "float [ppm] = (yield_pct * 10000.0)"],
    ["x = yield_pct * vdd / 1 V", "float = (((yield_pct * vdd) * 0.01) / 1.0 V)"],
  ]);
});

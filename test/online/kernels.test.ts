// The reference kernels and value helpers, against values computed by hand.
import { describe, expect, it } from "vitest";
import {
  countOf, firstOf, lastOf, maxOf, meanOf, minOf, percentileOf, stdOf, sumOf, varianceOf,
} from "../../runtime/kernels/aggregates.js";
import { addToExpansion, exactSum, roundExpansion, sampleVarianceFromSums, addSquareToExpansion } from "../../runtime/kernels/exact-sum.js";
import {
  compareCodePoints, dayOfWeekOf, divide, finiteOrNull, fmod, hourOf, lengthCodePoints, lowerAscii, roundHalfAwayFromZero, substrCodePoints, upperAscii,
} from "../../runtime/kernels/values.js";
import { lastWindow, timeWindow } from "../../runtime/kernels/windows.js";
import { decodePayload, encodeKeyPart, encodeNumber, encodeOrderKey, encodePayload, encodeString } from "../../runtime/online/encoding.js";
import type { Entry, Scalar } from "../../runtime/online/backend.js";

describe("aggregate kernels", () => {
  it("count, sum, mean, min, max of a list", () => {
    expect(countOf([3, 1, 2])).toBe(3);
    expect(sumOf([1.5, 2.5, -1])).toBe(3);
    expect(meanOf([1, 2, 3, 4])).toBe(2.5);
    expect(minOf([3, -1, 2])).toBe(-1);
    expect(maxOf([3, -1, 2])).toBe(3);
    expect(minOf(["b", "a", "c"])).toBe("a");
    expect(maxOf([false, true, false])).toBe(true);
  });

  it("empty input: count 0, everything else null", () => {
    expect(countOf([])).toBe(0);
    for (const fn of [sumOf, meanOf, varianceOf, stdOf]) expect(fn([])).toBeNull();
    expect(minOf([])).toBeNull();
    expect(maxOf([])).toBeNull();
    expect(firstOf([])).toBeNull();
    expect(lastOf([])).toBeNull();
    expect(percentileOf([], 0.5)).toBeNull();
  });

  it("sample variance and std (n - 1), null for one value", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, sample variance 32/7
    expect(varianceOf([2, 4, 4, 4, 5, 5, 7, 9])).toBe(32 / 7);
    expect(stdOf([2, 4, 4, 4, 5, 5, 7, 9])).toBe(Math.sqrt(32 / 7));
    expect(varianceOf([1, 3])).toBe(2);
    expect(varianceOf([42])).toBeNull();
    expect(stdOf([42])).toBeNull();
  });

  it("variance stays exact far from zero (no cancellation)", () => {
    // Epoch-ms-sized values one apart: a naive sum-of-squares formula loses every digit here.
    const base = 1_762_000_000_000;
    expect(varianceOf([base, base + 1, base + 2])).toBe(1);
    expect(varianceOf([1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3])).toBeCloseTo(0.01, 6);
  });

  it("first and last by source order", () => {
    expect(firstOf(["x", "y", "z"])).toBe("x");
    expect(lastOf(["x", "y", "z"])).toBe("z");
  });

  it("percentile: linear interpolation between closest ranks (numpy default)", () => {
    // sorted 1 2 3 4: q = 0.95 → h = 2.85 → 3 + 0.85 * (4 - 3) = 3.85
    expect(percentileOf([4, 1, 3, 2], 0.95)).toBeCloseTo(3.85, 12);
    expect(percentileOf([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentileOf([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(percentileOf([10, 20], 0.1)).toBe(11);
    expect(percentileOf([7], 0.9)).toBe(7);
    expect(percentileOf([5, 1, 9], 0)).toBe(1);
    expect(percentileOf([5, 1, 9], 1)).toBe(9);
  });
});

describe("exact sums", () => {
  it("are correctly rounded whatever the order", () => {
    const values = [1e16, 1, -1e16, 0.1, 0.2, 1e-20, -0.3];
    // exact sum: 1 + 0.1 + 0.2 - 0.3 + 1e-20 (as doubles) ≈ 1.0000000000000000277…
    const forward = exactSum(values);
    const backward = exactSum([...values].reverse());
    expect(forward).toBe(backward);
    expect(forward).toBe(1);
    expect(values.reduce((a, b) => a + b, 0)).not.toBe(forward); // naive summation is off
  });

  it("merge partial sums exactly", () => {
    const a: number[] = [];
    const b: number[] = [];
    for (const x of [0.1, 0.2, 0.3]) addToExpansion(a, x);
    for (const x of [1e100, -1e100, 0.4]) addToExpansion(b, x);
    for (const term of b) addToExpansion(a, term);
    expect(roundExpansion(a)).toBe(exactSum([0.1, 0.2, 0.3, 0.4]));
  });

  it("give the sample variance from running sums", () => {
    const s1: number[] = [];
    const s2: number[] = [];
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) {
      addToExpansion(s1, x);
      addSquareToExpansion(s2, x);
    }
    expect(sampleVarianceFromSums(8, s1, s2)).toBe(32 / 7);
    expect(sampleVarianceFromSums(1, [3], [9])).toBeNull();
  });
});

describe("value helpers", () => {
  it("compare strings by code point, not UTF-16 unit", () => {
    expect("😀" < "\uffff").toBe(true); // what JS does
    expect(compareCodePoints("😀", "\uffff")).toBe(1); // U+1F600 > U+FFFF
    expect(compareCodePoints("a", "b")).toBe(-1);
    expect(compareCodePoints("ab", "a")).toBe(1);
    expect(compareCodePoints("é", "é")).toBe(0);
    expect(compareCodePoints("Z", "a")).toBe(-1);
    expect(["\uffff", "😀", "a", "\ud7ff"].sort(compareCodePoints)).toEqual(["a", "\ud7ff", "\uffff", "😀"]);
  });

  it("round half away from zero with the doubles formula", () => {
    expect(roundHalfAwayFromZero(2.5, 1)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5, 1)).toBe(-3);
    expect(roundHalfAwayFromZero(0.5, 1)).toBe(1);
    expect(roundHalfAwayFromZero(2.25, 10)).toBe(2.3);
    expect(roundHalfAwayFromZero(-2.25, 10)).toBe(-2.3);
    // 1.005 is 1.00499999999999989… as a double: 100.49999999999999 + 0.5 floors to 100.
    expect(roundHalfAwayFromZero(1.005, 100)).toBe(1);
    expect(roundHalfAwayFromZero(1234.5, 0.01)).toBe(1200);
    expect(roundHalfAwayFromZero(-0.4, 1)).toBe(0);
    expect(Object.is(roundHalfAwayFromZero(-0.4, 1), -0)).toBe(false);
  });

  it("% takes the dividend's sign; / and % are null on a zero divisor", () => {
    expect(fmod(-7, 3)).toBe(-1);
    expect(fmod(7, -3)).toBe(1);
    expect(fmod(7.5, 2)).toBe(1.5);
    expect(fmod(1, 0)).toBeNull();
    expect(divide(1, 0)).toBeNull();
    expect(divide(0, 0)).toBeNull();
    expect(divide(7, 2)).toBe(3.5);
    expect(finiteOrNull(Math.sqrt(-1))).toBeNull();
    expect(finiteOrNull(Math.log(0))).toBeNull();
    expect(finiteOrNull(1e308 * 10)).toBeNull();
  });

  it("lower/upper touch ASCII letters only", () => {
    expect(lowerAscii("ÀBÇ-Dé")).toBe("ÀbÇ-dé");
    expect(upperAscii("àbç-dé")).toBe("àBç-Dé");
  });

  it("length and substr count code points, substr 1-based and clipped", () => {
    expect(lengthCodePoints("a😀b")).toBe(3);
    expect(lengthCodePoints("")).toBe(0);
    expect(substrCodePoints("a😀bc", 2, 2)).toBe("😀b");
    expect(substrCodePoints("abc", 0, 2)).toBe("a"); // positions 0..1 ∩ 1..3
    expect(substrCodePoints("abc", -1, 5)).toBe("abc");
    expect(substrCodePoints("abc", 3, 10)).toBe("c");
    expect(substrCodePoints("abc", 4, 1)).toBe("");
    expect(substrCodePoints("abc", 1, -1)).toBe("");
  });

  it("hour and day of week in UTC with floor division", () => {
    const monday = Date.UTC(2025, 10, 3, 23, 59, 59, 999); // 2025-11-03 is a Monday
    expect(hourOf(monday)).toBe(23);
    expect(dayOfWeekOf(monday)).toBe(1);
    expect(dayOfWeekOf(Date.UTC(2025, 10, 2))).toBe(7); // Sunday
    expect(dayOfWeekOf(0)).toBe(4); // 1970-01-01, a Thursday
    expect(hourOf(-1)).toBe(23); // 1969-12-31T23:59:59.999Z
    expect(dayOfWeekOf(-1)).toBe(3); // a Wednesday
  });
});

describe("windows over a log", () => {
  const log: Entry[] = [10, 20, 20, 30, 40].map((ts, i) => ({ key: encodeNumber(ts) + i, ts, value: [i] }));

  it("last N at or before T", () => {
    expect(lastWindow(log, 2, 40)).toEqual([3, 5]);
    expect(lastWindow(log, 2, 25)).toEqual([1, 3]);
    expect(lastWindow(log, 10, 40)).toEqual([0, 5]);
    expect(lastWindow(log, 3, 5)).toEqual([0, 0]);
  });

  it("time windows are T - W < ts <= T", () => {
    expect(timeWindow(log, 20, 40)).toEqual([3, 5]); // 20 < ts <= 40
    expect(timeWindow(log, 21, 40)).toEqual([1, 5]);
    expect(timeWindow(log, 10, 20)).toEqual([1, 3]);
    expect(timeWindow(log, 5, 100)).toEqual([5, 5]);
  });
});

describe("state encodings", () => {
  it("numbers sort by value as text", () => {
    const xs = [-Infinity, -1e300, -2, -0.5, -5e-324, 0, 5e-324, 0.5, 1, 2, 1e300, Infinity];
    const encoded = xs.map(encodeNumber);
    expect([...encoded].sort()).toEqual(encoded);
    expect(encodeNumber(-0)).toBe(encodeNumber(0));
  });

  it("strings sort by code point as text, prefixes first", () => {
    const xs = ["", "a", "a!", "ab", "b", "\ud7ff", "\uffff", "😀"];
    const encoded = xs.map(encodeString);
    expect([...encoded].sort()).toEqual(encoded);
  });

  it("builds a whole order key equal to its parts, and ordered like the rows", () => {
    const parts = [
      { index: 1, type: "string" as const, nullable: true },
      { index: 2, type: "float" as const, nullable: false },
      { index: 3, type: "bool" as const, nullable: true },
    ];
    const rows: Scalar[][] = [
      [-5, "a", 1, null],
      [0, null, -2.5, true],
      [0, "", -0, false],
      [0, "é", 1e300, true],
      [0, "😀", -1e-300, false],
      [1762000000000, "DEV_0000042", 3, true],
      [1762000000000, "DEV_0000042", 3, null],
    ];
    const keys = rows.map((r) => encodeOrderKey(r, 0, parts));
    rows.forEach((r, i) => expect(keys[i]).toBe(encodeNumber(r[0] as number) + parts.map((p) => encodeKeyPart(r[p.index], p.type, p.nullable)).join("")));
    const byRows = rows.map((_, i) => i).sort((a, b) => {
      const x = rows[a], y = rows[b];
      if (x[0] !== y[0]) return (x[0] as number) - (y[0] as number);
      for (const p of parts) {
        const u = x[p.index], v = y[p.index];
        if (u === v) continue;
        if (u === null) return -1;
        if (v === null) return 1;
        const c = p.type === "string" ? compareCodePoints(u as string, v as string) : Number(u) - Number(v);
        if (c !== 0) return c;
      }
      return 0;
    });
    expect(keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))).toEqual(byRows);
  });

  it("payloads round-trip exactly", () => {
    const payload = [null, true, false, 0.1 + 0.2, -(2 ** 60), 5e-324, "", "a!b", "😀", 17];
    expect(decodePayload(encodePayload(payload))).toEqual(payload);
  });
});

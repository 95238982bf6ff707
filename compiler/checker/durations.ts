// A quantity of time (`7d`, `24 h`, `90 min`) as whole milliseconds: used by `ttl` and time windows.
import type { NumberLit } from "../../grammar/ast.js";
import * as R from "../rational.js";
import { describeUnit, isTime, type Unit } from "../units.js";

export type DurationResult =
  | { ok: true; ms: number }
  | { ok: false; problem: string };

export function durationMs(amount: NumberLit, unit: Unit): DurationResult {
  if (!isTime(unit)) return { ok: false, problem: `is ${describeUnit(unit)}, not a time` };
  const ms = R.mul(R.mul(R.fromDecimal(amount.text), unit.scale), R.rational(1000));
  if (R.compare(ms, R.ZERO) <= 0) return { ok: false, problem: "must be longer than zero" };
  if (!R.isInteger(ms)) return { ok: false, problem: "must be a whole number of milliseconds" };
  const value = R.toNumber(ms);
  if (!Number.isSafeInteger(value)) return { ok: false, problem: "is too long" };
  return { ok: true, ms: value };
}

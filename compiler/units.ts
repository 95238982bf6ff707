// The unit algebra: a unit is an exact scale times a vector of dimension exponents, plus, for the
// absolute temperatures `degC` and `degF`, an offset. Units are checked at compile time and erased:
// every conversion becomes arithmetic with constants (see checker/convert.ts).
//
// Conventions:
//  - A value v in unit u means v * u.scale (+ u.offset) in SI base units (kg, m, s, A, K, mol, cd).
//  - `factors` keep the unit as written, for display: `MHz/W` stays `MHz/W`, not `1e6/(kg m^2 s^-2)`.
//  - `degC`/`degF` are absolute (affine) temperatures. `delta_degC` (= K) and `delta_degF` (= 5/9 K)
//    are temperature differences. Plain `K` is an ordinary multiplicative unit: it converts to and
//    from the absolute units (with their offsets) and also serves as a difference.
import type { DiagnosticSink } from "./diagnostics.js";
import type { UnitExpr } from "../grammar/ast.js";
import { closestName } from "./ir-lookup.js";
import * as R from "./rational.js";
import type { Rational } from "./rational.js";

/** Exponents of length, mass, time, current, temperature, amount, luminous intensity. */
export type Dims = readonly [number, number, number, number, number, number, number];

export interface UnitFactor {
  readonly symbol: string;
  readonly exponent: number;
}

export interface Unit {
  readonly factors: readonly UnitFactor[];
  readonly scale: Rational;
  readonly dims: Dims;
  /** Absolute temperatures only: kelvin = value * scale + offset. */
  readonly offset?: Rational;
}

const NO_DIMS: Dims = [0, 0, 0, 0, 0, 0, 0];
const L: Dims = [1, 0, 0, 0, 0, 0, 0];
const M: Dims = [0, 1, 0, 0, 0, 0, 0];
const T: Dims = [0, 0, 1, 0, 0, 0, 0];
const I: Dims = [0, 0, 0, 1, 0, 0, 0];
const THETA: Dims = [0, 0, 0, 0, 1, 0, 0];
const N: Dims = [0, 0, 0, 0, 0, 1, 0];
const J: Dims = [0, 0, 0, 0, 0, 0, 1];

function dims(l: number, m: number, t: number, i = 0, theta = 0, n = 0, j = 0): Dims {
  return [l, m, t, i, theta, n, j];
}

export const DIMENSIONLESS: Unit = { factors: [], scale: R.ONE, dims: NO_DIMS };

interface BuiltinUnit {
  scale: Rational;
  dims: Dims;
  /** Takes the SI prefixes p n u m c k M G T. */
  prefixable: boolean;
  offset?: Rational;
}

const builtin = (scale: Rational, d: Dims, prefixable: boolean, offset?: Rational): BuiltinUnit => ({
  scale,
  dims: d,
  prefixable,
  offset,
});

const BUILTIN_UNITS: Record<string, BuiltinUnit> = {
  s: builtin(R.ONE, T, true),
  m: builtin(R.ONE, L, true),
  g: builtin(R.rational(1, 1000), M, true),
  A: builtin(R.ONE, I, true),
  K: builtin(R.ONE, THETA, true),
  mol: builtin(R.ONE, N, true),
  cd: builtin(R.ONE, J, true),
  Hz: builtin(R.ONE, dims(0, 0, -1), true),
  N: builtin(R.ONE, dims(1, 1, -2), true),
  Pa: builtin(R.ONE, dims(-1, 1, -2), true),
  J: builtin(R.ONE, dims(2, 1, -2), true),
  W: builtin(R.ONE, dims(2, 1, -3), true),
  C: builtin(R.ONE, dims(0, 0, 1, 1), true),
  V: builtin(R.ONE, dims(2, 1, -3, -1), true),
  F: builtin(R.ONE, dims(-2, -1, 4, 2), true),
  ohm: builtin(R.ONE, dims(2, 1, -3, -2), true),
  S: builtin(R.ONE, dims(-2, -1, 3, 2), true),
  min: builtin(R.rational(60), T, false),
  h: builtin(R.rational(3600), T, false),
  d: builtin(R.rational(86400), T, false),
  wk: builtin(R.rational(604800), T, false),
  percent: builtin(R.rational(1, 100), NO_DIMS, false),
  ppm: builtin(R.rational(1, 1_000_000), NO_DIMS, false),
  degC: builtin(R.ONE, THETA, false, R.fromDecimal("273.15")),
  degF: builtin(R.rational(5, 9), THETA, false, R.mul(R.fromDecimal("459.67"), R.rational(5, 9))),
  delta_degC: builtin(R.ONE, THETA, false),
  delta_degF: builtin(R.rational(5, 9), THETA, false),
};

const PREFIXES: Record<string, Rational> = {
  p: R.pow(R.rational(10), -12),
  n: R.pow(R.rational(10), -9),
  u: R.pow(R.rational(10), -6),
  m: R.pow(R.rational(10), -3),
  c: R.pow(R.rational(10), -2),
  k: R.rational(1000),
  M: R.pow(R.rational(10), 6),
  G: R.pow(R.rational(10), 9),
  T: R.pow(R.rational(10), 12),
};

/** The unit a single symbol names (`V`, `mA`, `kohm`, `degF`), or undefined. */
export function unitNamed(symbol: string): Unit | undefined {
  const exact = BUILTIN_UNITS[symbol];
  if (exact) return { factors: [{ symbol, exponent: 1 }], scale: exact.scale, dims: exact.dims, offset: exact.offset };
  const prefix = PREFIXES[symbol[0]];
  const base = BUILTIN_UNITS[symbol.slice(1)];
  if (prefix && base?.prefixable) {
    return { factors: [{ symbol, exponent: 1 }], scale: R.mul(prefix, base.scale), dims: base.dims };
  }
  return undefined;
}

/** Every unit symbol the language knows, for "did you mean" suggestions. */
export function knownUnitSymbols(): string[] {
  const names = Object.keys(BUILTIN_UNITS);
  for (const [symbol, unit] of Object.entries(BUILTIN_UNITS)) {
    if (unit.prefixable) for (const prefix of Object.keys(PREFIXES)) names.push(prefix + symbol);
  }
  return names;
}

// ---- predicates ---------------------------------------------------------------------------------

export function isAbsoluteTemperature(u: Unit): boolean {
  return u.offset !== undefined;
}

/** `delta_degC`, `delta_degF`: explicitly a temperature difference, never an absolute value. */
export function isTemperatureDifference(u: Unit): boolean {
  return sameDims(u.dims, THETA) && u.factors.some((f) => f.symbol.startsWith("delta_"));
}

export function sameDims(a: Dims, b: Dims): boolean {
  return a.every((x, i) => x === b[i]);
}

export function isDimensionless(u: Unit): boolean {
  return sameDims(u.dims, NO_DIMS);
}

/** Dimensionless and written without any unit (not `percent`, not `ppm`). */
export function isPlain(u: Unit): boolean {
  return u.factors.length === 0;
}

export function sameUnit(a: Unit, b: Unit): boolean {
  return formatUnit(a) === formatUnit(b) && R.equals(a.scale, b.scale);
}

export function isTime(u: Unit): boolean {
  return sameDims(u.dims, T);
}

// ---- algebra ------------------------------------------------------------------------------------

function mergeFactors(a: readonly UnitFactor[], b: readonly UnitFactor[], sign: number): UnitFactor[] {
  const out = a.map((f) => ({ ...f }));
  for (const f of b) {
    const existing = out.find((o) => o.symbol === f.symbol);
    if (existing) existing.exponent += sign * f.exponent;
    else out.push({ symbol: f.symbol, exponent: sign * f.exponent });
  }
  return out.filter((f) => f.exponent !== 0);
}

function addDims(a: Dims, b: Dims, sign: number): Dims {
  return a.map((x, i) => x + sign * b[i]) as unknown as Dims;
}

function assertNotAbsolute(...units: Unit[]): void {
  for (const u of units) {
    if (isAbsoluteTemperature(u)) throw new Error(`absolute temperature ${formatUnit(u)} in a compound unit`);
  }
}

export function multiplyUnits(a: Unit, b: Unit): Unit {
  assertNotAbsolute(a, b);
  return { factors: mergeFactors(a.factors, b.factors, 1), scale: R.mul(a.scale, b.scale), dims: addDims(a.dims, b.dims, 1) };
}

export function divideUnits(a: Unit, b: Unit): Unit {
  assertNotAbsolute(a, b);
  return { factors: mergeFactors(a.factors, b.factors, -1), scale: R.div(a.scale, b.scale), dims: addDims(a.dims, b.dims, -1) };
}

export function powerUnit(a: Unit, n: number): Unit {
  assertNotAbsolute(a);
  if (!Number.isInteger(n)) throw new Error(`unit power ${n} is not an integer`);
  if (n === 0) return DIMENSIONLESS;
  return {
    factors: a.factors.map((f) => ({ symbol: f.symbol, exponent: f.exponent * n })),
    scale: R.pow(a.scale, n),
    dims: a.dims.map((x) => x * n) as unknown as Dims,
  };
}

/**
 * The square root of a unit whose written exponents are all even (`V^2` → `V`), or undefined.
 * Callers first bring a unit with even dimensions but odd written exponents (`mV*V`) to its SI
 * form with `canonicalUnit`.
 */
export function sqrtUnit(a: Unit): Unit | undefined {
  assertNotAbsolute(a);
  if (!a.factors.every((f) => f.exponent % 2 === 0)) return undefined;
  // Exponents are even, so the scale is a perfect square of the factors' scales.
  let scale = R.ONE;
  const factors = a.factors.map((f) => ({ symbol: f.symbol, exponent: f.exponent / 2 }));
  for (const f of factors) scale = R.mul(scale, R.pow(unitNamed(f.symbol)!.scale, f.exponent));
  return { factors, scale, dims: a.dims.map((x) => x / 2) as unknown as Dims };
}

export function hasEvenDims(a: Unit): boolean {
  return a.dims.every((x) => x % 2 === 0);
}

/** The temperature difference matching an absolute temperature: degC → delta_degC, degF → delta_degF. */
export function differenceUnitOf(u: Unit): Unit {
  if (!isAbsoluteTemperature(u)) return u;
  return unitNamed(`delta_${u.factors[0].symbol}`)!;
}

/**
 * A unit with a stray dimensionless scale removed: `mV/V` (dimensionless, scale 1/1000) becomes plain
 * with factor 1/1000, and `percent*V` becomes `V` with factor 1/100. A unit that is exactly `percent`
 * or `ppm` (or has a dimension and no dimensionless factor) is kept. Returns the factor by which the
 * value must be multiplied to be expressed in the simplified unit.
 */
export function simplifyUnit(u: Unit): { unit: Unit; factor: Rational } {
  const dimensionlessFactors = u.factors.filter((f) => isDimensionless(unitNamed(f.symbol)!));
  const keepAsIs =
    (u.factors.length === 1 && u.factors[0].exponent === 1) || // `percent`, `V`
    (dimensionlessFactors.length === 0 && !isDimensionless(u)) || // `MHz/W`
    u.factors.length === 0;
  if (keepAsIs) return { unit: u, factor: R.ONE };
  if (isDimensionless(u)) return { unit: DIMENSIONLESS, factor: u.scale };
  const factors = u.factors.filter((f) => !dimensionlessFactors.includes(f));
  let scale = R.ONE;
  for (const f of factors) scale = R.mul(scale, R.pow(unitNamed(f.symbol)!.scale, f.exponent));
  return { unit: { factors, scale, dims: u.dims }, factor: R.div(u.scale, scale) };
}

// ---- conversions --------------------------------------------------------------------------------

/** `to = from * a + b`. */
export interface Conversion {
  a: Rational;
  b: Rational;
}

export type ConversionResult =
  | ({ ok: true } & Conversion)
  | { ok: false; reason: "dimension" | "differenceToAbsolute" | "absoluteToDifference" };

/**
 * How to express a value of unit `from` in unit `to`. Absolute temperatures convert with their
 * offsets (degF → degC: a = 5/9, b = -160/9), also to and from plain kelvin; a temperature
 * difference (`delta_degC`, `delta_degF`) never becomes an absolute temperature.
 */
export function conversion(from: Unit, to: Unit): ConversionResult {
  if (!sameDims(from.dims, to.dims)) return { ok: false, reason: "dimension" };
  const a = R.div(from.scale, to.scale);
  const fromOffset = from.offset ?? R.ZERO;
  const toOffset = to.offset ?? R.ZERO;
  if (isAbsoluteTemperature(to) && isTemperatureDifference(from)) return { ok: false, reason: "differenceToAbsolute" };
  if (isAbsoluteTemperature(from) && isTemperatureDifference(to)) return { ok: false, reason: "absoluteToDifference" };
  return { ok: true, a, b: R.div(R.sub(fromOffset, toOffset), to.scale) };
}

/** The factor that expresses a quantity of unit `from` in `to`, ignoring offsets (for differences). */
export function scaleFactor(from: Unit, to: Unit): Rational {
  return R.div(from.scale, to.scale);
}

// ---- display ------------------------------------------------------------------------------------

function formatFactor(f: UnitFactor, exponent: number): string {
  return exponent === 1 ? f.symbol : `${f.symbol}^${exponent}`;
}

/**
 * The normal form: factors with positive exponents joined by `*`, then each negative one after a
 * `/`, in the order first written: `MHz/W`, `m/s^2`, `V*mA`, `1/s`, `J/kg/K`. Dimensionless: "".
 */
export function formatUnit(u: Unit): string {
  const numerator = u.factors.filter((f) => f.exponent > 0).map((f) => formatFactor(f, f.exponent));
  const denominator = u.factors.filter((f) => f.exponent < 0).map((f) => formatFactor(f, -f.exponent));
  if (numerator.length === 0 && denominator.length === 0) return "";
  return (numerator.length ? numerator.join("*") : "1") + denominator.map((d) => `/${d}`).join("");
}

const BASE_SYMBOLS: { symbol: string; dim: number; scale: Rational }[] = [
  { symbol: "kg", dim: 1, scale: R.ONE },
  { symbol: "m", dim: 0, scale: R.ONE },
  { symbol: "s", dim: 2, scale: R.ONE },
  { symbol: "A", dim: 3, scale: R.ONE },
  { symbol: "K", dim: 4, scale: R.ONE },
  { symbol: "mol", dim: 5, scale: R.ONE },
  { symbol: "cd", dim: 6, scale: R.ONE },
];

const NAMED_SI = ["s", "m", "A", "K", "mol", "cd", "Hz", "N", "Pa", "J", "W", "C", "V", "F", "ohm", "S"];

/**
 * The coherent SI unit (scale 1) of a dimension: a named unit where one exists (`W`, `V`, `Hz`),
 * else a product of base units (`m/s^2`, `kg*m^2`). `kg` for mass.
 */
export function canonicalUnit(d: Dims): Unit {
  if (sameDims(d, NO_DIMS)) return DIMENSIONLESS;
  if (sameDims(d, M)) return unitNamed("kg")!;
  for (const symbol of NAMED_SI) {
    const u = unitNamed(symbol)!;
    if (sameDims(u.dims, d)) return u;
  }
  const factors = BASE_SYMBOLS.filter((b) => d[b.dim] !== 0).map((b) => ({ symbol: b.symbol, exponent: d[b.dim] }));
  return { factors, scale: R.ONE, dims: d };
}

const DIMENSION_NAMES: [Dims, string][] = [
  [L, "a length"],
  [M, "a mass"],
  [T, "a time"],
  [I, "a current"],
  [THETA, "a temperature"],
  [N, "an amount of substance"],
  [J, "a luminous intensity"],
  [dims(0, 0, -1), "a frequency"],
  [dims(1, 1, -2), "a force"],
  [dims(-1, 1, -2), "a pressure"],
  [dims(2, 1, -2), "an energy"],
  [dims(2, 1, -3), "a power"],
  [dims(0, 0, 1, 1), "a charge"],
  [dims(2, 1, -3, -1), "a voltage"],
  [dims(-2, -1, 4, 2), "a capacitance"],
  [dims(2, 1, -3, -2), "a resistance"],
  [dims(-2, -1, 3, 2), "a conductance"],
  [dims(2, 0, 0), "an area"],
  [dims(3, 0, 0), "a volume"],
  [dims(1, 0, -1), "a speed"],
  [dims(1, 0, -2), "an acceleration"],
];

/** "a voltage", "an absolute temperature", "a temperature difference", "a quantity in V*mA/s". */
export function describeUnit(u: Unit): string {
  if (isAbsoluteTemperature(u)) return "an absolute temperature";
  if (isTemperatureDifference(u)) return "a temperature difference";
  if (isDimensionless(u)) return isPlain(u) ? "a plain number" : `a dimensionless quantity`;
  const named = DIMENSION_NAMES.find(([d]) => sameDims(d, u.dims));
  return named ? named[1] : `a quantity in ${formatUnit(u)}`;
}

/**
 * The unit to suggest declaring for a value of unit `u`: the unit itself when it is one symbol
 * (`mA`, `degC`, `MHz/W`), the named SI unit when the written form mixes symbols (`V*mA` → `W`).
 * A difference of absolute temperatures suggests `K` (or `delta_degF`, which needs no conversion).
 */
export function suggestedUnit(u: Unit): string {
  if (isTemperatureDifference(u) && u.factors.length === 1 && u.factors[0].symbol === "delta_degC") return "K";
  if (u.factors.length === 1 && u.factors[0].exponent === 1) return formatUnit(u);
  const canonical = canonicalUnit(u.dims);
  if (canonical.factors.length === 1 && canonical.factors[0].exponent === 1) return formatUnit(canonical);
  return formatUnit(u);
}

// ---- from the AST -------------------------------------------------------------------------------

/**
 * Resolves a unit as written. Reports unknown units (E0303, with a suggestion), non-integer exponents
 * (E0308) and absolute temperatures inside compound units (E0305); returns undefined after an error.
 */
export function resolveUnitExpr(expr: UnitExpr, sink: DiagnosticSink): Unit | undefined {
  const resolved = resolve(expr, sink);
  if (!resolved) return undefined;
  if (expr.kind !== "unitName" && isAbsoluteTemperature(resolved)) {
    reportAbsoluteInCompound(expr, sink);
    return undefined;
  }
  return resolved;
}

function resolve(expr: UnitExpr, sink: DiagnosticSink): Unit | undefined {
  switch (expr.kind) {
    case "unitName": {
      const u = unitNamed(expr.name);
      if (!u) {
        const close = closestUnit(expr.name);
        sink.error("E0303", expr.loc, `unknown unit \`${expr.name}\`${close ? ` (did you mean \`${close}\`?)` : ""}`, {
          fix: close ? undefined : BUILTIN_UNITS_FIX,
        });
      }
      return u;
    }
    case "unitOne":
      return DIMENSIONLESS;
    case "unitMul":
    case "unitDiv": {
      const left = resolve(expr.left, sink);
      const right = resolve(expr.right, sink);
      if (!left || !right) return undefined;
      if (isAbsoluteTemperature(left) || isAbsoluteTemperature(right)) {
        reportAbsoluteInCompound(expr, sink);
        return undefined;
      }
      return expr.kind === "unitMul" ? multiplyUnits(left, right) : divideUnits(left, right);
    }
    case "unitPow": {
      const base = resolve(expr.base, sink);
      if (!base) return undefined;
      if (!Number.isInteger(expr.exponent)) {
        sink.error("E0308", expr.loc, `a unit exponent must be a whole number, not ${expr.exponent}`);
        return undefined;
      }
      if (isAbsoluteTemperature(base)) {
        reportAbsoluteInCompound(expr, sink);
        return undefined;
      }
      return powerUnit(base, expr.exponent);
    }
  }
}

function reportAbsoluteInCompound(expr: UnitExpr, sink: DiagnosticSink): void {
  sink.error("E0305", expr.loc, "an absolute temperature (`degC`, `degF`) cannot be part of a compound unit", {
    fix: "use `K` or `delta_degC` / `delta_degF` for temperature differences",
  });
}

const BUILTIN_UNITS_FIX =
  "built-in units: s m g A K mol cd Hz N Pa J W C V F ohm S with prefixes p n u m c k M G T, min h d wk, percent, ppm, degC, degF";

/**
 * The unit a misspelt one most likely means: the longest known unit the name starts with (`Volt` → `V`,
 * `mAmp` → `mA`, `hours` → `h`), else the closest by edit distance (`degc` → `degC`).
 */
export function closestUnit(name: string): string | undefined {
  const known = knownUnitSymbols();
  const prefix = known.filter((k) => name.startsWith(k)).sort((a, b) => b.length - a.length)[0];
  return prefix ?? closestName(name, known);
}

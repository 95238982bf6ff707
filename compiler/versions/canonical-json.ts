// Deterministic JSON: the same value always prints as the same text, whatever order its object keys
// were built in. Fingerprints hash it and the lock file is written with it, so both are stable
// across runs, machines and refactorings of the code that builds the IR.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CanonicalOptions {
  /** Indentation for pretty output; absent: compact, one line. */
  indent?: number;
  /** Keys printed first, in this order, before the remaining keys in sorted order (for readability). */
  leadingKeys?: readonly string[];
}

const INTEGER_KEY = /^(0|[1-9][0-9]*)$/;

/**
 * Prints `value` with object keys sorted (integer keys such as versions first, numerically; then the
 * rest in code-unit order), `undefined`
 * members dropped, and arrays kept in their order. Non-finite numbers cannot be represented and throw.
 */
export function canonicalJson(value: unknown, options: CanonicalOptions = {}): string {
  const lead = options.leadingKeys ?? [];
  const step = options.indent ? " ".repeat(options.indent) : "";
  const newline = options.indent ? "\n" : "";
  const colon = options.indent ? ": " : ":";

  const print = (v: unknown, depth: number): string => {
    if (v === null) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "number":
        if (!Number.isFinite(v)) throw new Error(`canonicalJson: cannot represent ${v}`);
        return JSON.stringify(v);
      case "string":
        return JSON.stringify(v);
      case "object":
        break;
      default:
        throw new Error(`canonicalJson: cannot represent a ${typeof v}`);
    }
    const inner = step.repeat(depth + 1);
    const outer = step.repeat(depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((item) => inner + print(item === undefined ? null : item, depth + 1));
      return `[${newline}${items.join(`,${newline}`)}${newline}${outer}]`;
    }
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    keys.sort((a, b) => {
      const ia = lead.indexOf(a);
      const ib = lead.indexOf(b);
      if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
      const na = INTEGER_KEY.test(a);
      const nb = INTEGER_KEY.test(b);
      if (na && nb) return Number(a) - Number(b);
      if (na !== nb) return na ? -1 : 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    if (keys.length === 0) return "{}";
    const members = keys.map((k) => `${inner}${JSON.stringify(k)}${colon}${print(record[k], depth + 1)}`);
    return `{${newline}${members.join(`,${newline}`)}${newline}${outer}}`;
  };
  return print(value, 0);
}

/** A deep copy of `value` without any member named in `keys`, at any depth (e.g. every `loc`). */
export function withoutKeys<T>(value: T, keys: readonly string[]): T {
  if (Array.isArray(value)) return value.map((item) => withoutKeys(item, keys)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!keys.includes(k) && v !== undefined) out[k] = withoutKeys(v, keys);
  }
  return out as T;
}

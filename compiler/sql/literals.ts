// Checks shared by every dialect's quoting: what no SQL text can carry, and how a double is written
// so that the engine reads back exactly the same double.

export class SqlTextError extends Error {}

/** A name for an identifier: non-empty, no NUL (no engine's quoted identifiers can hold one). */
export function checkIdentifier(name: string): string {
  if (name.length === 0) throw new SqlTextError("an SQL identifier cannot be empty");
  if (name.includes("\u0000")) throw new SqlTextError(`the name ${JSON.stringify(name)} contains a NUL character, which SQL identifiers cannot hold`);
  return name;
}

/** A string constant's text: no NUL (PostgreSQL text cannot hold one, and SQL text stops at it). */
export function checkText(value: string): string {
  if (value.includes("\u0000")) throw new SqlTextError(`the string ${JSON.stringify(value)} contains a NUL character, which SQL text cannot hold`);
  return value;
}

/**
 * The shortest decimal text that reads back as exactly `value` (JavaScript's own), always with a
 * `.` or an exponent so that no engine takes it for an integer.
 */
export function floatText(value: number): string {
  if (!Number.isFinite(value)) throw new SqlTextError(`the float constant ${value} is not finite`);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

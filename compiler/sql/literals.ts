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

/** A double-quoted identifier, quotes doubled: the same in SQLite, PostgreSQL and DuckDB. */
export function quoteIdentifier(name: string): string {
  return `"${checkIdentifier(name).replace(/"/g, '""')}"`;
}

/** A standard single-quoted string constant, quotes doubled (backslashes are plain characters). */
export function quoteString(value: string): string {
  return `'${checkText(value).replace(/'/g, "''")}'`;
}

/** An integer constant; refuses one that a double (and so the IR) cannot hold exactly. */
export function intText(value: number): string {
  if (!Number.isSafeInteger(value)) throw new SqlTextError(`integer literal ${value} is not exact`);
  return String(value);
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

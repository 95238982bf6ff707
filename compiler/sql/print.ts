// Prints the SQL syntax tree. Names and values reach SQL text only here, through the dialect's
// quoteIdentifier/…Literal methods, and comments only through `commentLine`, so a table name, a
// string constant or a feature definition can neither break nor inject SQL.
import type { Dialect } from "./dialect.js";
import type {
  SqlBinaryOp,
  SqlCte,
  SqlExpr,
  SqlFromItem,
  SqlJoin,
  SqlLiteral,
  SqlOrderItem,
  SqlQuery,
  SqlSelect,
  SqlWindow,
} from "./sql-ast.js";

const INDENT = "  ";

/** A comment line: `-- text`, with every line break and control character made a space. */
export function commentLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `-- ${text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, " ").trimEnd()}`;
}

export function printQuery(query: SqlQuery, dialect: Dialect): string {
  const p = new Printer(dialect);
  const lines: string[] = (query.header ?? []).map(commentLine);
  if (query.ctes.length > 0) {
    lines.push("WITH");
    query.ctes.forEach((cte, i) => lines.push(...p.cte(cte, i === query.ctes.length - 1)));
  }
  lines.push(...p.select(query.select, ""));
  return lines.join("\n") + "\n";
}

/** One expression as SQL text (for tests and for statements built around a single expression). */
export function printExpr(expr: SqlExpr, dialect: Dialect): string {
  return new Printer(dialect).expr(expr);
}

/** A SELECT statement without CTEs. */
export function printSelect(select: SqlSelect, dialect: Dialect): string {
  return new Printer(dialect).select(select, "").join("\n");
}

// Binding strength: a child binds less tightly than its parent is printed in parentheses.
const PRECEDENCE: Record<SqlBinaryOp, number> = {
  OR: 1,
  AND: 2,
  "=": 4, "<>": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
  "||": 5,
  "+": 6, "-": 6,
  "*": 7, "/": 7, "//": 7, "%": 7,
};
const NOT_PRECEDENCE = 3;
const COMPARISON = new Set<SqlBinaryOp>(["=", "<>", "<", "<=", ">", ">="]);

class Printer {
  constructor(private readonly d: Dialect) {}

  id(name: string): string {
    return this.d.quoteIdentifier(name);
  }

  cte(cte: SqlCte, last: boolean): string[] {
    const out: string[] = [];
    if (cte.comment !== undefined) out.push(INDENT + commentLine(cte.comment));
    out.push(`${INDENT}${this.id(cte.name)} AS ${cte.materialized ? "MATERIALIZED " : ""}(`);
    out.push(...this.select(cte.select, INDENT + INDENT));
    out.push(`${INDENT})${last ? "" : ","}`);
    return out;
  }

  select(s: SqlSelect, indent: string): string[] {
    const out: string[] = [`${indent}SELECT`];
    s.columns.forEach((c, i) => {
      if (c.comment !== undefined) out.push(indent + INDENT + commentLine(c.comment));
      const alias = c.alias === undefined ? "" : ` AS ${this.id(c.alias)}`;
      out.push(`${indent}${INDENT}${this.expr(c.expr)}${alias}${i === s.columns.length - 1 ? "" : ","}`);
    });
    if (s.from) out.push(...this.fromItem(s.from, `${indent}FROM `, indent));
    for (const j of s.joins ?? []) out.push(...this.join(j, indent));
    if (s.where) out.push(`${indent}WHERE ${this.expr(s.where)}`);
    if (s.groupBy?.length) out.push(`${indent}GROUP BY ${s.groupBy.map((e) => this.expr(e)).join(", ")}`);
    if (s.orderBy?.length) out.push(`${indent}ORDER BY ${this.orderItems(s.orderBy)}`);
    if (s.limit !== undefined) out.push(`${indent}LIMIT ${this.limit(s.limit)}`);
    return out;
  }

  /** A SELECT on one line, for scalar subqueries. */
  inlineSelect(s: SqlSelect): string {
    const parts = [`SELECT ${s.columns.map((c) => this.expr(c.expr) + (c.alias === undefined ? "" : ` AS ${this.id(c.alias)}`)).join(", ")}`];
    if (s.from) parts.push(`FROM ${this.inlineFromItem(s.from)}`);
    for (const j of s.joins ?? []) {
      parts.push(`${j.type} JOIN ${j.lateral ? "LATERAL " : ""}${this.inlineFromItem(j.item)}${j.on ? ` ON ${this.expr(j.on)}` : ""}`);
    }
    if (s.where) parts.push(`WHERE ${this.expr(s.where)}`);
    if (s.groupBy?.length) parts.push(`GROUP BY ${s.groupBy.map((e) => this.expr(e)).join(", ")}`);
    if (s.orderBy?.length) parts.push(`ORDER BY ${this.orderItems(s.orderBy)}`);
    if (s.limit !== undefined) parts.push(`LIMIT ${this.limit(s.limit)}`);
    return parts.join(" ");
  }

  limit(n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`invalid LIMIT ${n}`);
    return String(n);
  }

  inlineFromItem(item: SqlFromItem): string {
    if (item.kind === "table") return this.id(item.name) + (item.alias === undefined ? "" : ` AS ${this.id(item.alias)}`);
    return `(${this.inlineSelect(item.select)}) AS ${this.id(item.alias)}`;
  }

  fromItem(item: SqlFromItem, prefix: string, indent: string): string[] {
    if (item.kind === "table") {
      return [`${prefix}${this.id(item.name)}${item.alias === undefined ? "" : ` AS ${this.id(item.alias)}`}`];
    }
    return [`${prefix}(`, ...this.select(item.select, indent + INDENT), `${indent}) AS ${this.id(item.alias)}`];
  }

  join(j: SqlJoin, indent: string): string[] {
    const lines = this.fromItem(j.item, `${indent}${j.type} JOIN ${j.lateral ? "LATERAL " : ""}`, indent);
    if (j.on) lines[lines.length - 1] += ` ON ${this.expr(j.on)}`;
    return lines;
  }

  orderItems(items: SqlOrderItem[]): string {
    return items.map((o) => this.expr(o.expr) + (o.desc ? " DESC" : "") + (o.nulls ? ` NULLS ${o.nulls}` : "")).join(", ");
  }

  window(w: SqlWindow): string {
    const parts: string[] = [];
    if (w.partitionBy.length) parts.push(`PARTITION BY ${w.partitionBy.map((e) => this.expr(e)).join(", ")}`);
    if (w.orderBy.length) parts.push(`ORDER BY ${this.orderItems(w.orderBy)}`);
    if (w.frame) {
      const start = w.frame.preceding === "unbounded" ? "UNBOUNDED" : this.limit(w.frame.preceding);
      parts.push(`ROWS BETWEEN ${start} PRECEDING AND CURRENT ROW`);
    }
    return `(${parts.join(" ")})`;
  }

  literal(v: SqlLiteral): string {
    switch (v.type) {
      case "string":
        return this.d.stringLiteral(v.value);
      case "int":
        return this.d.intLiteral(v.value);
      case "float":
        return this.d.floatLiteral(v.value);
      case "bool":
        return this.d.boolLiteral(v.value);
      case "null":
        return "NULL";
    }
  }

  expr(e: SqlExpr): string {
    switch (e.kind) {
      case "column":
        return e.table === undefined ? this.id(e.name) : `${this.id(e.table)}.${this.id(e.name)}`;
      case "literal":
        return this.literal(e.value);
      case "binary": {
        const prec = PRECEDENCE[e.op];
        const left = this.operand(e.left, e.op, prec, false);
        const right = this.operand(e.right, e.op, prec, true);
        return `${left} ${e.op} ${right}`;
      }
      case "unary": {
        const inner = this.expr(e.arg);
        const wrap = e.arg.kind === "binary" || e.arg.kind === "unary" || inner.startsWith("-");
        const arg = wrap ? `(${inner})` : inner;
        return e.op === "-" ? `-${arg}` : `NOT ${arg}`;
      }
      case "call":
        return this.call(e);
      case "case": {
        const parts = ["CASE"];
        if (e.subject) parts.push(this.expr(e.subject));
        for (const w of e.whens) parts.push(`WHEN ${this.expr(w.when)} THEN ${this.expr(w.then)}`);
        if (e.else) parts.push(`ELSE ${this.expr(e.else)}`);
        parts.push("END");
        return parts.join(" ");
      }
      case "cast":
        return `CAST(${this.expr(e.arg)} AS ${e.type})`;
      case "isNull":
        return `${this.tight(e.arg)} IS ${e.negated ? "NOT " : ""}NULL`;
      case "inSelect": {
        const left = e.args.length === 1 ? this.tight(e.args[0]) : `(${e.args.map((a) => this.expr(a)).join(", ")})`;
        return `${left} IN (${this.inlineSelect(e.select)})`;
      }
      case "subquery":
        return `(${this.inlineSelect(e.select)})`;
      case "collate":
        return `${this.tight(e.arg)} COLLATE ${this.id(e.collation)}`;
      case "subscript":
        return `(${this.expr(e.arg)})[${this.limit(e.index)}]`;
      case "row":
        return `(${e.items.map((i) => this.expr(i)).join(", ")})`;
    }
  }

  /** An operand that must not be split by a surrounding postfix (IS NULL, COLLATE, IN). */
  tight(e: SqlExpr): string {
    const s = this.expr(e);
    return e.kind === "binary" || e.kind === "unary" || e.kind === "isNull" || e.kind === "inSelect" ? `(${s})` : s;
  }

  operand(child: SqlExpr, parentOp: SqlBinaryOp, parentPrec: number, isRight: boolean): string {
    const s = this.expr(child);
    let wrap = false;
    if (child.kind === "binary") {
      const prec = PRECEDENCE[child.op];
      if (prec < parentPrec) wrap = true;
      else if (prec === parentPrec) {
        // a - (b - c), comparisons never chain, and `||` never mixes unparenthesized
        wrap = isRight || COMPARISON.has(parentOp) || (child.op !== parentOp && (child.op === "||" || parentOp === "||"));
      } else if (child.op === "||" || parentOp === "||") wrap = true;
    } else if (child.kind === "unary") {
      wrap = child.op === "NOT" ? NOT_PRECEDENCE < parentPrec : true;
    } else if (child.kind === "isNull" || child.kind === "inSelect") {
      wrap = true;
    }
    return wrap ? `(${s})` : s;
  }

  call(e: Extract<SqlExpr, { kind: "call" }>): string {
    if (!/^[a-z_][a-z0-9_]*$/i.test(e.name)) throw new Error(`invalid SQL function name ${JSON.stringify(e.name)}`);
    let args = e.star ? "*" : e.args.map((a) => this.expr(a)).join(", ");
    if (e.orderBy?.length) args += ` ORDER BY ${this.orderItems(e.orderBy)}`;
    if (e.ignoreNulls) args += " IGNORE NULLS";
    let s = `${e.name}(${args})`;
    if (e.withinGroup?.length) s += ` WITHIN GROUP (ORDER BY ${this.orderItems(e.withinGroup)})`;
    if (e.filter) s += ` FILTER (WHERE ${this.expr(e.filter)})`;
    if (e.over) s += ` OVER ${this.window(e.over)}`;
    return s;
  }
}

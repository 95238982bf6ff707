// Printing IR expressions as straight-line TypeScript: one `const` per distinct subexpression, with
// explicit null checks, so a feature is plain arithmetic on locals. Every expression is total (no
// operation throws), so evaluating both arms of an `if` is safe, and equal subexpressions (a feature
// inlined into several others) are computed once.
import type { IrExpr, ScalarType } from "../ir.js";

export interface Operand {
  /** An identifier or a literal. */
  code: string;
  type: ScalarType;
  nullable: boolean;
}

/** How the context supplies columns, raw columns, aggregates and `now`. */
export interface ExpressionContext {
  column(name: string, emitter: ExpressionEmitter): Operand;
  rawColumn?(name: string, emitter: ExpressionEmitter): Operand;
  aggregate?(index: number, type: ScalarType, emitter: ExpressionEmitter): Operand;
  now?: string;
}

export function tsValueType(type: ScalarType): string {
  return type === "string" ? "string" : type === "bool" ? "boolean" : "number";
}

export function tsType(type: ScalarType, nullable: boolean): string {
  return nullable ? `${tsValueType(type)} | null` : tsValueType(type);
}

export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`non-finite constant ${n} in the IR`);
  const text = Object.is(n, -0) ? "-0" : String(n);
  return n < 0 || Object.is(n, -0) ? `(${text})` : text;
}

function isLiteral(o: Operand): boolean {
  return !/^[A-Za-z_]\w*$/.test(o.code) || ["true", "false", "null"].includes(o.code);
}

export class ExpressionEmitter {
  readonly lines: string[] = [];
  /** Runtime helpers the printed code calls (the module imports them). */
  readonly helpers = new Set<string>();
  private readonly cache = new Map<string, Operand>();
  private count = 0;

  constructor(private readonly context: ExpressionContext, private readonly indent = "  ") {}

  /** Binds `code` to a new const and returns it as an operand. */
  bind(code: string, type: ScalarType, nullable: boolean): Operand {
    const name = `t${this.count++}`;
    this.lines.push(`${this.indent}const ${name}: ${tsType(type, nullable)} = ${code};`);
    return { code: name, type, nullable };
  }

  private helper(name: string): string {
    this.helpers.add(name);
    return name;
  }

  emit(expr: IrExpr): Operand {
    if (expr.kind === "literal") return this.literal(expr.value, expr.type.base);
    // Equal expressions compute equal values whatever unit or nullability their nodes carry.
    const key = JSON.stringify(expr, (k, v: unknown) => (k === "type" && typeof v === "object" && v !== null && "base" in v ? (v as { base: string }).base : v));
    const cached = this.cache.get(key);
    if (cached) return cached;
    const operand = this.emitNew(expr);
    this.cache.set(key, operand);
    return operand;
  }

  private literal(value: string | number | boolean | null, type: ScalarType): Operand {
    if (value === null) return { code: "null", type, nullable: true };
    if (typeof value === "number") return { code: numberLiteral(value), type, nullable: false };
    return { code: JSON.stringify(value), type, nullable: false };
  }

  /** A literal bound to a typed const, so TypeScript does not compare two literal types. */
  private widen(o: Operand): Operand {
    return isLiteral(o) && o.code !== "null" ? this.bind(o.code, o.type, o.nullable) : o;
  }

  /** `code` when no operand is null, else null: `a === null || b === null ? null : code`. */
  private guarded(operands: Operand[], code: string, type: ScalarType, nullable = false): Operand {
    if (operands.some((o) => o.code === "null")) return { code: "null", type, nullable: true };
    const nullables = operands.filter((o) => o.nullable);
    if (nullables.length === 0) return this.bind(code, type, nullable);
    return this.bind(`${nullables.map((o) => `${o.code} === null`).join(" || ")} ? null : ${code}`, type, true);
  }

  private emitNew(expr: IrExpr): Operand {
    const type = expr.type.base;
    switch (expr.kind) {
      case "literal":
        return this.literal(expr.value, type);
      case "column":
        return this.context.column(expr.name, this);
      case "rawColumn":
        if (!this.context.rawColumn) throw new Error(`raw column \`${expr.name}\` outside a normalization`);
        return this.context.rawColumn(expr.name, this);
      case "now":
        if (!this.context.now) throw new Error("`now` in a row expression");
        return { code: this.context.now, type: "timestamp", nullable: false };
      case "aggregate":
        if (!this.context.aggregate) throw new Error("an aggregate inside a row expression");
        return this.context.aggregate(expr.index, type, this);
      case "neg": {
        const a = this.emit(expr.arg);
        return this.guarded([a], `-${a.code}`, type);
      }
      case "not": {
        const a = this.emit(expr.arg);
        return this.guarded([a], `!${a.code}`, type);
      }
      case "isNull": {
        const a = this.emit(expr.arg);
        if (!a.nullable) return { code: expr.negated ? "true" : "false", type: "bool", nullable: false };
        return this.bind(`${a.code} ${expr.negated ? "!==" : "==="} null`, "bool", false);
      }
      case "arith":
        return this.arith(expr.op, this.emit(expr.left), this.emit(expr.right), type);
      case "compare": {
        const a = this.emit(expr.left);
        const b = this.emit(expr.right);
        return this.compare(expr.op, isLiteral(a) && isLiteral(b) ? this.widen(a) : a, b);
      }
      case "logic": {
        const a = this.widen(this.emit(expr.left));
        const b = this.widen(this.emit(expr.right));
        if (!a.nullable && !b.nullable) return this.bind(`${a.code} ${expr.op === "and" ? "&&" : "||"} ${b.code}`, "bool", false);
        const [decisive, other] = expr.op === "and" ? ["false", "true"] : ["true", "false"];
        const nulls = [a, b].filter((o) => o.nullable).map((o) => `${o.code} === null`).join(" || ");
        return this.bind(`${a.code} === ${decisive} || ${b.code} === ${decisive} ? ${decisive} : ${nulls} ? null : ${other}`, "bool", true);
      }
      case "if": {
        const c = this.emit(expr.cond);
        const a = this.emit(expr.then);
        const b = this.emit(expr.else);
        return this.bind(`${c.nullable ? `${c.code} === true` : c.code} ? ${a.code} : ${b.code}`, type, a.nullable || b.nullable);
      }
      case "switch": {
        const s = this.emit(expr.subject);
        const arms = expr.cases.map((c) => ({ value: c.value, result: this.emit(c.result) }));
        const otherwise = this.emit(expr.otherwise);
        const code = arms.map((a) => `${s.code} === ${JSON.stringify(a.value)} ? ${a.result.code} : `).join("") + otherwise.code;
        return this.bind(code, type, otherwise.nullable || arms.some((a) => a.result.nullable));
      }
      case "call":
        return this.call(expr.fn, expr.args, type);
    }
  }

  private arith(op: string, a: Operand, b: Operand, type: ScalarType): Operand {
    switch (op) {
      case "div": return this.guarded([a, b], `${this.helper("divide")}(${a.code}, ${b.code})`, type, true);
      case "mod": return this.guarded([a, b], `${this.helper("fmod")}(${a.code}, ${b.code})`, type, true);
      case "pow": return this.guarded([a, b], `${this.helper("finiteOrNull")}(Math.pow(${a.code}, ${b.code}))`, type, true);
    }
    const symbol = op === "add" ? "+" : op === "sub" ? "-" : "*";
    // Ints (and timestamps, durations in ms) stay exact within 2^53; a float result may overflow.
    if (type === "float") return this.guarded([a, b], `${this.helper("finiteOrNull")}(${a.code} ${symbol} ${b.code})`, type, true);
    return this.guarded([a, b], `${a.code} ${symbol} ${b.code}`, type);
  }

  private compare(op: string, a: Operand, b: Operand): Operand {
    const symbol = { eq: "===", ne: "!==", lt: "<", le: "<=", gt: ">", ge: ">=" }[op]!;
    let code: string;
    if (op === "eq" || op === "ne") code = `${a.code} ${symbol} ${b.code}`;
    else if (a.type === "string") code = `${this.helper("compareCodePoints")}(${a.code}, ${b.code}) ${symbol} 0`;
    else if (a.type === "bool") code = `Number(${a.code}) ${symbol} Number(${b.code})`;
    else code = `${a.code} ${symbol} ${b.code}`;
    return this.guarded([a, b], code, "bool");
  }

  private call(fn: string, argExprs: IrExpr[], type: ScalarType): Operand {
    if (fn === "round") {
      const x = this.emit(argExprs[0]);
      const digits = argExprs[1];
      if (digits.kind !== "literal" || typeof digits.value !== "number") throw new Error("round's digits must be an int literal");
      return this.guarded([x], `${this.helper("roundHalfAwayFromZero")}(${x.code}, ${numberLiteral(Math.pow(10, digits.value))})`, type, true);
    }
    const args = argExprs.map((a) => this.emit(a));
    const [a] = args;
    const list = args.map((x) => x.code).join(", ");
    switch (fn) {
      case "abs": return this.guarded(args, `Math.abs(${a.code})`, type);
      case "floor": return this.guarded(args, `Math.floor(${a.code})`, type);
      case "ceil": return this.guarded(args, `Math.ceil(${a.code})`, type);
      case "sqrt": return this.guarded(args, `${this.helper("finiteOrNull")}(Math.sqrt(${a.code}))`, type, true);
      case "exp": return this.guarded(args, `${this.helper("finiteOrNull")}(Math.exp(${a.code}))`, type, true);
      case "ln": return this.guarded(args, `${this.helper("finiteOrNull")}(Math.log(${a.code}))`, type, true);
      case "log10": return this.guarded(args, `${this.helper("finiteOrNull")}(Math.log10(${a.code}))`, type, true);
      case "least":
      case "greatest":
        if (a.type === "int" || a.type === "float" || a.type === "timestamp") {
          return this.guarded(args, `Math.${fn === "least" ? "min" : "max"}(${list})`, type);
        }
        return this.guarded(args, `${this.helper(fn === "least" ? "leastOf" : "greatestOf")}(${list})`, type);
      case "coalesce": {
        let code = args[args.length - 1].code;
        for (let i = args.length - 2; i >= 0; i--) code = args[i].nullable ? `${args[i].code} !== null ? ${args[i].code} : ${code}` : args[i].code;
        return this.bind(code, type, args.every((x) => x.nullable));
      }
      case "lower": return this.guarded(args, `${this.helper("lowerAscii")}(${a.code})`, type);
      case "upper": return this.guarded(args, `${this.helper("upperAscii")}(${a.code})`, type);
      case "length": return this.guarded(args, `${this.helper("lengthCodePoints")}(${a.code})`, type);
      case "substr": return this.guarded(args, `${this.helper("substrCodePoints")}(${list})`, type);
      case "concat": return this.guarded(args, args.map((x) => x.code).join(" + "), type);
      case "hour": return this.guarded(args, `${this.helper("hourOf")}(${a.code})`, type);
      case "day_of_week": return this.guarded(args, `${this.helper("dayOfWeekOf")}(${a.code})`, type);
      case "to_float": return a;
      default: throw new Error(`unknown row function \`${fn}\``);
    }
  }
}

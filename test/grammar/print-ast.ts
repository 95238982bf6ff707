// Test helper: prints AST pieces in a compact, fully parenthesized form, so precedence and
// associativity can be asserted as text: `a + b * c` prints as `(a + (b * c))`.
import type { Expr, UnitExpr, Window } from "../../grammar/ast.js";

export function printUnit(u: UnitExpr): string {
  switch (u.kind) {
    case "unitName":
      return u.name;
    case "unitOne":
      return "1";
    case "unitMul":
      return `(${printUnit(u.left)}*${printUnit(u.right)})`;
    case "unitDiv":
      return `(${printUnit(u.left)}/${printUnit(u.right)})`;
    case "unitPow":
      return `${printUnit(u.base)}^${u.exponent}`;
  }
}

export function printWindow(w: Window): string {
  switch (w.kind) {
    case "last":
      return `last ${w.count.text}`;
    case "all":
      return "all";
    case "duration":
      return `${w.amount.text} [${printUnit(w.unit)}]`;
  }
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "number":
      return e.unit ? `${e.text} [${printUnit(e.unit)}]` : e.text;
    case "string":
      return JSON.stringify(e.value);
    case "bool":
      return String(e.value);
    case "null":
      return "null";
    case "now":
      return "now";
    case "name":
      return e.name;
    case "unary":
      return e.op === "not" ? `(not ${printExpr(e.arg)})` : `(-${printExpr(e.arg)})`;
    case "binary":
      return `(${printExpr(e.left)} ${e.op} ${printExpr(e.right)})`;
    case "as":
      return `(${printExpr(e.arg)} as [${printUnit(e.unit)}])`;
    case "if":
      return `(if ${printExpr(e.cond)} then ${printExpr(e.then)} else ${printExpr(e.else)})`;
    case "isNull":
      return `(${printExpr(e.arg)} is ${e.negated ? "not " : ""}null)`;
    case "call": {
      let s = `${e.callee.name}(${e.args.map(printExpr).join(", ")})`;
      if (e.where) s += ` where ${printExpr(e.where)}`;
      if (e.over) s += ` over ${printWindow(e.over)}`;
      return `{${s}}`;
    }
    case "paren":
      return `[${printExpr(e.expr)}]`;
    case "error":
      return "<error>";
  }
}

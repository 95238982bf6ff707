// What an IR expression reads: the aggregates it uses and the stored columns it needs.
import type { IrExpr, IrSource } from "../ir.js";

export function childrenOf(e: IrExpr): IrExpr[] {
  switch (e.kind) {
    case "literal":
    case "column":
    case "rawColumn":
    case "now":
    case "aggregate":
      return [];
    case "neg":
    case "not":
    case "isNull":
      return [e.arg];
    case "arith":
    case "compare":
    case "logic":
      return [e.left, e.right];
    case "if":
      return [e.cond, e.then, e.else];
    case "switch":
      return [e.subject, ...e.cases.map((c) => c.result), e.otherwise];
    case "call":
      return e.args;
  }
}

/** The indexes of the view aggregates an expression uses, ascending. */
export function aggregatesUsed(exprs: IrExpr[]): number[] {
  const found = new Set<number>();
  const visit = (e: IrExpr) => {
    if (e.kind === "aggregate") found.add(e.index);
    childrenOf(e).forEach(visit);
  };
  exprs.forEach(visit);
  return [...found].sort((a, b) => a - b);
}

/** The stored columns an expression reads outside aggregates, normalized columns expanded to their inputs. */
export function storedColumnsUsed(exprs: IrExpr[], source: IrSource): string[] {
  const found = new Set<string>();
  const visit = (e: IrExpr) => {
    if (e.kind === "rawColumn") found.add(e.name);
    if (e.kind === "column") {
      const column = source.columns.find((c) => c.name === e.name);
      if (column?.normalized) visit(column.normalized);
      else found.add(e.name);
    }
    childrenOf(e).forEach(visit);
  };
  exprs.forEach(visit);
  return source.columns.map((c) => c.name).filter((n) => found.has(n));
}

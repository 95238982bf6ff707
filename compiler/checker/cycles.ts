// Which features of a view use which, and the cycles among them (E0208, with the path).
import type { Expr, FeatureDecl, Loc } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";

export interface FeatureUse {
  feature: string;
  loc: Loc;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "unary":
    case "isNull":
      return [e.arg];
    case "as":
      return [e.arg];
    case "binary":
      return [e.left, e.right];
    case "if":
      return [e.cond, e.then, e.else];
    case "call":
      return [...e.args, ...(e.where ? [e.where] : [])];
    case "paren":
      return [e.expr];
    default:
      return [];
  }
}

/**
 * The features a definition uses. Inside feature `self`, the name `self` means the column when the
 * source has one (`vth: float? [V] = vth`); every other feature name means the feature.
 */
export function featureUses(expr: Expr, self: string, columns: { has(name: string): boolean }, features: ReadonlySet<string>): FeatureUse[] {
  const uses: FeatureUse[] = [];
  const walk = (e: Expr) => {
    if (e.kind === "name" && features.has(e.name) && !(e.name === self && columns.has(e.name))) {
      uses.push({ feature: e.name, loc: e.loc });
    }
    children(e).forEach(walk);
  };
  walk(expr);
  return uses;
}

/**
 * Reports each cycle once, at the first-declared feature on it, with its path (`a → b → a`) and
 * where each step happens. Returns every feature on a cycle.
 */
export function reportCycles(features: FeatureDecl[], uses: Map<string, FeatureUse[]>, sink: DiagnosticSink): Set<string> {
  const order = features.map((f) => f.name.name);
  const components = stronglyConnected(order, (n) => (uses.get(n) ?? []).map((u) => u.feature));
  const onCycle = new Set<string>();
  for (const component of components) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (uses.get(component[0]) ?? []).some((u) => u.feature === component[0]);
    if (component.length === 1 && !selfLoop) continue;
    component.forEach((m) => onCycle.add(m));
    const start = order.find((n) => members.has(n))!;
    const path = shortestCycle(start, members, uses);
    const decl = features.find((f) => f.name.name === start)!;
    const names = path.map((step) => step.from).concat(start);
    const message =
      path.length === 1 ? `feature \`${start}\` uses itself` : `features form a cycle: ${names.join(" → ")}`;
    sink.error("E0208", decl.name.loc, message, {
      fix: "compute one of these features from columns instead of from the others",
      related: path.map((step) => ({ message: `\`${step.from}\` uses \`${step.to}\` here`, loc: step.loc })),
    });
  }
  return onCycle;
}

function shortestCycle(start: string, members: Set<string>, uses: Map<string, FeatureUse[]>): { from: string; to: string; loc: Loc }[] {
  // Breadth-first from start's successors back to start, inside the component.
  const previous = new Map<string, { from: string; loc: Loc }>();
  const queue: string[] = [start];
  const seen = new Set<string>();
  while (queue.length) {
    const node = queue.shift()!;
    for (const use of uses.get(node) ?? []) {
      if (!members.has(use.feature)) continue;
      if (use.feature === start) {
        const steps = [{ from: node, to: start, loc: use.loc }];
        let at = node;
        while (at !== start) {
          const p = previous.get(at)!;
          steps.unshift({ from: p.from, to: at, loc: p.loc });
          at = p.from;
        }
        return steps;
      }
      if (seen.has(use.feature)) continue;
      seen.add(use.feature);
      previous.set(use.feature, { from: node, loc: use.loc });
      queue.push(use.feature);
    }
  }
  throw new Error(`no cycle through ${start}`);
}

/** Tarjan's algorithm; components in the order their first node is reached. */
function stronglyConnected(nodes: string[], next: (n: string) => string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const known = new Set(nodes);
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!known.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return components;
}

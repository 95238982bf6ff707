// The features of one view: duplicates, cycles, each definition checked against its declared type
// (units converted into the declared unit, ints widened to floats, nullability), and references
// to other features inlined so that every IrFeature.expr is self-contained.
import type { FeatFile, FeatureDecl, ViewDecl } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import type { IrAggregate, IrFeature } from "../ir.js";
import {
  conversion,
  describeUnit,
  formatUnit,
  isDimensionless,
  isPlain,
  sameUnit,
  suggestedUnit,
  type Unit,
} from "../units.js";
import { AggregateTable } from "./aggregates.js";
import { asFloat, convertTo } from "./convert.js";
import { featureUses, reportCycles, type FeatureUse } from "./cycles.js";
import { checkExpr, type ExprContext } from "./expressions.js";
import { withType } from "./ir-build.js";
import type { SourceInfo } from "./scope.js";
import { sourceText } from "./source-text.js";
import { formatType, resolveTypeRef } from "./types.js";
import { cloneIr, describeValue, irType, isError, quantityText, type Value } from "./values.js";

interface CheckedFeature {
  value: Value;
  ir: IrFeature;
}

export interface CheckedFeatures {
  aggregates: IrAggregate[];
  features: IrFeature[];
}

export function checkFeatures(view: ViewDecl, source: SourceInfo, file: FeatFile, sink: DiagnosticSink): CheckedFeatures {
  const decls = new Map<string, FeatureDecl>();
  for (const f of view.features) {
    const name = f.name?.name;
    if (!name) continue;
    const first = decls.get(name);
    if (first) {
      sink.error("E0209", f.name.loc, `feature \`${name}\` is defined twice in \`${view.name.name}\``, {
        fix: "remove or rename one of them",
        related: [{ message: "first defined here", loc: first.name.loc }],
      });
      continue;
    }
    decls.set(name, f);
  }
  const featureNames = new Set(decls.keys());
  const uses = new Map<string, FeatureUse[]>();
  for (const [name, f] of decls) uses.set(name, featureUses(f.expr, name, source.columns, featureNames));
  const onCycle = reportCycles([...decls.values()], uses, sink);

  const aggregates = new AggregateTable();
  const results = new Map<string, CheckedFeature | "error" | "checking">();

  const ensure = (name: string): CheckedFeature | "error" => {
    const known = results.get(name);
    if (known === "checking") throw new Error(`feature ${name} reached again while it is being checked (a cycle was missed)`);
    if (known) return known;
    if (onCycle.has(name)) {
      results.set(name, "error");
      return "error";
    }
    results.set(name, "checking");
    const result = checkFeature(decls.get(name)!) ?? "error";
    results.set(name, result);
    return result;
  };

  const featureValue = (name: string): Value | "error" => {
    const checked = ensure(name);
    if (checked === "error") return "error";
    return { ...checked.value, ir: cloneIr(checked.value.ir) };
  };

  const checkFeature = (decl: FeatureDecl): CheckedFeature | undefined => {
    const ctx: ExprContext = {
      sink,
      source,
      viewName: view.name.name,
      featureName: decl.name.name,
      featureNames,
      featureValue,
      aggregates,
      uses: { columns: [], features: [] },
      fileText: file.text,
    };
    const value = checkExpr(decl.expr, ctx);
    const definition = sourceText(file.text, decl.expr.loc);
    const final = applyDeclaredType(decl, value, definition, sink);
    if (!final) return undefined;
    const type = irType(final.base, final.nullable, final.unit);
    const expr = withType(final.ir, type);
    return {
      value: { ...final, ir: expr, nullBecause: final.nullable ? `feature \`${decl.name.name}\` is nullable` : undefined },
      ir: {
        name: decl.name.name,
        type,
        expr,
        dependsOn: ctx.uses,
        definition,
        loc: decl.loc,
      },
    };
  };

  const features: IrFeature[] = [];
  for (const name of decls.keys()) {
    const checked = ensure(name);
    if (checked !== "error") features.push(checked.ir);
  }
  return { aggregates: aggregates.list, features };
}

/**
 * Checks a definition's value against the declared type (or infers one), and converts it into the
 * declared unit. Reports and returns undefined on a mismatch.
 */
function applyDeclaredType(decl: FeatureDecl, v: Value, exprText: string, sink: DiagnosticSink): Value | undefined {
  if (isError(v)) return undefined;
  const name = decl.name.name;
  if (!decl.type) {
    if (v.base === "null") {
      sink.error("E0304", decl.expr.loc, `the type of \`${name}\` cannot be inferred from \`null\``, { fix: `declare its type, e.g. \`${name}: float? = null\`` });
      return undefined;
    }
    if (!isDimensionless(v.unit)) {
      sink.error("E0306", decl.name.loc, `\`${name}\` is ${describeValue(v)} (${formatUnit(v.unit)}) but declares no unit`, {
        fix: `declare \`${name}: ${formatType(v.base as "float", v.nullable, suggestedUnit(v.unit))}\``,
      });
      return undefined;
    }
    return v;
  }

  const declared = resolveTypeRef(decl.type, sink);
  if (declared.base === "error" || declared.unit === undefined) return undefined;
  const declaredUnit: Unit = declared.unit;
  let value = v;
  const numericDeclared = declared.base === "int" || declared.base === "float";
  const numericValue = v.base === "int" || v.base === "float";
  const suggestion = (base: string, unit: Unit | string) => `declare \`${name}: ${formatType(base as "float", declared.nullable || v.nullable, unit)}\``;

  if (v.base === "null") {
    value = { ...v, base: declared.base, unit: declaredUnit, ir: { kind: "literal", type: irType(declared.base, true, declaredUnit), value: null } };
  } else if (numericDeclared && numericValue) {
    if (declared.hasUnit) {
      const conv = conversion(v.unit, declaredUnit);
      if (!conv.ok) {
        const unitLoc = decl.type.unit!.loc;
        const declaredText = formatUnit(declaredUnit) || "1";
        if (v.plainLiteral !== undefined && isPlain(v.unit)) {
          sink.error("E0301", v.loc, `\`${name}\` is declared in ${declaredText} but its value is a plain number`, {
            fix: `write \`${quantityText(v.plainLiteral, declaredText)}\``,
          });
        } else if (isDimensionless(v.unit)) {
          sink.error("E0307", unitLoc, `\`${name}\` is dimensionless but is declared in ${declaredText} (${describeUnit(declaredUnit)})`, {
            fix: `remove \`[${declaredText}]\`, or multiply by a quantity that has the unit`,
          });
        } else if (conv.reason === "dimension") {
          sink.error("E0302", unitLoc, `\`${name}\` is declared in ${declaredText} (${describeUnit(declaredUnit)}) but its value is ${describeValue(v)} (${formatUnit(v.unit)})`, {
            fix: `declare \`[${suggestedUnit(v.unit)}]\``,
          });
        } else {
          sink.error("E0305", unitLoc, `\`${name}\` is declared in ${declaredText} (${describeUnit(declaredUnit)}) but its value is ${describeUnit(v.unit)} (${formatUnit(v.unit)})`, {
            fix: `declare \`[${suggestedUnit(v.unit)}]\``,
          });
        }
        return undefined;
      }
      if (!sameUnit(v.unit, declaredUnit)) value = convertTo(v, declaredUnit);
    } else if (!isDimensionless(v.unit) || !isPlain(v.unit)) {
      sink.error("E0306", decl.name.loc, `\`${name}\` is ${describeValue(v)} (${formatUnit(v.unit)}) but declares no unit`, {
        fix: suggestion(declared.base, suggestedUnit(v.unit)),
      });
      return undefined;
    }
    if (declared.base === "float") value = asFloat(value);
    else if (value.base === "float") {
      const why = v.base === "int" ? ` once converted from ${formatUnit(v.unit)} to ${formatUnit(declaredUnit)}` : "";
      sink.error("E0304", decl.type.base.loc, `\`${name}\` is declared int but its value is a float${why}`, {
        fix: suggestion("float", declaredUnit),
      });
      return undefined;
    }
  } else if (declared.base !== v.base) {
    sink.error("E0304", decl.type.base.loc, `\`${name}\` is declared ${declared.base} but its value is ${describeValue(v)}`, {
      fix: numericValue ? suggestion(v.base, suggestedUnit(v.unit)) : suggestion(v.base, ""),
    });
    return undefined;
  }

  if (!declared.nullable && value.nullable) {
    const typeText = formatType(declared.base, false, declaredUnit);
    const defaultValue = defaultFor(declared.base, declaredUnit);
    sink.error("E0309", decl.type.loc, `\`${name}\` is declared \`${typeText}\` but can be null: ${v.nullBecause ?? "an input can be null"}`, {
      fix: `declare \`${name}: ${formatType(declared.base, true, declaredUnit)}\`, or give a default: \`coalesce(${exprText}, ${defaultValue})\``,
    });
    return undefined;
  }
  return { ...value, nullable: declared.nullable || value.nullable };
}

function defaultFor(base: string, unit: Unit): string {
  switch (base) {
    case "string":
      return '""';
    case "bool":
      return "false";
    case "int":
    case "float": {
      const u = formatUnit(unit);
      return u ? quantityText("0", u) : "0";
    }
    default:
      return "...";
  }
}

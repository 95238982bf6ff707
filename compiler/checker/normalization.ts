// Fab unit normalization: `temp: float by fab { "AZ" => degC "OR" => degF "KR" => K offset -0.4 }`
// becomes a `switch` on the raw discriminator whose arms bring each case's `raw * scale + offset`
// into the first case's unit, with the constants folded (OR: raw * 5/9 - 160/9; KR: raw - 273.55).
import type { Loc, NumberLit } from "../../grammar/ast.js";
import type { DiagnosticSink } from "../diagnostics.js";
import { suggest } from "../ir-lookup.js";
import type { IrExpr, IrType } from "../ir.js";
import * as R from "../rational.js";
import { conversion, describeUnit, formatUnit, resolveUnitExpr, type Unit } from "../units.js";
import { affine, toFloat, withType } from "./ir-build.js";
import type { ColumnInfo } from "./scope.js";

interface Arm {
  unit: Unit;
  scale?: NumberLit;
  offset?: NumberLit;
  label: string;
  loc: Loc;
}

/** Checks the normalization of `column` and fills in its visible type and `normalized` IR. */
export function checkNormalization(column: ColumnInfo, columns: Map<string, ColumnInfo>, sink: DiagnosticSink): void {
  const decl = column.decl;
  const spec = decl.normalization!;
  const fail = () => {
    column.base = "error";
  };
  if (decl.type.unit) {
    sink.error("E0313", decl.type.unit.loc, `normalized column \`${decl.name.name}\` takes its unit from its cases`, {
      fix: "remove the unit after the type",
    });
    return fail();
  }
  if (column.base !== "int" && column.base !== "float") {
    sink.error("E0313", decl.type.loc, `only a numeric column can be normalized, and \`${decl.name.name}\` is ${column.base}`, {
      fix: `declare \`${decl.name.name}: float by ${spec.by.name} { ... }\``,
    });
    return fail();
  }
  const by = columns.get(spec.by.name);
  if (!by) {
    sink.error("E0313", spec.by.loc, `\`${spec.by.name}\` is not a column of this source${suggest(spec.by.name, [...columns.keys()])}`, {
      fix: `declare the discriminator column, e.g. \`${spec.by.name}: string\``,
    });
    return fail();
  }
  if (by.base !== "string") {
    if (by.base !== "error") {
      sink.error("E0313", spec.by.loc, `the discriminator \`${spec.by.name}\` must be a string column, not ${by.base}`, {
        related: [{ message: "declared here", loc: by.decl.loc }],
      });
    }
    return fail();
  }
  if (spec.cases.length === 0) {
    sink.error("E0313", spec.loc, `normalized column \`${decl.name.name}\` has no cases`, { fix: 'add a case such as `"AZ" => degC`' });
    return fail();
  }

  const arms: (Arm & { value: string })[] = [];
  const seen = new Map<string, Loc>();
  let ok = true;
  for (const c of spec.cases) {
    const first = seen.get(c.value.value);
    if (first) {
      sink.error("E0313", c.value.loc, `case "${c.value.value}" is listed twice`, { related: [{ message: "first listed here", loc: first }] });
      ok = false;
      continue;
    }
    seen.set(c.value.value, c.value.loc);
    const unit = resolveUnitExpr(c.unit, sink);
    if (!unit) {
      ok = false;
      continue;
    }
    arms.push({ unit, scale: c.scale, offset: c.offset, label: `case "${c.value.value}"`, loc: c.unit.loc, value: c.value.value });
  }
  let otherwise: Arm | undefined;
  if (spec.otherwise?.unit) {
    const unit = resolveUnitExpr(spec.otherwise.unit, sink);
    if (unit) otherwise = { unit, scale: spec.otherwise.scale, offset: spec.otherwise.offset, label: "the `else` case", loc: spec.otherwise.unit.loc };
    else ok = false;
  }
  if (!ok || arms.length === 0) return fail();

  const target = arms[0];
  for (const arm of [...arms.slice(1), ...(otherwise ? [otherwise] : [])]) {
    const conv = conversion(arm.unit, target.unit);
    if (!conv.ok) {
      const why =
        conv.reason === "dimension"
          ? `${arm.label} is ${describeUnit(arm.unit)} (${formatUnit(arm.unit)}) but ${target.label} is ${describeUnit(target.unit)} (${formatUnit(target.unit)})`
          : `${arm.label} is ${describeUnit(arm.unit)} (${formatUnit(arm.unit)}) and cannot be converted to ${describeUnit(target.unit)} (${formatUnit(target.unit)})`;
      sink.error("E0312", arm.loc, `every case of \`${decl.name.name}\` must measure the same quantity: ${why}`, {
        fix: `use a unit of the same dimension as \`${formatUnit(target.unit)}\``,
        related: [{ message: "the first case sets the column's unit", loc: target.loc }],
      });
      ok = false;
    }
  }
  if (!ok) return fail();

  const unitText = formatUnit(target.unit);
  const raw: IrExpr = { kind: "rawColumn", type: { base: column.base, nullable: column.nullable }, name: decl.name.name };
  const armIr = (arm: Arm): IrExpr => {
    const conv = conversion(arm.unit, target.unit);
    if (!conv.ok) throw new Error("normalization arms were checked to convert");
    const scale = arm.scale ? R.fromDecimal(arm.scale.text) : R.ONE;
    const offset = arm.offset ? R.fromDecimal(arm.offset.text) : R.ZERO;
    // (raw * scale + offset) in the arm's unit, then * a + b into the target unit.
    return affine(raw, R.mul(scale, conv.a), R.add(R.mul(offset, conv.a), conv.b), unitText);
  };
  const caseIrs = arms.map((arm) => ({ value: arm.value, result: armIr(arm) }));
  const otherwiseIr = otherwise ? armIr(otherwise) : undefined;
  const allResults = [...caseIrs.map((c) => c.result), ...(otherwiseIr ? [otherwiseIr] : [])];
  const base = allResults.every((e) => e.type.base === "int") ? "int" : "float";
  const nullable = column.nullable || by.nullable;
  const type: IrType = { base, nullable, unit: unitText || undefined };
  if (!type.unit) delete type.unit;
  const unify = (e: IrExpr) => withType(base === "float" ? toFloat(e) : e, { ...type, nullable: e.type.nullable });
  column.base = base;
  column.unit = target.unit;
  column.nullable = nullable;
  column.ir.type = type;
  column.ir.storedType = { base: column.ir.storedType.base, nullable: column.ir.storedType.nullable };
  column.ir.normalizedBy = spec.by.name;
  column.ir.normalized = {
    kind: "switch",
    type,
    subject: { kind: "rawColumn", type: { base: "string", nullable: by.nullable }, name: spec.by.name },
    cases: caseIrs.map((c) => ({ value: c.value, result: unify(c.result) })),
    otherwise: otherwiseIr ? unify(otherwiseIr) : { kind: "literal", type: { ...type, nullable: true }, value: null },
  };
}

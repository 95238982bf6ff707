// The LANGUAGE.md example, verbatim, compiles to the IR pinned by the snapshot; the parts that carry
// meaning (unit conversions, normalization, aggregates, inlining) are also asserted one by one.
import { describe, expect, it } from "vitest";
import { compileSources } from "../../compiler/frontend.js";
import { featureOf, languageExample, showAggregate, showExpr, showView, viewOf } from "./helpers.js";

describe("the LANGUAGE.md example", () => {
  const result = compileSources([{ path: "example.feat", text: languageExample() }]);
  const ir = result.ir!;

  it("checks without diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(ir).toBeDefined();
  });

  it("compiles to the IR of the snapshot", async () => {
    await expect(JSON.stringify(ir, null, 1) + "\n").toMatchFileSnapshot("__snapshots__/language-example.ir.json");
  });

  it("round-trips through JSON unchanged", () => {
    expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
  });

  it("emits power in W: vdd [V] * idd [mA] * 0.001", () => {
    const power = featureOf(ir, "power", "device_parametric");
    expect(power.type).toEqual({ base: "float", nullable: false, unit: "W" });
    expect(showExpr(power.expr)).toBe("((vdd * idd) * 0.001)");
    expect(power.dependsOn).toEqual({ columns: ["vdd", "idd"], features: [] });
    expect(power.definition).toBe("vdd * idd");
  });

  it("inlines power into freq_per_watt", () => {
    const f = featureOf(ir, "freq_per_watt", "device_parametric");
    expect(f.type).toEqual({ base: "float", nullable: false, unit: "MHz/W" });
    expect(showExpr(f.expr)).toBe("(freq / ((vdd * idd) * 0.001))");
    expect(f.dependsOn).toEqual({ columns: ["freq"], features: ["power"] });
  });

  it("keeps normalized values dimensionless, and ints as ints", () => {
    expect(showExpr(featureOf(ir, "vdd_normalized", "device_parametric").expr)).toBe("((vdd - 1.2 V) / 0.08 V)");
    expect(featureOf(ir, "vdd_normalized", "device_parametric").type).toEqual({ base: "float", nullable: false });
    expect(showExpr(featureOf(ir, "distance_from_center", "device_parametric").expr)).toBe(
      "sqrt((((die_x - 15) ^ 2) + ((die_y - 15) ^ 2)))",
    );
  });

  it("normalizes temp into degC, the first case's unit", () => {
    const temp = ir.sources[0].columns.find((c) => c.name === "temp")!;
    expect(temp.type).toEqual({ base: "float", nullable: false, unit: "degC" });
    expect(temp.storedType).toEqual({ base: "float", nullable: false });
    expect(temp.normalizedBy).toBe("fab");
    // OR: degF → degC is raw * 5/9 - 160/9; KR: K with offset -0.4 is raw - 0.4 - 273.15.
    expect(showExpr(temp.normalized!)).toBe(
      `switch raw(fab) { "AZ" => raw(temp); "OR" => ((raw(temp) * ${5 / 9}) - ${160 / 9} degC); "KR" => (raw(temp) - 273.55 degC); else => null degC }`,
    );
  });

  it("gives the event-time column, declared by `timestamp`, the type timestamp", () => {
    const source = ir.sources[0];
    expect(source.table).toBe("parametric_tests");
    expect(source.timestamp).toBe("event_timestamp");
    expect(source.order).toEqual(["created_timestamp", "device_id"]);
    expect(source.columns.find((c) => c.name === "event_timestamp")!.type).toEqual({ base: "timestamp", nullable: false });
  });

  it("keeps vth nullable as declared", () => {
    expect(featureOf(ir, "vth", "device_parametric").type).toEqual({ base: "float", nullable: true, unit: "V" });
  });

  it("hoists and types the rolling aggregates", () => {
    const view = viewOf(ir, "wafer_rolling");
    expect(view.keys).toEqual(["wafer_id"]);
    expect(view.ttlMs).toBe(30 * 24 * 3600 * 1000);
    expect(view.aggregates.map(showAggregate)).toEqual([
      "mean(vdd) over last 50: float [V]",
      "std(vdd) over last 50: float [V]",
      "mean((vdd * idd)) over last 50: float [V*mA]",
      "percentile(test_time, 0.95) over 604800000 ms: float [ms]",
      "count() over 86400000 ms: int",
      "mean((temp > 100.0 degC)) over 86400000 ms: float",
    ]);
    expect(showView(view)).toContain("power_mean_50: float [W] = (#2 * 0.001)");
    expect(showView(view)).toContain("tests_24h: int = #4");
  });

  it("expands wafer_rolling.* in the service", () => {
    expect(ir.services[0].features.map((f) => `${f.view}.${f.feature}`)).toEqual([
      "device_parametric.power",
      "device_parametric.temp_c",
      "wafer_rolling.vdd_mean_50",
      "wafer_rolling.vdd_std_50",
      "wafer_rolling.power_mean_50",
      "wafer_rolling.test_time_p95_7d",
      "wafer_rolling.tests_24h",
      "wafer_rolling.hot_share_24h",
    ]);
  });
});

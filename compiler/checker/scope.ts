// What the checker knows about a project's declarations while it checks them.
import type { ColumnDecl, Decl, EntityDecl, FeatFile, SourceDecl, ViewDecl } from "../../grammar/ast.js";
import type { IrColumn, IrEntity, IrSource, IrView, ScalarType } from "../ir.js";
import type { Unit } from "../units.js";

export interface ColumnInfo {
  decl: ColumnDecl;
  /** The type features see (after normalization); "error" when its declaration is invalid. */
  base: ScalarType | "error";
  nullable: boolean;
  unit: Unit;
  ir: IrColumn;
}

export interface EntityInfo {
  decl: EntityDecl;
  ir: IrEntity;
}

export interface SourceInfo {
  decl: SourceDecl;
  /** Every column, first declaration of a name only. */
  columns: Map<string, ColumnInfo>;
  ir: IrSource;
}

export interface ViewInfo {
  decl: ViewDecl;
  /** Undefined when the view's source is unknown (then its features cannot be checked). */
  ir?: IrView;
}

export interface ProjectScope {
  /** Every declaration by name (the first one of a duplicate). */
  declarations: Map<string, Decl>;
  entities: Map<string, EntityInfo>;
  sources: Map<string, SourceInfo>;
  views: Map<string, ViewInfo>;
  /** File texts by path, for definitions and fixes quoting source text. */
  files: Map<string, FeatFile>;
}

export function declKindName(decl: Decl): string {
  switch (decl.kind) {
    case "entity":
      return "an entity";
    case "source":
      return "a source";
    case "view":
      return "a feature view";
    case "service":
      return "a service";
  }
}

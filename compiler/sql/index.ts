// The SQL backend: the point-in-time query, the DDL of source tables, and the files `featc compile` writes.
export { buildBackfillQuery, buildBackfillSql, BackfillQueryError, type BackfillQueryOptions } from "./point-in-time.js";
export { compileSqlFiles, dialectByName, DIALECTS, sqlFiles } from "./sql-files.js";
export { createTableSql, createIndexSql, indexKeySets, sourceDdl, sourceIndex } from "./ddl.js";
export { DIALECT_NAMES, type Dialect, type DialectName } from "./dialect.js";

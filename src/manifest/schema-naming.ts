// How nodes map to warehouse schemas, shared by the compiler, the runner and governance:
// dbt's generate_schema_name rule and the key a relation is looked up by.

/** dbt's default generate_schema_name: the target schema, or `<target>_<custom>`. */
export function defaultSchemaName(targetSchema: string, customSchema: string | null): string {
  const custom = customSchema?.trim();
  return custom ? `${targetSchema}_${custom}` : targetSchema;
}

/** Key of a relation in CompileContext.existingRelations. */
export function relationKey(schema: string, identifier: string): string {
  return `${schema}.${identifier}`;
}

// `access`: who can read what in the live warehouse, and where a role without `pii: true`
// reads unmasked PII. Compiles (for the classified columns), then reads the catalog's grants;
// writes nothing to the warehouse.

import type { TargetSpec } from '../config/target.js';
import type { AccessMatrix } from '../governance/index.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileStage } from './compile-stage.js';
import { readAccessMatrix } from './read-access-matrix.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export interface AccessReportOptions {
  vars?: Record<string, unknown>;
}

export interface AccessReport {
  readonly target: Pick<TargetSpec, 'name' | 'type' | 'schema'>;
  readonly matrix: AccessMatrix;
}

export async function accessReport(globals: GlobalOptions, options: AccessReportOptions = {}): Promise<AccessReport> {
  const { compiled, project, targetSpec } = await compileStage(globals, { vars: options.vars });
  const runtime = await openRuntime(globals);
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 2);
  try {
    const matrix = await readAccessMatrix(warehouse, project, compiled.manifest);
    return { target: { name: targetSpec.name, type: targetSpec.type, schema: targetSpec.schema }, matrix };
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}

/**
 * `pgshift access --output json`, version 1. Keys only ever get added; a change of meaning
 * bumps `pgshift_access_version`. Roles are keyed by the names pgshift.yml declares.
 */
export function accessReportJson(report: AccessReport): object {
  const { matrix } = report;
  const columns = (list: readonly { name: string; pii: string }[]) => list.map((column) => ({ name: column.name, pii: column.pii }));
  return {
    pgshift_access_version: 1,
    target: report.target,
    roles: matrix.roles.map((role) => ({ name: role.declaredAs, warehouse_role: role.name, pii: role.allowsPii, exists: role.exists })),
    relations: matrix.relations.map((relation) => ({
      relation: `${relation.schema}.${relation.name}`,
      schema: relation.schema,
      name: relation.name,
      kind: relation.kind,
      built: relation.built,
      node: relation.node,
      pii_columns: columns(relation.classifiedColumns),
      access: Object.fromEntries(
        relation.cells.map((cell) => [cell.role, { read: cell.read, via: cell.via, declared: cell.declared, pii_columns: columns(cell.piiColumns) }]),
      ),
    })),
    leaks: matrix.leaks.map((leak) => ({
      role: leak.role,
      warehouse_role: leak.warehouseRole,
      relation: `${leak.schema}.${leak.relation}`,
      schema: leak.schema,
      name: leak.relation,
      node: leak.node,
      column: leak.column,
      pii: leak.pii,
      declared: leak.declared,
      fix: leak.fix,
    })),
  };
}

// `access`: who can read what in the live warehouse, and where a role without `pii: true`
// reads unmasked PII. Compiles (for the classified columns), then reads the catalog's grants;
// writes nothing to the warehouse.

import type { TargetSpec } from '../config/target.js';
import { type AccessMatrix, readHolds } from '../governance/index.js';
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
  /** Relations a failing governance test holds (src/governance/governance-holds.ts). */
  readonly holds: readonly HeldAccess[];
}

export interface HeldAccess {
  readonly schema: string;
  readonly relation: string;
  /** unique_ids of the failing governance tests. */
  readonly tests: readonly string[];
  /** Declared roles without `pii: true` that can still read it: each one is a leak. */
  readonly readableBy: readonly string[];
}

/** Whether the report found anything that lets a role without `pii: true` read what it must not. */
export function hasLeaks(report: AccessReport): boolean {
  return report.matrix.leaks.length > 0 || report.holds.some((hold) => hold.readableBy.length > 0);
}

export async function accessReport(globals: GlobalOptions, options: AccessReportOptions = {}): Promise<AccessReport> {
  const { compiled, project, targetSpec } = await compileStage(globals, { vars: options.vars });
  const runtime = await openRuntime(globals);
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 2);
  try {
    const matrix = await readAccessMatrix(warehouse, project, compiled.manifest);
    const holds = heldAccess(matrix, await readHolds(warehouse));
    return { target: { name: targetSpec.name, type: targetSpec.type, schema: targetSpec.schema }, matrix, holds };
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}

function heldAccess(matrix: AccessMatrix, holds: Awaited<ReturnType<typeof readHolds>>): HeldAccess[] {
  const byRelation = new Map<string, HeldAccess & { tests: string[] }>();
  for (const hold of holds) {
    const key = JSON.stringify([hold.schema, hold.relation]);
    const entry = byRelation.get(key) ?? { schema: hold.schema, relation: hold.relation, tests: [], readableBy: [] };
    entry.tests.push(hold.testId);
    byRelation.set(key, entry);
  }
  return [...byRelation.values()].map((entry) => {
    const relation = matrix.relations.find((candidate) => candidate.schema === entry.schema && candidate.name === entry.relation);
    const readableBy = (relation?.cells ?? []).flatMap((cell, index) =>
      cell.read && !matrix.roles[index]!.allowsPii ? [matrix.roles[index]!.declaredAs] : [],
    );
    return { ...entry, readableBy };
  });
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
    holds: report.holds.map((hold) => ({
      relation: `${hold.schema}.${hold.relation}`,
      tests: hold.tests,
      readable_by: hold.readableBy,
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

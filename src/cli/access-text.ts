// `pgshift access` for people: the matrix (relations as rows, roles as columns), the unmasked
// PII under each row that has some, then one line per leak saying what to do.

import type { AccessReport } from '../api/access-report.js';

export function accessText(report: AccessReport): string {
  const { matrix, target } = report;
  const lines: string[] = [];
  const schemas = new Set(matrix.relations.map((relation) => relation.schema));
  lines.push(
    `access on target ${target.name} (${target.type}): ${matrix.roles.length} role(s), ${matrix.relations.length} relation(s) in ${schemas.size} schema(s)`,
  );
  if (matrix.roles.length === 0) {
    lines.push('pgshift.yml declares no roles under governance.roles, so there is nothing to audit');
    return `${lines.join('\n')}\n`;
  }
  const header = ['relation', 'kind', ...matrix.roles.map((role) => role.declaredAs)];
  const piiRow = ['(may read PII)', '', ...matrix.roles.map((role) => (role.exists ? (role.allowsPii ? 'yes' : 'no') : 'no role yet'))];
  const rows: { cells: string[]; pii: string | null }[] = matrix.relations.map((relation) => ({
    cells: [
      `${relation.schema}.${relation.name}`,
      relation.built ? relation.kind! : 'not built',
      ...relation.cells.map((cell, index) => {
        if (!cell.read) return '-';
        if (cell.piiColumns.length === 0) return 'read';
        return matrix.roles[index]!.allowsPii ? 'read+pii' : 'LEAK';
      }),
    ],
    pii:
      relation.classifiedColumns.length === 0
        ? null
        : `  unmasked PII: ${relation.classifiedColumns.map((column) => `${column.name} (${column.pii})`).join(', ')}`,
  }));
  const widths = header.map((_, index) => Math.max(...[header, piiRow, ...rows.map((row) => row.cells)].map((cells) => cells[index]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]!))
      .join('  ')
      .trimEnd();
  lines.push('', line(header), line(piiRow));
  for (const row of rows) {
    lines.push(line(row.cells));
    if (row.pii !== null) lines.push(row.pii);
  }
  lines.push(
    '',
    'read: USAGE on the schema and SELECT on the relation (or ownership); read+pii: with the unmasked PII listed under the row; LEAK: read+pii by a role without pii: true; -: cannot read',
  );
  const undeclared = matrix.relations.flatMap((relation) =>
    relation.cells.filter((cell) => cell.read && !cell.declared).map((cell) => `${cell.role} on ${relation.schema}.${relation.name}`),
  );
  if (undeclared.length > 0) lines.push(`granted outside pgshift.yml (the next run revokes them): ${undeclared.join(', ')}`);
  for (const hold of report.holds) {
    const tests = hold.tests.map((test) => test.split('.').pop()).join(', ');
    lines.push(
      hold.readableBy.length === 0
        ? `held: ${hold.schema}.${hold.relation} (${tests} failed): only roles with pii: true can read it until the test passes`
        : `LEAK held ${hold.schema}.${hold.relation} (${tests} failed) is still readable by ${hold.readableBy.join(', ')}: run pgshift to reconcile grants, or fix the model and run it`,
    );
  }
  if (matrix.leaks.length === 0) {
    lines.push('no leaks: only roles with pii: true can read unmasked PII');
  } else {
    lines.push('', `${matrix.leaks.length} leak(s):`);
    for (const leak of matrix.leaks) {
      lines.push(`LEAK role ${leak.role} (${leak.warehouseRole}) can read ${leak.schema}.${leak.relation}.${leak.column} (${leak.pii}) unmasked: ${leak.fix}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

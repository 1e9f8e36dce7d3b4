// The report's Access section: the same role × relation matrix as `pgshift access`, read from
// the warehouse's grants when the report was written. Its input is the shape the governance
// matrix has, declared here so the report depends on no other adapter.

import { html, type SafeHtml } from './safe-html.js';

interface PiiColumn {
  readonly name: string;
  readonly pii: string;
}

export interface AccessSectionInput {
  readonly roles: readonly { readonly declaredAs: string; readonly allowsPii: boolean; readonly exists: boolean }[];
  readonly relations: readonly {
    readonly schema: string;
    readonly name: string;
    readonly built: boolean;
    readonly classifiedColumns: readonly PiiColumn[];
    /** In the order of `roles`. */
    readonly cells: readonly { readonly read: boolean; readonly piiColumns: readonly PiiColumn[] }[];
  }[];
  readonly leaks: readonly {
    readonly role: string;
    readonly schema: string;
    readonly relation: string;
    readonly column: string;
    readonly pii: string;
    readonly fix: string;
  }[];
}

export function accessSection(access: AccessSectionInput | null): SafeHtml {
  if (access === null) return html``;
  if (access.roles.length === 0) {
    return html`<section class="access card"><h2>Access</h2><p class="note">pgshift.yml declares no roles (governance.roles), so no access is audited.</p></section>`;
  }
  const { roles, relations, leaks } = access;
  const cell = (read: boolean, pii: boolean, allowsPii: boolean, built: boolean) =>
    !built ? 'not built' : !read ? '–' : !pii ? 'read' : allowsPii ? 'read + PII' : 'LEAK';
  return html`<section class="access card">
    <h2>Access</h2>
    <p class="note">Who can read each relation now (USAGE on the schema and SELECT on the relation, or ownership), from the warehouse's grants, and the columns that hold unmasked PII. ${
      leaks.length === 0
        ? 'Only roles with pii: true can read unmasked PII.'
        : `${leaks.length} ${leaks.length === 1 ? 'place where a role' : 'places where roles'} without pii: true can read unmasked PII.`
    }</p>
    <div class="table-scroll"><table>
      <thead><tr><th scope="col">Relation</th>${roles.map(
        (role) => html`<th scope="col">${role.declaredAs}${role.allowsPii ? ' (PII)' : ''}${role.exists ? '' : ' (no role yet)'}</th>`,
      )}<th scope="col">Unmasked PII</th></tr></thead>
      <tbody>${relations.map(
        (relation) =>
          html`<tr><td>${relation.schema}.${relation.name}</td>${relation.cells.map((item, index) => {
            const text = cell(item.read, item.piiColumns.length > 0, roles[index]!.allowsPii, relation.built);
            return text === 'LEAK' ? html`<td class="leak">LEAK</td>` : html`<td>${text}</td>`;
          })}<td>${relation.classifiedColumns.map((column) => `${column.name} (${column.pii})`).join(', ')}</td></tr>`,
      )}</tbody>
    </table></div>
    ${
      leaks.length === 0
        ? html``
        : html`<ul class="leaks">${leaks.map(
            (leak) =>
              html`<li><strong>${leak.role}</strong> can read <code>${leak.schema}.${leak.relation}.${leak.column}</code> (${leak.pii}) unmasked: ${leak.fix}</li>`,
          )}</ul>`
    }
  </section>`;
}

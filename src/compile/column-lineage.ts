// PII classes across the project: a source's columns carry pgshift.yml's `pii:` and schema.yml's
// meta.pii; a seed's, its schema.yml; a model's, what its SQL passes through from the relations
// it reads (select-lineage.ts), with its own schema.yml classes on top. Computed on demand, once
// per node, after every config is final (relation names no longer change).

import type { ColumnInfo } from '../manifest/manifest.js';
import { queryLineage, type ClassifiedColumns, type ColumnClass } from './select-lineage.js';
import { tokenizeSql } from './sql-tokens.js';

export interface LineageInputs {
  /** A model's rendered SQL, relations still as tokens; undefined for seeds and sources. */
  modelSql(uniqueId: string): string | undefined;
  /** The columns schema.yml (and for sources pgshift.yml) documents on a node. */
  declaredColumns(uniqueId: string): Readonly<Record<string, ColumnInfo>> | undefined;
  /** The relation's own name, what SQL uses to qualify its columns without an alias. */
  identifier(uniqueId: string): string;
  readonly sources: ReadonlyArray<{ readonly uniqueId: string; readonly schema: string; readonly identifier: string }>;
  /** The nodes a model reads through ref() and source(); undefined when not known. */
  parents(uniqueId: string): readonly string[] | undefined;
}

export class ColumnLineage {
  private readonly known = new Map<string, ClassifiedColumns>();
  private readonly inProgress = new Set<string>();
  private readonly sourceByName = new Map<string, string>();
  private anySourceClass: boolean | undefined;

  constructor(private readonly inputs: LineageInputs) {
    for (const source of inputs.sources) this.sourceByName.set(tableKey([source.schema, source.identifier]), source.uniqueId);
  }

  /** The node's classified columns, by name as the warehouse names them. */
  classesOf(uniqueId: string): ClassifiedColumns {
    const known = this.known.get(uniqueId);
    if (known) return known;
    // A node reading itself ({{ this }} in an incremental model) learns nothing from that read.
    if (this.inProgress.has(uniqueId)) return new Map();
    this.inProgress.add(uniqueId);
    try {
      const columns = new Map<string, ColumnClass>();
      const sql = this.inputs.modelSql(uniqueId);
      if (sql !== undefined && this.mayInherit(uniqueId)) {
        const scope = {
          node: (id: string) => ({ columns: this.asInput(id), identifier: this.inputs.identifier(id) }),
          table: (parts: readonly string[]) => {
            const id = parts.length >= 2 ? this.sourceByName.get(tableKey(parts.slice(-2))) : undefined;
            return id === undefined ? undefined : this.asInput(id);
          },
        };
        for (const [name, pii] of queryLineage(tokenizeSql(sql), scope)) columns.set(name, pii);
      }
      for (const column of Object.values(this.inputs.declaredColumns(uniqueId) ?? {})) {
        if (column.pii) columns.set(columnKey(column), { pii: column.pii, from: null });
      }
      this.known.set(uniqueId, columns);
      return columns;
    } finally {
      this.inProgress.delete(uniqueId);
    }
  }

  /**
   * Whether the model's SQL can pass a class through: some source has one (SQL may name a source
   * table without source()), or a node it refs has one. Otherwise tokenizing its SQL finds
   * nothing, and in a project of thousands of models that is most of the lineage's time.
   */
  private mayInherit(uniqueId: string): boolean {
    this.anySourceClass ??= this.inputs.sources.some((source) =>
      Object.values(this.inputs.declaredColumns(source.uniqueId) ?? {}).some((column) => column.pii),
    );
    if (this.anySourceClass) return true;
    const parents = this.inputs.parents(uniqueId);
    return parents === undefined || parents.some((parent) => this.classesOf(parent).size > 0);
  }

  /** The class of one column of a node, as a test names it (quoted or plain), or undefined. */
  classOf(uniqueId: string, columnName: string): ColumnClass | undefined {
    const classes = this.classesOf(uniqueId);
    const unquoted = /^".*"$/.test(columnName) ? columnName.slice(1, -1).replaceAll('""', '"') : columnName;
    return classes.get(unquoted) ?? classes.get(unquoted.toLowerCase());
  }

  /** A node's columns as a reader sees them: each class points back at this node's column. */
  private asInput(uniqueId: string): ClassifiedColumns {
    const seen = new Map<string, ColumnClass>();
    for (const [name, column] of this.classesOf(uniqueId)) seen.set(name, { pii: column.pii, from: { node: uniqueId, column: name } });
    return seen;
  }
}

/** Unquoted names fold to lower case in PostgreSQL and Redshift; quoted ones are exact. */
function columnKey(column: ColumnInfo): string {
  return column.quote ? column.name : column.name.toLowerCase();
}

function tableKey(parts: readonly string[]): string {
  return parts.join('\u0000');
}

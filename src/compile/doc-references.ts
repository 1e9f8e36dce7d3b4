// `{{ doc('name') }}` in schema.yml descriptions (models, columns, sources, source tables,
// seeds) replaced by the docs block's text, as dbt renders descriptions before they reach the
// manifest (https://docs.getdbt.com/reference/dbt-jinja-functions/doc). Only doc() calls are
// rendered here; any other text of a description is kept as written.

import { CompileError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { DocBlock } from './doc-blocks.js';
import type { ColumnPatch, SchemaFile } from './schema-yml.js';

// doc('name') and doc('package', 'name'), quoted either way.
const DOC_CALL = /\{\{-?\s*doc\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*-?\}\}/g;

/** `file` with each description's doc() calls replaced; an unknown name names the file, key and doc. */
export function resolveDocReferences(file: SchemaFile, blocks: ReadonlyMap<string, DocBlock>, projectName: string): SchemaFile {
  const render = (description: string, keyPath: string): string => {
    if (!description.includes('doc(')) return description;
    return description.replace(DOC_CALL, (_call, _q1: string, first: string, _q2: string | undefined, second: string | undefined) => {
      // With two arguments the first is the package; this project's docs are the only ones there are.
      const name = second ?? first;
      const block = second !== undefined && first !== projectName ? undefined : blocks.get(name);
      if (!block) {
        const shown = second === undefined ? `'${first}'` : `'${first}', '${second}'`;
        throw new CompileError(
          `${file.file}: ${keyPath}.description: doc(${shown}) names no docs block; define {% docs ${name} %}…{% enddocs %} in a .md file under the model paths${didYouMean(name, [...blocks.keys()])}`,
          { file: file.file },
        );
      }
      return block.text;
    });
  };
  const columns = (list: ColumnPatch[], keyPath: string): ColumnPatch[] =>
    list.map((column) => ({ ...column, description: render(column.description, `${keyPath}.${column.name}`) }));
  return {
    ...file,
    models: file.models.map((model) => ({
      ...model,
      description: render(model.description, model.keyPath),
      columns: columns(model.columns, `${model.keyPath}.columns`),
    })),
    seeds: file.seeds.map((seed) => ({
      ...seed,
      description: render(seed.description, seed.keyPath),
      columns: columns(seed.columns, `${seed.keyPath}.columns`),
    })),
    sources: file.sources.map((source) => ({
      ...source,
      description: render(source.description, source.keyPath),
      tables: source.tables.map((table) => ({
        ...table,
        description: render(table.description, table.keyPath),
        columns: columns(table.columns, `${table.keyPath}.columns`),
      })),
    })),
  };
}

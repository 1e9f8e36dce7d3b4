// The tables named by --accept-deletes, checked against pgshift.yml: a misspelt table id must
// not silently leave the guard in place (or seem to lift it).

import type { Project } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { ACCEPT_DELETES_FLAG } from '../load/delete-detection.js';
import { didYouMean } from '../util/suggest.js';

export { ACCEPT_DELETES_FLAG };

export function acceptedDeletes(project: Project, ids: readonly string[] | undefined): ReadonlySet<string> {
  const detecting = project.tables.filter((table) => table.deletes === 'detect').map((table) => table.id);
  for (const id of ids ?? []) {
    if (id === 'all') continue;
    if (!detecting.includes(id)) {
      const known = project.tables.some((table) => table.id === id);
      throw new ConfigError(
        known
          ? `${ACCEPT_DELETES_FLAG} ${id}: the table does not detect deletes (deletes: detect in pgshift.yml), so there is nothing to accept`
          : `${ACCEPT_DELETES_FLAG} ${id}: no such table in pgshift.yml (name it as source.table)${didYouMean(
              id,
              project.tables.map((table) => table.id),
            )}`,
      );
    }
  }
  return new Set(ids ?? []);
}

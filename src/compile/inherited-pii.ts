// A model's manifest columns with the PII classes its SQL passes through from its inputs
// (column-lineage.ts): `pii` names the class and `pii_source` the upstream node column it comes
// from. A class declared in the model's own schema.yml stays as declared.

import type { ColumnInfo } from '../manifest/manifest.js';
import type { ClassifiedColumns } from './select-lineage.js';

export function withInheritedPii(columns: Record<string, ColumnInfo>, classes: ClassifiedColumns): Record<string, ColumnInfo> {
  const merged = { ...columns };
  const byKey = new Map(Object.keys(columns).map((name) => [columns[name]!.quote ? name : name.toLowerCase(), name]));
  for (const [name, inherited] of classes) {
    if (inherited.from === null) continue;
    const declaredName = byKey.get(name);
    const declared = declaredName === undefined ? undefined : merged[declaredName];
    if (declared?.pii) continue;
    merged[declaredName ?? name] = declared
      ? { ...declared, pii: inherited.pii, pii_source: inherited.from }
      : {
          name,
          description: '',
          meta: {},
          data_type: null,
          tags: [],
          quote: name !== name.toLowerCase(),
          pii: inherited.pii,
          pii_source: inherited.from,
          constraints: [],
        };
  }
  return merged;
}

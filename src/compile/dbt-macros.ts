// The macro files behind the `dbt.` namespace (dbt-namespace.ts): dbt's cross-database macros
// in their dbt-postgres and dbt-redshift forms. They are not globals: `dbt.dateadd` and plain
// `dateadd` (pgshift's, with its own argument order and types) stay apart.

import { dbtAggregates } from './builtin-macros/dbt/aggregates.js';
import { dbtDateSpine } from './builtin-macros/dbt/date-spine.js';
import { dbtDates } from './builtin-macros/dbt/dates.js';
import { dbtStrings } from './builtin-macros/dbt/strings.js';
import { dbtTypes } from './builtin-macros/dbt/types.js';
import type { TextFile } from './project-files.js';

export const DBT_MACROS: readonly TextFile[] = [dbtDates, dbtDateSpine, dbtStrings, dbtAggregates, dbtTypes];

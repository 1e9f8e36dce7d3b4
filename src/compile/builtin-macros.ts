// The macros every project has without copying them into its macros/: cross-database helpers,
// PII masking and the no_pii test. They are TypeScript string modules rather than .sql files so
// that compilation stays free of file I/O and the esbuild bundle carries them with no loader.
// They load before the project's macros, so a project macro of the same name replaces one.

import { BUILTIN_TEST_MACROS } from './builtin-test-macros.js';
import { castBool } from './builtin-macros/cast-bool.js';
import { currentTimestampUtc } from './builtin-macros/current-timestamp-utc.js';
import { dateTrunc } from './builtin-macros/date-trunc.js';
import { dateadd } from './builtin-macros/dateadd.js';
import { datediff } from './builtin-macros/datediff.js';
import { hash } from './builtin-macros/hash.js';
import { jsonExtractPathText } from './builtin-macros/json-extract-path-text.js';
import { safeCast } from './builtin-macros/safe-cast.js';
import { types } from './builtin-macros/types.js';
import { sqlLiteral } from './builtin-macros/sql-literal.js';
import { sourceBatches } from './builtin-macros/source-batches.js';
import { regexpReplaceAll } from './builtin-macros/regexp-replace-all.js';
import { runAsOfDate } from './builtin-macros/run-as-of-date.js';
import { piiBirthDate } from './builtin-macros/pii-birth-date.js';
import { piiHash } from './builtin-macros/pii-hash.js';
import { piiKey } from './builtin-macros/pii-key.js';
import { piiMaskEmail } from './builtin-macros/pii-mask-email.js';
import { piiPhoneLastFour } from './builtin-macros/pii-phone-last-four.js';
import { piiRedact } from './builtin-macros/pii-redact.js';
import { noPii } from './builtin-macros/no-pii.js';
import type { TextFile } from './project-files.js';

export const BUILTIN_MACROS: readonly TextFile[] = [
  BUILTIN_TEST_MACROS,
  castBool,
  currentTimestampUtc,
  dateTrunc,
  dateadd,
  datediff,
  hash,
  jsonExtractPathText,
  safeCast,
  types,
  sqlLiteral,
  sourceBatches,
  regexpReplaceAll,
  runAsOfDate,
  piiBirthDate,
  piiHash,
  piiKey,
  piiMaskEmail,
  piiPhoneLastFour,
  piiRedact,
  noPii,
];

// The one YAML reader (pgshift.yml, schema.yml, selectors.yml, --vars): js-yaml with the YAML 1.2
// core schema, so `2024-01-01` and `yes` stay strings. Duplicate keys and several documents in
// one file are errors; an empty file is null. Errors carry the 1-based line of the problem.

import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { ConfigError } from '../errors.js';
import { openQuoteAt } from './yaml-unclosed-quote.js';

/** The value of a single-document YAML text; `file` names it in the message (`file:line: invalid YAML: …`). */
export function readYaml(text: string, file: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark ? error.mark.line + 1 : undefined;
    const column = error.mark ? error.mark.column + 1 : undefined;
    const where = line === undefined ? '' : ` at line ${line}, column ${column}`;
    const quote = line === undefined || column === undefined ? undefined : openQuoteAt(text, line, column);
    if (quote) {
      const message = `${file}:${quote.line}: invalid YAML: the ${quote.quote} opened on line ${quote.line} is never closed; end the value with ${quote.quote} on that line (the parser gave up${where})`;
      throw new ConfigError(message, { file, line: quote.line }, { cause: error });
    }
    throw new ConfigError(`${file}${line === undefined ? '' : `:${line}`}: invalid YAML: ${error.reason}${where}`, { file, line }, { cause: error });
  }
  if (documents.length > 1) throw new ConfigError(`${file}: invalid YAML: holds ${documents.length} documents (separated by ---); keep one per file`, { file });
  return documents[0] ?? null;
}

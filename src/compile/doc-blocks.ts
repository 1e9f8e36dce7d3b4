// dbt's docs blocks: `{% docs name %}…{% enddocs %}` in the .md files under the model paths,
// the text that `{{ doc('name') }}` in a description stands for.
// https://docs.getdbt.com/reference/dbt-jinja-functions/doc

import { CompileError } from '../errors.js';
import type { TextFile } from './project-files.js';

export interface DocBlock {
  readonly name: string;
  /** The block's text, trimmed as dbt trims it. */
  readonly text: string;
  /** `models/docs.md:3`: where the block opens. */
  readonly location: string;
}

const TAG = /\{%-?\s*(docs\s+([A-Za-z_][A-Za-z0-9_]*)|docs\b[^%]*|enddocs)\s*-?%\}/g;

/** Every docs block of `files`, by name; a name defined twice or a block left open is an error. */
export function parseDocBlocks(files: readonly TextFile[]): Map<string, DocBlock> {
  const blocks = new Map<string, DocBlock>();
  for (const file of files) {
    let open: { name: string; start: number; line: number } | undefined;
    for (const match of file.text.matchAll(TAG)) {
      const line = lineAt(file.text, match.index);
      if (match[1] === 'enddocs') {
        if (!open) throw new CompileError(`${file.path}:${line}: {% enddocs %} without an open {% docs name %}`, { file: file.path, line });
        const name = open.name;
        const previous = blocks.get(name);
        if (previous) {
          throw new CompileError(`${file.path}:${open.line}: docs block '${name}' is defined twice (first at ${previous.location}); rename one`, {
            file: file.path,
            line: open.line,
          });
        }
        blocks.set(name, { name, text: file.text.slice(open.start, match.index).trim(), location: `${file.path}:${open.line}` });
        open = undefined;
      } else if (match[2] === undefined) {
        throw new CompileError(`${file.path}:${line}: a docs block needs a name: {% docs my_name %}`, { file: file.path, line });
      } else if (open) {
        throw new CompileError(`${file.path}:${line}: docs block '${match[2]}' opens inside '${open.name}'; close it with {% enddocs %} first`, {
          file: file.path,
          line,
        });
      } else {
        open = { name: match[2], start: match.index + match[0].length, line };
      }
    }
    if (open) {
      throw new CompileError(`${file.path}:${open.line}: docs block '${open.name}' is never closed; end it with {% enddocs %}`, {
        file: file.path,
        line: open.line,
      });
    }
  }
  return blocks;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

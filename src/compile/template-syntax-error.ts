// A Nunjucks parse error in words a model author can act on: the parser's own function names
// (`parseSignature: …`) replaced by what was expected, and a block left open until the end of
// the file reported at the line that opened it, since the parser knows no line at the end.

import { closestName } from '../util/suggest.js';

/** Tags that open a block closed by `end<tag>`; `set` only in its block form (no `=`). */
const BLOCK_TAGS = ['if', 'for', 'macro', 'call', 'filter', 'raw', 'verbatim', 'block', 'set'];
const KNOWN_TAGS = [...BLOCK_TAGS, 'elif', 'elseif', 'else', 'include', 'import', 'from', 'extends', 'do', 'test', ...BLOCK_TAGS.map((tag) => `end${tag}`)];

export interface SyntaxProblem {
  /** 1-based; undefined when neither the parser nor the text says where. */
  readonly line: number | undefined;
  readonly message: string;
}

export function describeSyntaxError(rawMessage: string, line: number | undefined, text: string): SyntaxProblem {
  if (/end of file/.test(rawMessage)) return unclosedAtEnd(rawMessage, text) ?? { line, message: stripParserName(rawMessage) };
  const unknownTag = /^unknown block tag: (\w+)$/.exec(rawMessage);
  if (unknownTag) {
    const tag = unknownTag[1]!;
    if (tag.startsWith('end') && BLOCK_TAGS.includes(tag.slice(3))) {
      return { line, message: `{% ${tag} %} closes nothing: no {% ${tag.slice(3)} %} is open here; remove it or add the opening tag above` };
    }
    const near = closestName(tag, KNOWN_TAGS);
    return { line, message: `unknown tag {% ${tag} %}${near ? `; did you mean {% ${near} %}?` : ''}` };
  }
  if (rawMessage.startsWith('parseSignature:')) {
    return { line, message: `syntax error in an argument list: expected ',' between arguments or ')' to close it` };
  }
  if (rawMessage.startsWith('parseFor:')) return { line, message: 'syntax error in {% for %}: expected {% for <name> in <expression> %}' };
  return { line, message: stripParserName(rawMessage) };
}

function stripParserName(message: string): string {
  const parser = /^parse\w*: (.*)$/.exec(message);
  return parser ? `syntax error: ${parser[1]}` : message;
}

/** The innermost block (or comment) still open at the end of `text`, where it was opened. */
function unclosedAtEnd(rawMessage: string, text: string): SyntaxProblem | undefined {
  const comment = /\{#(?![\s\S]*#\})/.exec(text);
  if (comment || /end of comment/.test(rawMessage)) {
    if (!comment) return undefined;
    return { line: lineAt(text, comment.index), message: 'this {# comment #} is never closed: expected #} before the end of the file' };
  }
  const open: Array<{ tag: string; index: number }> = [];
  for (const match of text.replace(/\{#[\s\S]*?#\}/g, (c) => c.replace(/[^\n]/g, ' ')).matchAll(/\{%-?\s*(\w+)([^%]*)%\}/g)) {
    const [, tag = '', rest = ''] = match;
    if (tag === 'set' && rest.includes('=')) continue;
    if (BLOCK_TAGS.includes(tag)) open.push({ tag, index: match.index });
    else if (tag.startsWith('end') && open.at(-1)?.tag === tag.slice(3)) open.pop();
  }
  const innermost = open.at(-1);
  if (!innermost) return undefined;
  const expected = innermost.tag === 'if' ? '{% elif %}, {% else %} or {% endif %}' : `{% end${innermost.tag} %}`;
  return {
    line: lineAt(text, innermost.index),
    message: `{% ${innermost.tag} %} opened here is never closed: expected ${expected} before the end of the file`,
  };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

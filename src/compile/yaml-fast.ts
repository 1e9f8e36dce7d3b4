// Reads ordinary YAML (mappings, sequences, scalars; block and flow style) straight from the
// yaml package's CST into plain values. Building yaml Document nodes first costs about as much
// again as parsing, and a thousand-model project has hundreds of kilobytes of schema.yml.
// The CST parser is lenient, so layout is checked here as the full parser would; anything
// out of the ordinary (anchors, aliases, tags, explicit keys, tabs, several documents,
// duplicate keys, any doubt) returns undefined and the caller uses the full parser, which
// also words the error messages. A differential test keeps the two in agreement.

import { CST, Parser } from 'yaml';

class Unsupported extends Error {}

type Item = CST.CollectionItem;

/** The value of a single-document YAML text, or undefined to ask the full parser. */
export function parseYamlFast(text: string): { value: unknown } | undefined {
  let document: CST.Document | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document') {
      if (document) return undefined;
      document = token;
    } else if (token.type === 'doc-end') {
      if (!document || token.end?.some((end) => !isTrivia(end))) return undefined;
    } else if (!isTrivia(token)) {
      return undefined;
    }
  }
  if (!document) return { value: null };
  try {
    onlyTrivia(document.start, ['doc-start']);
    onlyTrivia(document.end ?? []);
    return { value: toValue(document.value, false) };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function toValue(token: CST.Token | undefined, inFlow: boolean): unknown {
  if (token === undefined) return null;
  switch (token.type) {
    case 'block-map':
      if (inFlow) throw new Unsupported();
      return blockMap(token);
    case 'block-seq':
      if (inFlow) throw new Unsupported();
      return blockSeq(token);
    case 'flow-collection':
      return flowCollection(token);
    case 'scalar':
      return plainScalar(scalarText(token));
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      return scalarText(token);
    case 'block-scalar':
      if (inFlow) throw new Unsupported();
      return scalarText(token);
    default:
      throw new Unsupported();
  }
}

function blockMap(map: CST.BlockMap): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const item of map.items) {
    onlyTrivia(item.start);
    const key = implicitKey(item, map.indent);
    const sep = item.sep ?? [];
    onlyTrivia(sep, ['map-value-ind']);
    if (!sep.some((token) => token.type === 'map-value-ind')) throw new Unsupported();
    // `a: b: 1` and `a: - b` are errors; a nested collection starts on a new line.
    const valueOnNewLine = sep.some((token) => token.type === 'newline');
    if ((item.value?.type === 'block-map' || item.value?.type === 'block-seq') && !valueOnNewLine) throw new Unsupported();
    if (item.value !== undefined && valueOnNewLine && 'indent' in item.value && item.value.type !== 'block-seq' && item.value.indent <= map.indent) throw new Unsupported();
    setOnce(result, key, toValue(item.value, false));
  }
  return result;
}

function blockSeq(seq: CST.BlockSequence): unknown[] {
  return seq.items.map((item) => {
    const indicators = item.start.filter((token) => token.type === 'seq-item-ind');
    // Without the dash at the sequence's column this is a mis-indented line.
    if (indicators.length !== 1 || indicators[0]!.indent !== seq.indent) throw new Unsupported();
    onlyTrivia(item.start, ['seq-item-ind']);
    if (item.key !== undefined || item.sep !== undefined) throw new Unsupported();
    return toValue(item.value, false);
  });
}

function flowCollection(collection: CST.FlowCollection): unknown {
  const isMap = collection.start.source === '{';
  const closing = collection.end.filter((token) => token.type === (isMap ? 'flow-map-end' : 'flow-seq-end'));
  if (closing.length !== 1) throw new Unsupported();
  onlyTrivia(collection.end, [isMap ? 'flow-map-end' : 'flow-seq-end']);
  const result: Record<string, unknown> = {};
  const list: unknown[] = [];
  collection.items.forEach((item, index) => {
    const commas = item.start.filter((token) => token.type === 'comma').length;
    if (commas !== (index === 0 ? 0 : 1)) throw new Unsupported();
    onlyTrivia(item.start, ['comma']);
    if (item.value === undefined && !(isMap && item.key)) throw new Unsupported();
    if (isMap) {
      const key = implicitKey(item, undefined);
      onlyTrivia(item.sep ?? [], ['map-value-ind']);
      if (!item.sep?.some((token) => token.type === 'map-value-ind')) throw new Unsupported();
      setOnce(result, key, toValue(item.value, true));
    } else {
      if (item.key !== undefined || item.sep !== undefined) throw new Unsupported();
      list.push(toValue(item.value, true));
    }
  });
  return isMap ? result : list;
}

/** A single-line scalar key at the map's column; plain keys must read as strings. */
function implicitKey(item: Item, column: number | undefined): string {
  const key = item.key;
  if (!key || (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar')) throw new Unsupported();
  if (column !== undefined && key.indent !== column) throw new Unsupported();
  if (key.source.includes('\n') || key.source.includes('\r') || key.end?.some((token) => token.type !== 'space')) throw new Unsupported();
  const text = scalarText(key);
  // A plain key like `1` or `true` only becomes a string by conversion; leave it to yaml.
  if (key.type === 'scalar' && typeof plainScalar(text) !== 'string') throw new Unsupported();
  return text;
}

function setOnce(target: Record<string, unknown>, key: string, value: unknown): void {
  // Duplicate keys are an error; the full parser reports it with its line.
  if (Object.prototype.hasOwnProperty.call(target, key) || key === '__proto__') throw new Unsupported();
  target[key] = value;
}

function scalarText(token: CST.FlowScalar | CST.BlockScalar): string {
  if (token.type === 'block-scalar') onlyTrivia(token.props, ['block-scalar-header']);
  else if (token.end) onlyTrivia(token.end);
  return CST.resolveAsScalar(token, true, () => {
    throw new Unsupported();
  }).value;
}

/** Tokens that carry no content: spaces (never tabs), newlines and comments, plus `allowed`. */
function onlyTrivia(tokens: readonly CST.Token[], allowed: readonly string[] = []): void {
  for (const token of tokens) {
    if (allowed.includes(token.type)) continue;
    if (token.type === 'space' && !token.source.includes('\t')) continue;
    if (token.type === 'newline') continue;
    // A comment needs whitespace before it; the full parser knows the details.
    if (token.type === 'comment') continue;
    throw new Unsupported();
  }
}

function isTrivia(token: CST.Token): boolean {
  return (token.type === 'space' && !token.source.includes('\t')) || token.type === 'newline' || token.type === 'comment' || token.type === 'byte-order-mark';
}

/** YAML 1.2 core schema, as the yaml package resolves plain scalars by default. */
function plainScalar(text: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

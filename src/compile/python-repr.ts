// How Python prints a value: str() for text output and `%s`, repr() inside lists and dicts
// and for `%r`. Lists are Python lists, plain objects dicts, null None.

export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // A dict carrying its own toString (a relation-like value built by pgshift) renders through it.
  if (isDict(value) && Object.hasOwn(value, 'toString') && typeof value.toString === 'function') return String(value);
  if (Array.isArray(value) || isDict(value)) return pyRepr(value);
  return String(value);
}

export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isDict(value)) {
    const entries = Object.entries(value).filter(([key]) => key !== '__keywords');
    return `{${entries.map(([key, item]) => `${quote(key)}: ${pyRepr(item)}`).join(', ')}}`;
  }
  return pyStr(value);
}

/** Python's quoting: single quotes unless the text holds one and no double quote. */
function quote(text: string): string {
  const useDouble = text.includes("'") && !text.includes('"');
  const q = useDouble ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (useDouble ? escaped : escaped.replace(/'/g, "\\'")) + q;
}

export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Python's printf-style `%` on strings: `'%s-%s' % (1, 2)`, `'%05.2f' % x`,
// `'%(a)s' % {'a': 1}`, for the common conversions (s r d i u f F e E g G x X o c %).

import { CompileError } from '../errors.js';
import { isDict, pyRepr, pyStr } from './python-repr.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])/g;

export function pyFormat(format: string, values: unknown): string {
  const named = isDict(values) ? values : undefined;
  const positional = Array.isArray(values) ? values : [values];
  let next = 0;
  const take = (): unknown => {
    if (next >= positional.length) throw new CompileError(`'${format}' % …: not enough arguments for format string`);
    return positional[next++];
  };
  const out = format.replace(
    SPEC,
    (_all, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string) => {
      if (conversion === '%') return '%';
      const w = width === '*' ? Number(take()) : width === undefined ? undefined : Number(width);
      const p = precision === '*' ? Number(take()) : precision === undefined ? undefined : Number(precision);
      let value: unknown;
      if (key !== undefined) {
        if (!named) throw new CompileError(`'${format}' % …: a %(name)s format needs a dict`);
        if (!Object.hasOwn(named, key)) throw new CompileError(`'${format}' % …: no key '${key}' in the dict`);
        value = named[key];
      } else value = take();
      return pad(convert(value, conversion, flags, p, format), flags, w, /[diouxXeEfFgG]/.test(conversion));
    },
  );
  if (!named && next < positional.length) throw new CompileError(`'${format}' % …: not all arguments converted during string formatting`);
  return out;
}

function convert(value: unknown, conversion: string, flags: string, precision: number | undefined, format: string): string {
  switch (conversion) {
    case 's':
      return precision === undefined ? pyStr(value) : pyStr(value).slice(0, precision);
    case 'r':
    case 'a':
      return pyRepr(value);
    case 'c':
      return typeof value === 'number' ? String.fromCodePoint(value) : pyStr(value);
    default:
      break;
  }
  const number = toNumber(value, conversion, format);
  const sign = number < 0 || Object.is(number, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const magnitude = Math.abs(number);
  let body: string;
  switch (conversion) {
    case 'd':
    case 'i':
    case 'u':
      body = String(Math.trunc(magnitude));
      break;
    case 'o':
      body = (flags.includes('#') ? '0o' : '') + Math.trunc(magnitude).toString(8);
      break;
    case 'x':
    case 'X': {
      const hex = (flags.includes('#') ? '0x' : '') + Math.trunc(magnitude).toString(16);
      body = conversion === 'X' ? hex.toUpperCase() : hex;
      break;
    }
    case 'f':
    case 'F':
      body = magnitude.toFixed(precision ?? 6);
      break;
    case 'e':
    case 'E':
      body = exponent(magnitude, precision ?? 6);
      if (conversion === 'E') body = body.toUpperCase();
      break;
    default: {
      body = general(magnitude, precision ?? 6, flags.includes('#'));
      if (conversion === 'G') body = body.toUpperCase();
    }
  }
  return sign + body;
}

function toNumber(value: unknown, conversion: string, format: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new CompileError(`'${format}' % …: %${conversion} format: a real number is required, not ${value === null ? 'None' : typeof value}`);
}

/** Python writes exponents with at least two digits: 1.500000e+03. */
function exponent(value: number, precision: number): string {
  return value.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

function general(value: number, precision: number, keepZeros: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (value === 0) return keepZeros ? (0).toFixed(p - 1) : '0';
  const exp = Math.floor(Math.log10(value));
  const text = exp < -4 || exp >= p ? exponent(value, p - 1) : value.toFixed(Math.max(p - 1 - exp, 0));
  if (keepZeros) return text;
  return text.replace(/\.?0+(e|$)/, '$1').replace(/(\.\d*?)0+(e|$)/, '$1$2');
}

function pad(text: string, flags: string, width: number | undefined, numeric: boolean): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && numeric) {
    const sign = /^[-+ ]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

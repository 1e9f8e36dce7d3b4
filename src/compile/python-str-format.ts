// Python's format spec mini-language for str.format and format(): [[fill]align][sign][0][width][,][.precision][type].

import { CompileError } from '../errors.js';
import { pyFormat } from './python-format.js';
import { pyStr } from './python-repr.js';

const SPEC = /^(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

export function formatField(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const match = SPEC.exec(spec);
  if (!match) throw new CompileError(`format(): invalid format spec '${spec}'`);
  const [, fill = ' ', align, sign = '', alt = '', zero, width, comma, precision, type] = match;
  let body: string;
  if (type === undefined || type === 's') body = precision === undefined ? pyStr(value) : pyStr(value).slice(0, Number(precision));
  else if (type === '%') body = `${pyFormat(`%${sign}.${precision ?? 6}f`, Number(value) * 100)}%`;
  else body = pyFormat(`%${sign}${alt}${precision === undefined ? '' : `.${precision}`}${type === 'n' ? 'g' : type === 'b' ? 'd' : type}`, value);
  if (comma) body = body.replace(/^([-+ ]?)(\d+)/, (_all, s: string, digits: string) => s + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const w = width === undefined ? 0 : Number(width);
  if (body.length >= w) return body;
  const numeric = typeof value === 'number';
  const how = align ?? (zero ? '=' : numeric ? '>' : '<');
  const padChar = align === undefined && zero ? '0' : fill;
  const gap = padChar.repeat(w - body.length);
  if (how === '<') return body + gap;
  if (how === '>') return gap + body;
  if (how === '^') {
    const left = Math.floor((w - body.length) / 2);
    return padChar.repeat(left) + body + padChar.repeat(w - body.length - left);
  }
  const signPart = /^[-+ ]/.test(body) ? body[0]! : '';
  return signPart + gap + body.slice(signPart.length);
}

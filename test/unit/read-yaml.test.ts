// The one YAML reader: js-yaml with the core schema (dates and yes/no stay strings), an empty
// file is null, and every syntax error names the file and the 1-based line.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYaml } from '../../src/config/read-yaml.js';
import { ConfigError } from '../../src/errors.js';
import { FIXTURE_DIR } from './compile-fixture.js';

const READS = {
  'block mappings and sequences': [
    'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique\n',
    { version: 2, models: [{ name: 'a', columns: [{ name: 'id', data_tests: ['unique'] }] }] },
  ],
  'flow collections': ['a: [1, two, "three", {x: 1, y: [true, null]}]\nb: {}\n', { a: [1, 'two', 'three', { x: 1, y: [true, null] }], b: {} }],
  'core schema scalars': [
    'n: ~\nn3:\nb: True\ni: -12\no: 0o17\nh: 0x1F\nf: 1.50\ns: 2024-01-01\nt: 2024-01-01T06:00:00Z\nv: 1.2.3\nyes: yes\nno: off\n',
    { n: null, n3: null, b: true, i: -12, o: 15, h: 31, f: 1.5, s: '2024-01-01', t: '2024-01-01T06:00:00Z', v: '1.2.3', yes: 'yes', no: 'off' },
  ],
  'block scalars': ['a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n', { a: 'line one\nline two\n', b: 'folded text' }],
  'document markers': ['---\na: 1\n...\n', { a: 1 }],
  'an empty file': ['', null],
  'a file of comments only': ['# nothing\n', null],
} as const;

describe('readYaml()', () => {
  for (const [label, [text, value]] of Object.entries(READS)) {
    it(`reads ${label}`, () => {
      expect(readYaml(text, 'f.yml')).toEqual(value);
    });
  }

  it('reads every schema.yml of the fixture project', async () => {
    for (const dir of ['models/staging', 'models/marts', 'seeds']) {
      for (const name of await readdir(path.join(FIXTURE_DIR, dir))) {
        if (!name.endsWith('.yml')) continue;
        expect(readYaml(await readFile(path.join(FIXTURE_DIR, dir, name), 'utf8'), name)).toMatchObject({ version: 2 });
      }
    }
  });

  const FAILS = {
    'duplicate keys': ['a: 1\nb: 2\na: 3\n', 'f.yml:3: invalid YAML: duplicated mapping key at line 3, column 1'],
    'bad indentation': ['models:\n  - name: a\n   bad: indent\n', 'f.yml:3: invalid YAML: bad indentation of a sequence entry at line 3, column 4'],
    'an unterminated quote': [
      'a: 1\nb: "open\n',
      'f.yml:2: invalid YAML: the " opened on line 2 is never closed; end the value with " on that line (the parser gave up at line 3, column 1)',
    ],
    'several documents': ['a: 1\n---\nb: 2\n', 'f.yml: invalid YAML: holds 2 documents (separated by ---); keep one per file'],
  } as const;

  for (const [label, [text, message]] of Object.entries(FAILS)) {
    it(`refuses ${label}, naming the file and the line`, () => {
      let error: unknown;
      try {
        readYaml(text, 'f.yml');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      if (typeof message === 'string') expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    });
  }

  it('reports an unclosed quote of pgshift.yml at the line that opened it, not where the parser gave up', async () => {
    const lines = (await readFile(path.resolve('pgshift.yml'), 'utf8')).split('\n');
    const at = lines.findIndex((line) => line.trim() === 'bucket: pgshift-staging');
    for (const quote of ['"', "'"]) {
      const broken = lines.map((line, index) => (index === at ? line.replace('pgshift-staging', `${quote}pgshift-staging`) : line)).join('\n');
      expect(() => readYaml(broken, 'pgshift.yml')).toThrow(`pgshift.yml:${at + 1}: invalid YAML: the ${quote} opened on line ${at + 1} is never closed`);
    }
  });

  // Each text holds one quote YAML does not read as an opening quote, then the real one on line 2.
  const NOT_OPENING = {
    'an apostrophe inside a plain scalar': "note: it's plain",
    'a comment': '# see: "the docs',
    "a block scalar's text": 'sql: |\n  \'an open quote in SQL text\nc: [1, "two\nd: 4',
    "'' inside single quotes": "a: 'don''t: \"stop'",
    '\\" inside double quotes': 'b: "a \\": \'x"',
  } as const;

  for (const [label, first] of Object.entries(NOT_OPENING)) {
    it(`finds the open quote past ${label}`, () => {
      const text = first.includes('\n') ? first : `${first}\nc: [1, "two\nd: 4`;
      const line = text.split('\n').findIndex((row) => row.startsWith('c: ')) + 1;
      expect(() => readYaml(text, 'schema.yml')).toThrow(`schema.yml:${line}: invalid YAML: the " opened on line ${line} is never closed`);
    });
  }

  it('reports nothing when a quote closes on a later line, which is valid YAML', () => {
    expect(readYaml('a: "one\n  two"\n', 'f.yml')).toEqual({ a: 'one two' });
  });
});

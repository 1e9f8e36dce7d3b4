// The fast YAML reader must give exactly what the yaml package gives, or step aside
// (undefined) so the full parser runs. Each case is checked against yaml.parse.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { parseYamlFast } from '../../src/compile/yaml-fast.js';
import { isDeepStrictEqual } from 'node:util';
import { FIXTURE_DIR } from './compile-fixture.js';

const SAME_AS_YAML = {
  'block mappings and sequences': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - not_null\n',
  'flow collections': 'a: [1, two, "three", {x: 1, y: [true, null]}]\nb: {k: v, "q k": \'s\'}\nc: []\nd: {}\n',
  'core schema scalars': 'n: ~\nn2: null\nn3:\nb: True\nb2: FALSE\ni: -12\no: 0o17\nh: 0x1F\nf: 1.50\ne: 2e3\ninf: -.inf\ns: 2024-01-01\nv: 1.2.3\nyes: yes\n',
  'quoted scalars with escapes': 'a: "tab\\tnew\\nline \\u00e9"\nb: \'it\'\'s\'\nc: "#not a comment"\n',
  'block scalars': 'a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: |+\n  keep\n\n',
  'multi-line plain scalars': 'description: a long\n  description that\n  wraps\nnext: 1\n',
  comments: '# top\nversion: 2 # trailing\nmodels: # none yet\n  - name: a # x\n',
  'document start and end markers': '---\na: 1\n...\n',
  'compact mappings in sequences': '- accepted_values:\n    values: [a, b]\n    config:\n      severity: warn\n- relationships: {to: "ref(\'x\')", field: id}\n',
  'values with colons and hashes': "where: \"status <> 'x'\"\nurl: http://example.com/a#b\ntime: 10:30\n",
  'an empty document': '',
  'a document of comments only': '# nothing\n',
};

describe('parseYamlFast()', () => {
  for (const [label, text] of Object.entries(SAME_AS_YAML)) {
    it(`reads ${label} exactly like yaml.parse`, () => {
      const fast = parseYamlFast(text);
      expect(fast).toBeDefined();
      expect(fast!.value).toEqual(parse(text));
    });
  }

  it('reads every schema.yml of the fixture project exactly like yaml.parse', async () => {
    for (const dir of ['models/staging', 'models/marts', 'seeds']) {
      for (const name of await readdir(path.join(FIXTURE_DIR, dir))) {
        if (!name.endsWith('.yml')) continue;
        const text = await readFile(path.join(FIXTURE_DIR, dir, name), 'utf8');
        expect(parseYamlFast(text)?.value).toEqual(parse(text));
      }
    }
  });

  const LEFT_TO_THE_FULL_PARSER = {
    anchors: 'a: &x 1\nb: 2\n',
    aliases: 'a: 1\nb: *x\n',
    tags: 'a: !!str 1\n',
    'explicit keys': '? a\n: 1\n',
    'several documents': 'a: 1\n---\nb: 2\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'non-string plain keys': '1: one\n',
    'bad indentation': 'models:\n  - name: a\n   bad: indent\n',
    'unterminated flow collections': 'a: [1, 2\n',
    'unterminated quotes': 'a: "open\n',
    'a single pair in a flow sequence': 'a: [b: 1]\n',
  };

  for (const [label, text] of Object.entries(LEFT_TO_THE_FULL_PARSER)) {
    it(`leaves ${label} to the full parser`, () => {
      expect(parseYamlFast(text)).toBeUndefined();
    });
  }
});

describe('parseYamlFast() against yaml on damaged files', () => {
  it('never accepts what yaml rejects, and never reads a value differently (3,000 random edits)', async () => {
    const seedText = await readFile(path.join(FIXTURE_DIR, 'models/staging/schema.yml'), 'utf8');
    const pieces = [' ', '  ', '\n', ':', '-', '[', ']', '{', '}', ',', '"', "'", '#', '|', '>', '&a', '*a', '!', '?', 'x', '1', '\t', '- ', ': '];
    let state = 42;
    const random = (n: number): number => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state % n;
    };
    let accepted = 0;
    for (let round = 0; round < 3_000; round++) {
      let text = seedText;
      for (let edit = 0; edit <= random(3); edit++) {
        const at = random(text.length + 1);
        text = random(2) === 0 ? text.slice(0, at) + text.slice(at + 1 + random(3)) : text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
      }
      const fast = parseYamlFast(text);
      if (!fast) continue;
      const document = parseDocument(text, { uniqueKeys: true });
      expect({ text, errors: document.errors.map((error) => error.message) }).toEqual({ text, errors: [] });
      expect(isDeepStrictEqual(fast.value, document.toJS()), text).toBe(true);
      accepted++;
    }
    // Most damaged files are still valid YAML; make sure the fast path was really exercised.
    expect(accepted).toBeGreaterThan(500);
  });
});

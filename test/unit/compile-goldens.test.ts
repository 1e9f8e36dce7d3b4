// Golden files: the compiled SQL of every fixture model, per target, under
// test/goldens/<target>/<model>.sql. A change in compiled SQL shows up as a diff to review;
// UPDATE_GOLDENS=1 rewrites the files after an intended change.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, fixtureFiles, type TargetType } from './compile-fixture.js';

const GOLDENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../goldens');
const update = process.env.UPDATE_GOLDENS === '1';
const files = await fixtureFiles();

for (const target of ['postgres', 'redshift'] as const satisfies readonly TargetType[]) {
  describe(`${target} goldens`, () => {
    const manifest = compile(files, target, { env: { SHOP_REGION: 'eu-west' } });
    const models = Object.values(manifest.nodes).filter((node) => node.resource_type === 'model');

    for (const model of models) {
      it(`compiles ${model.name} as in test/goldens/${target}/${model.name}.sql`, async () => {
        const file = path.join(GOLDENS, target, `${model.name}.sql`);
        const actual = `${model.compiled_code.trim()}\n`;
        if (update) {
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, actual);
        }
        const expected = await readFile(file, 'utf8').catch(() => '(missing: run with UPDATE_GOLDENS=1)\n');
        expect(actual).toBe(expected);
      });
    }
  });
}

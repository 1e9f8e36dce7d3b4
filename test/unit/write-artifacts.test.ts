// What pgshift compile leaves in target/: the SQL exactly as compiled, except for secrets taken
// from the environment.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCompileArtifacts } from '../../src/project-files/write-artifacts.js';
import { registerSecret } from '../../src/log/redact.js';
import { bareProject, compile } from './compile-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('writeCompileArtifacts()', () => {
  it("writes `where token = 'abc'` as it is, and masks an environment secret", async () => {
    const secret = 'pii-k3y-from-the-environment';
    registerSecret(secret);
    const files = await bareProject({
      'models/logins.sql': "select * from {{ source('shop', 'orders') }} where token = 'abc' and password='x' and key = '{{ env_var('KEY') }}'",
    });
    const manifest = compile(files, 'postgres', { env: { KEY: secret } });
    const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-artifacts-'));
    dirs.push(dir);
    const { manifestPath } = await writeCompileArtifacts(manifest, dir);
    const compiled = await readFile(path.join(dir, 'compiled', 'logins.sql'), 'utf8');
    expect(compiled).toContain("where token = 'abc' and password='x' and key = '***'");
    const manifestText = await readFile(manifestPath, 'utf8');
    expect(manifestText).toContain("where token = 'abc'");
    expect(manifestText).not.toContain(secret);
  });
});

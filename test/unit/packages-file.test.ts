// packages.yml as dbt writes it: local: and git: entries parsed, hub packages refused with what
// to write instead, and package-lock.yml written and read back.

import { describe, expect, it } from 'vitest';
import { formatPackageLock, packagesDigest, parsePackageLock } from '../../src/config/package-lock.js';
import { parsePackagesFile } from '../../src/config/packages-file.js';

const parse = (text: string) => parsePackagesFile(text, 'packages.yml').packages;

describe('packages.yml', () => {
  it('reads local and git packages, with revision, subdirectory and warn-unpinned', () => {
    const text = [
      'packages:',
      '  - local: ../shared_macros',
      '  - git: https://github.com/dbt-labs/dbt-utils.git',
      '    revision: 1.3.0',
      '  - git: https://example.com/mono.git',
      '    subdirectory: packages/audit',
      '    warn-unpinned: false',
    ].join('\n');
    expect(parse(text)).toEqual([
      { kind: 'local', path: '../shared_macros', keyPath: 'packages[0]' },
      { kind: 'git', url: 'https://github.com/dbt-labs/dbt-utils.git', revision: '1.3.0', subdirectory: undefined, warnUnpinned: true, keyPath: 'packages[1]' },
      { kind: 'git', url: 'https://example.com/mono.git', revision: undefined, subdirectory: 'packages/audit', warnUnpinned: false, keyPath: 'packages[2]' },
    ]);
  });

  it('declares nothing when empty', () => {
    expect(parse('')).toEqual([]);
    expect(parse('packages: []')).toEqual([]);
  });

  it('refuses a dbt Hub package, since the registry is not reachable, and says to use git:', () => {
    expect(() => parse('packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n')).toThrow(
      'packages.yml: packages[0] (package: dbt-labs/dbt_utils) is a dbt Hub package, and the hub registry is not reachable from pgshift; install it from its repository instead: git: <its git URL> with revision: 1.3.0',
    );
  });

  it('names the entry and the key that is wrong', () => {
    expect(() => parse('packages:\n  - git: https://x/y.git\n    revison: v1\n')).toThrow(
      'packages.yml: packages[0] has revison; a git: package takes git, revision, subdirectory, warn-unpinned',
    );
    expect(() => parse('packages:\n  - name: x\n')).toThrow('packages.yml: packages[0] must say where the package comes from: git: <URL> or local: <folder>');
    expect(() => parse('packages:\n  - local: ../a\n    revision: v1\n')).toThrow(
      'packages.yml: packages[0] has revision, which a local: package does not take',
    );
    expect(() => parse('packages:\n  - git: https://x/y.git\n    subdirectory: ../outside\n')).toThrow(
      'packages.yml: packages[0] subdirectory: ../outside must be a folder inside the repository',
    );
    expect(() => parse('packages:\n  - git: --upload-pack=touch /tmp/x\n')).toThrow(
      'packages.yml: packages[0] git: --upload-pack=touch /tmp/x is not a repository URL',
    );
    // YAML would read 1.0 as the number 1 and lose the tag's name.
    expect(() => parse('packages:\n  - git: https://x/y.git\n    revision: 1.0\n')).toThrow(
      'packages.yml: packages[0] revision is read as the number 1; write it in quotes, as in revision: "1.0"',
    );
    expect(() => parse('projects:\n  - name: core\n')).toThrow('packages.yml: projects is not supported; list packages under packages:');
  });
});

describe('package-lock.yml', () => {
  it('is written as dbt writes it and read back the same', () => {
    const lock = {
      packages: [
        { local: '../shared_macros', name: 'shared_macros' },
        { git: 'https://example.com/mono.git', revision: 'a'.repeat(40), subdirectory: 'packages/audit', name: 'audit' },
      ],
      sha1_hash: packagesDigest('packages: []\n'),
    };
    const text = formatPackageLock(lock);
    expect(text).toBe(
      [
        'packages:',
        '  - local: ../shared_macros',
        '    name: shared_macros',
        '  - git: https://example.com/mono.git',
        `    revision: ${'a'.repeat(40)}`,
        '    subdirectory: packages/audit',
        '    name: audit',
        `sha1_hash: ${lock.sha1_hash}`,
        '',
      ].join('\n'),
    );
    expect(parsePackageLock(text, 'package-lock.yml')).toEqual(lock);
  });

  it('refuses a lock it cannot read, saying how to make a new one', () => {
    expect(() => parsePackageLock('packages:\n  - git: x\n', 'package-lock.yml')).toThrow(
      'package-lock.yml: is not a package lock (packages: and sha1_hash:); delete it and run `pgshift deps` again',
    );
  });
});

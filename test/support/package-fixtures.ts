// The package fixtures (test/fixtures/packages) in a temporary folder: the root project, the
// local package beside it, and a git repository made from git-source/ (one commit, tag v1.0.0)
// that packages.yml reaches through a file:// URL, with the package in a subdirectory.

import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PackageFixtures {
  readonly root: string;
  readonly projectDir: string;
  readonly repoDir: string;
  readonly repoUrl: string;
}

const FIXTURES = path.resolve('test', 'fixtures', 'packages');

export function git(args: readonly string[], cwd: string): string {
  // A fixed identity and no user config, so commits work on any machine.
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.com',
    GIT_COMMITTER_NAME: 'fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.com',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  return execFileSync('git', [...args], { cwd, env, encoding: 'utf8' }).trim();
}

export async function preparePackageFixtures(): Promise<PackageFixtures> {
  const root = await mkdtemp(path.join(tmpdir(), 'pgshift-packages-'));
  await cp(FIXTURES, root, { recursive: true });
  const repoDir = path.join(root, 'git-source');
  git(['init', '--quiet', '--initial-branch', 'main'], repoDir);
  git(['add', '.'], repoDir);
  git(['commit', '--quiet', '-m', 'git_utils 1.0.0'], repoDir);
  git(['tag', 'v1.0.0'], repoDir);
  const repoUrl = pathToFileURL(repoDir).href;
  const projectDir = path.join(root, 'project');
  await writePackagesYml(projectDir, repoUrl);
  return { root, projectDir, repoDir, repoUrl };
}

export async function writePackagesYml(projectDir: string, repoUrl: string, revision = 'v1.0.0'): Promise<void> {
  await writeFile(
    path.join(projectDir, 'packages.yml'),
    ['packages:', '  - local: ../local_utils', `  - git: "${repoUrl}"`, `    revision: ${revision}`, '    subdirectory: git_utils', ''].join('\n'),
  );
}

// `pgshift deps` against real git repositories in a temporary folder: each failure is one line
// naming the package, an unpinned package is warned about, and package-lock.yml's commit is
// installed again until packages.yml changes or --upgrade asks for the revision anew.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load-project.js';
import { installPackages } from '../../src/project-files/install-packages.js';
import { git, preparePackageFixtures, type PackageFixtures } from '../support/package-fixtures.js';

describe('installing packages', () => {
  let fixtures: PackageFixtures;

  beforeAll(async () => {
    fixtures = await preparePackageFixtures();
  });

  afterAll(async () => {
    await rm(fixtures.root, { recursive: true, force: true });
  });

  async function deps(packagesYml: string, options: { upgrade?: boolean } = {}) {
    await writeFile(path.join(fixtures.projectDir, 'packages.yml'), packagesYml);
    const project = await loadProject(fixtures.projectDir, { profilesDir: fixtures.projectDir, env: {} });
    return installPackages(project, options);
  }

  const gitEntry = (extra: string) => `packages:\n  - git: "${fixtures.repoUrl}"\n${extra}`;

  it('names the package whose subdirectory does not exist at the revision', async () => {
    await expect(deps(gitEntry('    revision: v1.0.0\n    subdirectory: no_such_folder\n'))).rejects.toThrow(
      `package ${fixtures.repoUrl}: subdirectory no_such_folder does not exist at revision v1.0.0`,
    );
  });

  it('names the package that is not a dbt project', async () => {
    await mkdir(path.join(fixtures.root, 'not_a_project'), { recursive: true });
    await expect(deps('packages:\n  - local: ../not_a_project\n')).rejects.toThrow(
      `package ../not_a_project: not a dbt project: ${path.join(fixtures.root, 'not_a_project')} has no dbt_project.yml`,
    );
  });

  it('names the package whose own packages.yml lists a hub package', async () => {
    await mkdir(path.join(fixtures.root, 'hub_user'), { recursive: true });
    await writeFile(path.join(fixtures.root, 'hub_user', 'dbt_project.yml'), 'name: hub_user\n');
    await writeFile(path.join(fixtures.root, 'hub_user', 'packages.yml'), 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n');
    await expect(deps('packages:\n  - local: ../hub_user\n')).rejects.toThrow(
      /^package hub_user: packages\.yml: packages\[0\] \(package: dbt-labs\/dbt_utils\) is a dbt Hub package/,
    );
  });

  it('warns about a git package without a revision, unless warn-unpinned is false', async () => {
    const unpinned = await deps(gitEntry('    subdirectory: git_utils\n'));
    expect(unpinned.warnings).toEqual([
      `package ${fixtures.repoUrl} is not pinned: each \`pgshift deps\` may install a newer commit; give it revision: <a tag or commit>, or warn-unpinned: false`,
    ]);
    const quiet = await deps(gitEntry('    subdirectory: git_utils\n    warn-unpinned: false\n'));
    expect(quiet.warnings).toEqual([]);
  });

  it('reads dependencies.yml as packages.yml, and refuses packages listed in both', async () => {
    await rm(path.join(fixtures.projectDir, 'packages.yml'));
    await writeFile(path.join(fixtures.projectDir, 'dependencies.yml'), 'packages:\n  - local: ../local_utils\n');
    const project = await loadProject(fixtures.projectDir, { profilesDir: fixtures.projectDir, env: {} });
    expect((await installPackages(project)).installed).toEqual([{ name: 'local_utils', source: '../local_utils' }]);
    await writeFile(path.join(fixtures.projectDir, 'packages.yml'), 'packages:\n  - local: ../local_utils\n');
    await expect(installPackages(project)).rejects.toThrow('both packages.yml and dependencies.yml list packages; keep them in one of the two files');
    await rm(path.join(fixtures.projectDir, 'dependencies.yml'));
  });

  it('installs the locked commit of a branch again until --upgrade', async () => {
    const first = await deps(gitEntry('    revision: main\n    subdirectory: git_utils\n'));
    const locked = first.installed.find((entry) => entry.name === 'git_utils')?.commit;
    expect(locked).toBe(git(['rev-parse', 'main'], fixtures.repoDir));

    await writeFile(path.join(fixtures.repoDir, 'git_utils', 'macros', 'later.sql'), '{% macro later() %}1{% endmacro %}\n');
    git(['add', '.'], fixtures.repoDir);
    git(['commit', '--quiet', '-m', 'later'], fixtures.repoDir);
    const newer = git(['rev-parse', 'main'], fixtures.repoDir);

    const again = await deps(gitEntry('    revision: main\n    subdirectory: git_utils\n'));
    expect(again.installed.find((entry) => entry.name === 'git_utils')?.commit).toBe(locked);
    const upgraded = await deps(gitEntry('    revision: main\n    subdirectory: git_utils\n'), { upgrade: true });
    expect(upgraded.installed.find((entry) => entry.name === 'git_utils')?.commit).toBe(newer);
    expect(await readFile(path.join(fixtures.projectDir, 'package-lock.yml'), 'utf8')).toContain(`revision: ${newer}`);
  });
});

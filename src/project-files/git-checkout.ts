// The system `git`, run with an argument array (never through a shell), to fetch a git package
// at a revision: a clone, then a detached checkout of the commit the revision names.
// https://docs.getdbt.com/docs/build/packages (git packages)

import { execFile } from 'node:child_process';

export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
}

/** Runs `git args…` in `cwd`; its stdout, or a GitCommandError with git's first line of complaint. */
export function runGit(args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // No prompt for credentials: deps runs unattended, and a prompt would hang it.
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo' };
    execFile('git', [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim());
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(new GitCommandError('git is not installed (or not on PATH); install git to use git: packages'));
      const said = stderr
        .split('\n')
        .map((line) => line.replace(/^(?:fatal|error): /, '').trim())
        .find((line) => line !== '');
      reject(new GitCommandError(said ?? error.message));
    });
  });
}

/** Clones `url` into `dir` and checks out `revision` (HEAD when none); the commit it is at. */
export async function cloneAtRevision(url: string, revision: string | undefined, dir: string): Promise<string> {
  // `--` ends the options: a URL can never be read as one.
  await runGit(['clone', '--quiet', '--no-checkout', '--', url, dir]);
  const commit = await resolveRevision(dir, revision ?? 'HEAD');
  await runGit(['checkout', '--quiet', '--detach', commit], dir);
  return commit;
}

/** A tag, a commit, or a branch of the remote (a clone has only the default one locally). */
async function resolveRevision(dir: string, revision: string): Promise<string> {
  for (const candidate of [revision, `origin/${revision}`]) {
    try {
      return await runGit(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], dir);
    } catch {
      // not this form; try the next
    }
  }
  throw new GitCommandError(`revision ${revision} is not a tag, branch or commit of the repository`);
}

// Waiting for a state a test can observe (a file's content, a row in pg_stat_activity) instead
// of sleeping: the check runs again as soon as the event loop is free, until it answers.

import { setImmediate as nextTurn } from 'node:timers/promises';

/** Resolves with the first non-undefined answer of `check`; rejects once `until` settles first. */
export async function waitFor<T>(check: () => Promise<T | undefined>, until: Promise<unknown>, what: string): Promise<T> {
  let over = false;
  void until.then(
    () => {
      over = true;
    },
    () => {
      over = true;
    },
  );
  for (;;) {
    const answer = await check();
    if (answer !== undefined) return answer;
    if (over) throw new Error(`waitFor: ${what} never happened before the process ended`);
    await nextTurn();
  }
}

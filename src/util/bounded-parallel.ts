// Runs tasks with at most `limit` in flight and collects every outcome, so one failing table
// never hides the others' results.

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function runBounded<I, T>(items: readonly I[], limit: number, task: (item: I) => Promise<T>): Promise<Outcome<T>[]> {
  const outcomes: Outcome<T>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, value: await task(items[index]!) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return outcomes;
}

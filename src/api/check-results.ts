// The shape `debug` and `smoke` report in, and how it prints: light enough for the CLI to load
// before it knows which command runs.

export { checksFailed, formatCheckTable, type CheckResult, type CheckStatus } from '../diagnose/checks.js';

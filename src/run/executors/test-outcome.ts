// A data test's result as a node outcome, the same whether the test ran as a node of its own or
// as part of a model's audit.

import type { AuditedTest } from '../materializations/index.js';
import type { NodeOutcome } from '../node-status.js';

export function testOutcome(result: Pick<AuditedTest, 'status' | 'failures' | 'message'>, where?: string): NodeOutcome {
  if (result.status === 'error') return { status: 'error', message: result.message };
  const suffix = where ? ` ${where}` : '';
  return { status: result.status, failures: result.failures, message: result.status === 'pass' ? undefined : `${result.failures} failing row(s)${suffix}` };
}

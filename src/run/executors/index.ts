// One executor per resource type; the runner looks a node's up by its resource_type.

import type { Executors } from './execution-context.js';
import { executeModel } from './model-executor.js';
import { executeSeed } from './seed-executor.js';
import { executeSnapshot } from './snapshot-executor.js';
import { executeSource } from './source-executor.js';
import { executeTest } from './test-executor.js';
import { executeUnitTest } from './unit-test-executor.js';

export type { ExecutionContext, Executors, NodeExecutor } from './execution-context.js';

export const EXECUTORS: Executors = {
  source: executeSource,
  seed: executeSeed,
  snapshot: executeSnapshot,
  model: executeModel,
  test: executeTest,
  unit_test: executeUnitTest,
};

// Which tests guard governance: the built-in `no_pii`, and any test tagged `governance` (in its
// config or on the node). A model failing one is never readable by a role without `pii: true`.

import type { TestNode } from './manifest.js';

export const GOVERNANCE_TAG = 'governance';

export function isGovernanceTest(test: Pick<TestNode, 'test_metadata' | 'tags' | 'config'>): boolean {
  return test.test_metadata?.name === 'no_pii' || test.tags.includes(GOVERNANCE_TAG) || test.config.tags.includes(GOVERNANCE_TAG);
}

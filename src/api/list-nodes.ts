// `ls`: compile, then select, and return the nodes a selection picks, in graph order.

import { selectNodes } from '../graph/index.js';
import { logger } from '../log/logger.js';
import { getNode, type AnyNode, type ResourceType } from '../manifest/index.js';
import { compileStage } from './compile-stage.js';
import type { GraphOptions } from './graph-options.js';
import { readState } from './read-state.js';
import type { GlobalOptions } from './runtime.js';

export async function listNodes(globals: GlobalOptions, options: GraphOptions & { resourceType?: ResourceType }): Promise<AnyNode[]> {
  const { compiled, project } = await compileStage(globals, options);
  const selection = selectNodes(compiled.manifest, {
    select: options.select,
    exclude: options.exclude,
    selector: options.selector,
    ...(await readState(project, options)),
    resourceTypes: options.resourceType ? [options.resourceType] : undefined,
  });
  for (const warning of selection.warnings) logger.warn(warning);
  return selection.selected.flatMap((id) => {
    const node = getNode(compiled.manifest, id);
    return node ? [node] : [];
  });
}

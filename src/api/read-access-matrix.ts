// The access matrix of the live warehouse: the project's roles, the grants the catalog holds
// now and the manifest's classified columns. Shared by `pgshift access` and the report's
// Access section, so both show the same thing.

import type { Project } from '../config/project.js';
import { accessMatrix, grantPolicyForRun, manifestRelations, readGrants, type AccessMatrix } from '../governance/index.js';
import type { Manifest } from '../manifest/manifest.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export async function readAccessMatrix(warehouse: Warehouse, project: Project, manifest: Manifest): Promise<AccessMatrix> {
  const policy = grantPolicyForRun(project, manifest.metadata.target, manifest);
  const snapshot = await readGrants(warehouse, policy);
  return accessMatrix(policy, snapshot, manifestRelations(manifest));
}

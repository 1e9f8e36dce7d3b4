// Whether a target may run without PGSHIFT_PII_KEY. A prod target may not: hashes keyed with the
// public development key can be reversed by hashing candidate values (e-mail addresses, IDs).
// Every command checks this once, before it reads a row or compiles a model.

import { ConfigError } from '../errors.js';
import type { Environment } from './target.js';

export const PII_KEY_VARIABLE = 'PGSHIFT_PII_KEY';

/** The target name that marks production: it needs the secret key of the PII hashes. */
export const PROD_TARGET_NAME = 'prod';

/** One line, the same whichever command refuses, and the same the pii_key() macro raises. */
export const PII_KEY_MISSING_MESSAGE = `${PII_KEY_VARIABLE} is not set: target '${PROD_TARGET_NAME}' needs the secret key of the PII hashes. Set ${PII_KEY_VARIABLE} in the environment (from the secrets store) and run the command again; changing the key changes every hashed join key.`;

export function requirePiiKeyFor(targetName: string, env: Environment = process.env): void {
  if (targetName === PROD_TARGET_NAME && !env[PII_KEY_VARIABLE]?.trim()) {
    throw new ConfigError(PII_KEY_MISSING_MESSAGE, { target: targetName, variable: PII_KEY_VARIABLE });
  }
}

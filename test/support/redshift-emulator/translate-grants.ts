// Redshift's role-based GRANT/REVOKE names its grantee with ROLE (`grant select on table t to
// role marketing`, https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html); PostgreSQL
// names roles and users alike (`to marketing`). Dropping the keyword gives the same effect.

import type { TokenEdits } from './token-edits.js';

export function rewriteRoleGrantees(edits: TokenEdits): void {
  const first = edits.word(0);
  if (first !== 'grant' && first !== 'revoke') return;
  for (let p = 1; p < edits.length - 1; p += 1) {
    const word = edits.word(p);
    // `grant role r to role s` (membership) as well as `… to role s` / `… from role s`.
    if ((word === 'to' || word === 'from' || (p === 1 && word === 'role')) && edits.word(p + 1) === 'role') edits.replace(p + 1, '');
    if (p === 1 && word === 'role') edits.replace(p, '');
  }
}

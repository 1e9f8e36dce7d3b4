// The IAM_ROLE clause of the load's COPY, as AWS documents it: IAM_ROLE { default | 'arn:…' }
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-authorization.html).

import { describe, expect, it } from 'vitest';
import { copyFromManifestSql } from '../../src/warehouse/redshift-copy-sql.js';

const copyWith = (iamRole: string) => copyFromManifestSql('"raw"."orders"', ['id'], 's3://b/m.json', { iamRole });

describe('the COPY role', () => {
  it('sends the keyword default unquoted, in any case, so the cluster uses its default role', () => {
    expect(copyWith('default')).toMatch(/^iam_role default$/m);
    expect(copyWith('DEFAULT')).toMatch(/^iam_role default$/m);
  });

  it('sends a role ARN as a quoted literal', () => {
    expect(copyWith('arn:aws:iam::123456789012:role/copy')).toMatch(/^iam_role 'arn:aws:iam::123456789012:role\/copy'$/m);
  });
});

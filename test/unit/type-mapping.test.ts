// Source types → Redshift raw types where the COPY formats are the reason for the choice.

import { describe, expect, it } from 'vitest';
import type { SourceColumn } from '../../src/extract/source-introspection.js';
import { mapColumnType } from '../../src/load/type-mapping.js';

const column = (type: string): SourceColumn => ({ name: 'c', type, udt: type, kind: 'base', category: 'D', nullable: true, builtin: true });

describe('mapColumnType for Redshift', () => {
  it('loads time and timetz as their ISO text: COPY documents no TIME or TIMETZ format', () => {
    expect(mapColumnType(column('time without time zone'), 'redshift')).toMatchObject({ type: 'character varying(15)' });
    expect(mapColumnType(column('time(3) without time zone'), 'redshift')).toMatchObject({ type: 'character varying(15)' });
    expect(mapColumnType(column('time with time zone'), 'redshift')).toMatchObject({ type: 'character varying(24)' });
    expect(mapColumnType(column('time with time zone'), 'redshift').warning).toContain('::timetz');
  });

  it('keeps date, timestamp and timestamptz, whose COPY defaults the extract writes', () => {
    for (const type of ['date', 'timestamp without time zone', 'timestamp with time zone']) expect(mapColumnType(column(type), 'redshift')).toEqual({ type });
    expect(mapColumnType(column('timestamp(3) with time zone'), 'redshift')).toEqual({ type: 'timestamp with time zone' });
  });

  it('says unconstrained numerics are rounded, as COPY … ROUNDEC does', () => {
    expect(mapColumnType({ ...column('numeric'), category: 'N' }, 'redshift').warning).toContain('rounded (COPY … ROUNDEC)');
  });
});

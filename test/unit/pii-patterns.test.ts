// What counts as personal data in a text value, and proof that the no_pii data test
// (src/compile/builtin-macros/no-pii.ts) and the scanner (src/governance) check exactly the same thing.

import { describe, expect, it } from 'vitest';
import type { TestNode } from '../../src/manifest/index.js';
import {
  CARD_DIGITS_PATTERN,
  CARD_PATTERN,
  cardCandidate,
  containsCardNumber,
  detectPii,
  DATE_PATTERN,
  EMAIL_PATTERN,
  failsClassCheck,
  luhnValid,
  MASKED_PATTERN,
  PHONE_DIGITS_PATTERN,
  PHONE_PATTERN,
} from '../../src/governance/pii-patterns.js';
import { piiScanSql } from '../../src/governance/pii-scan-sql.js';
import { noPii } from '../../src/compile/builtin-macros/no-pii.js';
import { bareProject, compile, nodeNamed, type TargetType } from './compile-fixture.js';

const MACRO_FILE = noPii.path;
const macroText = noPii.text;

describe('e-mail addresses', () => {
  it.each(['max.mustermann@example.de', 'a@b.co', 'Contact: ANNA_K+shop@mail.example.com.', ' lena.schmidt1987@web.de '])('finds %j', (text) => {
    expect(detectPii(text)).toEqual(['email']);
  });

  it.each(['j***@example.com', 'user at example dot com', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'foo@localhost'])(
    'ignores %j',
    (text) => {
      expect(detectPii(text)).toEqual([]);
    },
  );
});

describe('phone numbers', () => {
  // The formats the demo shop's customers type, plus common foreign ones.
  it.each([
    '+49 151 2345678',
    '+491512345678',
    '0151/2345678',
    '(030) 123-456',
    '(0221) 123-4567',
    '020 7946 0958',
    '555-123-4567',
    'tel: 555.123.4567.',
    '+1 (415) 555-2671',
    'call 030 1234567 after 6',
  ])('finds %j', (text) => {
    expect(detectPii(text)).toEqual(['phone']);
  });

  it.each([
    '2024-01-15',
    '2024-01-15 10:30:00',
    '192.168.001.010',
    'ORD-2024-000123',
    '4155552671',
    '12345678901',
    '1.234.567',
    'version 1.2.3',
    'order 12 of 2024-03-02',
  ])('ignores %j (dates, ids, versions, bare digit runs)', (text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('does not read the digit groups of a card number as a phone number', () => {
    expect(detectPii('4111 1111 1111 1111')).toEqual(['card_number']);
    expect(detectPii('5500-0000-0000-0004')).toEqual(['card_number']);
  });
});

describe('card numbers', () => {
  it('checks the Luhn sum', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('5500000000000004')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111-1111')).toBe(false);
  });

  it('finds 13 to 19 digits, grouped by spaces or hyphens, that pass the Luhn check', () => {
    expect(detectPii('4111111111111111')).toEqual(['card_number']);
    expect(detectPii('card 3782 822463 10005 exp 12/27')).toEqual(['card_number']);
    expect(detectPii('4111111111111112')).toEqual([]);
  });

  it('ignores digit runs that are too short, too long, or follow a +', () => {
    expect(cardCandidate('411111111111')).toBeUndefined();
    expect(cardCandidate('41111111111111111111')).toBeUndefined();
    expect(cardCandidate('+4915123456789')).toBeUndefined();
  });

  it('checks only the first card-like number of a value, as REGEXP_SUBSTR in the SQL test does', () => {
    expect(cardCandidate('ref 1234567890123 card 4111111111111111')).toBe('1234567890123');
    expect(detectPii('ref 1234567890123 card 4111111111111111')).toEqual([]);
  });

  it('finds several kinds in one value', () => {
    expect(detectPii('mail anna@example.com or call +49 151 2345678, card 4111 1111 1111 1111')).toEqual(['email', 'phone', 'card_number']);
  });
});

describe('patterns stay portable', () => {
  it('use no backslashes (Redshift literals read them as escapes) and no lookaround', () => {
    for (const pattern of [EMAIL_PATTERN, PHONE_PATTERN, CARD_PATTERN, CARD_DIGITS_PATTERN, PHONE_DIGITS_PATTERN, DATE_PATTERN, MASKED_PATTERN]) {
      expect(pattern).not.toMatch(/[\\']|\(\?/);
    }
  });
});

describe('the no_pii macro', () => {
  const macroBody = (name: string): string => {
    const match = new RegExp(`\\{% macro ${name}\\(\\) -%\\}\\n(.*)\\n\\{%- endmacro %\\}`).exec(macroText);
    if (!match) throw new Error(`no macro ${name} in ${MACRO_FILE}`);
    return match[1]!;
  };

  it('carries the same patterns as pii-patterns.ts', () => {
    expect(macroBody('pii_email_pattern')).toBe(EMAIL_PATTERN);
    expect(macroBody('pii_phone_pattern')).toBe(PHONE_PATTERN);
    expect(macroBody('pii_card_pattern')).toBe(CARD_PATTERN);
    expect(macroBody('pii_card_digits_pattern')).toBe(CARD_DIGITS_PATTERN);
    expect(macroBody('pii_phone_digits_pattern')).toBe(PHONE_DIGITS_PATTERN);
    expect(macroBody('pii_date_pattern')).toBe(DATE_PATTERN);
    expect(macroBody('pii_masked_pattern')).toBe(MASKED_PATTERN);
  });

  it('adds the class check of a column classified in schema.yml, named after the class', async () => {
    const sql = await testSql(
      `version: 2
models:
  - name: dim_customers
    columns:
      - name: notes
        meta: { pii: free_text }
    data_tests:
      - no_pii:
          columns: [email_hash, notes]
`,
      'postgres',
    );
    expect(sql).toContain(`'free_text (classified)' as pii_type`);
    expect(sql).toContain(`where column_name = 'notes' and value is not null`);
    expect(sql).not.toContain(`where column_name = 'email_hash'`);
  });

  const project = (schemaYml: string) =>
    bareProject(
      { 'models/marts/dim_customers.sql': "{{ config(schema='marts') }}\nselect 1 as customer_id, 'x' as email_hash, 'y' as notes" },
      { schemaFiles: { 'models/marts/schema.yml': schemaYml } },
    );
  const testSql = async (schemaYml: string, type: TargetType): Promise<string> => {
    const manifest = compile(await project(schemaYml), type);
    const test = Object.values(manifest.nodes).find((node): node is TestNode => node.resource_type === 'test');
    if (!test) throw new Error('the project compiled no test');
    return test.compiled_code;
  };
  const squeeze = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

  const onModel = `version: 2
models:
  - name: dim_customers
    data_tests:
      - no_pii:
          columns: [email_hash, notes]
`;

  it.each(['postgres', 'redshift'] as const)('renders, on %s, the very query the scanner runs', async (type) => {
    const sql = await testSql(onModel, type);
    expect(squeeze(sql)).toBe(squeeze(piiScanSql(type, '"analytics_marts"."dim_customers"', ['email_hash', 'notes'])));
  });

  it('scans the column it is written on', async () => {
    const sql = await testSql(
      `version: 2
models:
  - name: dim_customers
    columns:
      - name: notes
        data_tests: [no_pii]
`,
      'postgres',
    );
    expect(sql).toContain(`select 'notes' as column_name, cast(notes as text) as value from "analytics_marts"."dim_customers"`);
    expect(sql).not.toContain('email_hash');
  });

  it('names the missing columns argument when written on a model without one', async () => {
    const files = await project(`version: 2
models:
  - name: dim_customers
    data_tests: [no_pii]
`);
    expect(() => compile(files)).toThrow(/no_pii scans the columns it is given/);
  });

  it('is named like any dbt generic test', async () => {
    const manifest = compile(await project(onModel));
    expect(nodeNamed(manifest, 'no_pii_dim_customers_email_hash__notes').resource_type).toBe('test');
  });
});

describe('card numbers inside other tokens', () => {
  it('are not found in a hex hash even when a digit run passes the Luhn check', () => {
    const hash = 'a1b2c34111111111111111d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5';
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(containsCardNumber(hash)).toBe(false);
    expect(containsCardNumber('card 4111 1111 1111 1111 on file')).toBe(true);
  });
});

describe('checks of classified columns', () => {
  it.each([
    ['phone', '14033335568'],
    ['phone', '+491512345678'],
    ['phone', 'call 4155552671'],
    ['birth_date', '1987-04-12'],
    ['birth_date', '1987-04-12 00:00:00'],
    ['birth_date', '12.04.1987'],
    ['email', 'user@localhost'],
    ['email', 'jane.doe@example.com'],
    ['email', 'unknown'],
    ['name', 'Jane'],
    ['address', '52.52'],
    ['secret', 'AB123456C'],
    ['free_text', 'a***\nJane Doe called'],
  ] as const)('a %s column holding %j fails', (pii, value) => {
    expect(failsClassCheck(pii, value)).toBe(true);
  });

  it.each([
    ['phone', '5678'],
    ['phone', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['birth_date', '1987'],
    ['birth_date', '25-34'],
    ['birth_date', '65+'],
    ['email', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['email', 'j***@example.com'],
    ['email', '***'],
    ['email', ''],
    ['name', 'J***'],
    ['name', '[redacted]'],
    ['address', '   '],
  ] as const)('a %s column holding %j passes', (pii, value) => {
    expect(failsClassCheck(pii, value)).toBe(false);
  });
});

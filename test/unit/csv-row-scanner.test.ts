import { describe, expect, it } from 'vitest';
import { CsvRowScanner } from '../../src/extract/csv-row-scanner.js';

const csv = '1,plain\n2,"quoted, with comma"\n3,"multi\nline ""quoted"" text"\n4,""\n5,\n';

describe('CsvRowScanner', () => {
  it('counts rows, ignoring newlines and doubled quotes inside quoted fields', () => {
    const scanner = new CsvRowScanner();
    scanner.scan(Buffer.from(csv));
    expect(scanner.rows).toBe(5);
  });

  it('gives the same answer whatever the chunking, down to one byte at a time', () => {
    const bytes = Buffer.from(csv);
    for (const size of [1, 2, 3, 7, 16]) {
      const scanner = new CsvRowScanner();
      for (let offset = 0; offset < bytes.length; offset += size) scanner.scan(bytes.subarray(offset, offset + size));
      expect(scanner.rows).toBe(5);
    }
  });

  it('can stop right after a row so a part file can end there', () => {
    const scanner = new CsvRowScanner();
    const bytes = Buffer.from(csv);
    const split = scanner.scan(bytes, () => true);
    expect(bytes.subarray(0, split).toString()).toBe('1,plain\n');
    const secondSplit = scanner.scan(bytes.subarray(split!), (offset) => offset > 30);
    expect(bytes.subarray(split!, split! + secondSplit!).toString()).toBe('2,"quoted, with comma"\n3,"multi\nline ""quoted"" text"\n');
  });
});

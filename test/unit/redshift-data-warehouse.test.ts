import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  type DescribeStatementResponse,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type GetStatementResultResponse,
  type StatusString,
} from '@aws-sdk/client-redshift-data';
import { describe, expect, it } from 'vitest';
import type { RedshiftTarget } from '../../src/config/target.js';
import { CancelledError, ConfigError, LoadError, WarehouseError } from '../../src/errors.js';
import { registerSecret } from '../../src/log/redact.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import { bindDataApiParameters, inlineRedshiftValues, redshiftValueLiteral } from '../../src/warehouse/redshift-parameters.js';
import type { DataApiClient, DataApiCommand } from '../../src/warehouse/redshift-statement-runner.js';
import type { BatchLoadRequest } from '../../src/warehouse/warehouse.js';

const TARGET: RedshiftTarget = {
  name: 'prod',
  type: 'redshift',
  schema: 'analytics',
  database: 'dev',
  clusterIdentifier: 'analytics-cluster',
  dbUser: 'loader',
  region: 'us-east-1',
  iamRole: 'arn:aws:iam::123456789012:role/pgshift-loader',
  statementTimeoutMs: 60_000,
};

/** How the fake service treats the next submitted statement. */
interface Script {
  /** Status per DescribeStatement call; the last one repeats. */
  statuses?: StatusString[];
  /** Merged into DescribeStatement once the status is final. */
  final?: Partial<DescribeStatementResponse>;
  pages?: GetStatementResultResponse[];
  refuse?: Error;
  /** The status a cancel leads to (ABORTED unless the statement wins the race). */
  afterCancel?: StatusString;
  /** Thrown by the first DescribeStatement calls, one each, before the statuses apply. */
  describeErrors?: Error[];
  /** Thrown by the first GetStatementResult calls, one each. */
  resultErrors?: Error[];
}

/** A stand-in for RedshiftDataClient that records every command and follows scripts. */
class FakeDataApi implements DataApiClient {
  readonly sent: DataApiCommand[] = [];
  private readonly scripts: Script[] = [];
  private readonly statements = new Map<string, { script: Script; describes: number; cancelled: boolean }>();
  private count = 0;

  script(...scripts: Script[]): this {
    this.scripts.push(...scripts);
    return this;
  }

  of<T extends DataApiCommand>(type: abstract new (...args: never[]) => T): T[] {
    return this.sent.filter((command): command is T => command instanceof type);
  }

  async send(command: DataApiCommand): Promise<unknown> {
    this.sent.push(command);
    if (command instanceof ExecuteStatementCommand || command instanceof BatchExecuteStatementCommand) {
      const script = this.scripts.shift() ?? {};
      if (script.refuse) throw script.refuse;
      const id = `statement-${++this.count}`;
      this.statements.set(id, { script, describes: 0, cancelled: false });
      return { Id: id };
    }
    const statement = this.statements.get(command.input.Id!)!;
    if (command instanceof CancelStatementCommand) {
      statement.cancelled = true;
      return { Status: true };
    }
    if (command instanceof DescribeStatementCommand) {
      const describeError = statement.script.describeErrors?.shift();
      if (describeError) throw describeError;
      const statuses = statement.cancelled ? [statement.script.afterCancel ?? 'ABORTED'] : (statement.script.statuses ?? ['FINISHED']);
      const status = statuses[Math.min(statement.describes++, statuses.length - 1)]!;
      const final = status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED';
      return { Id: command.input.Id, Status: status, ...(final ? statement.script.final : {}) };
    }
    const resultError = statement.script.resultErrors?.shift();
    if (resultError) throw resultError;
    const pages = statement.script.pages ?? [];
    const index = command.input.NextToken ? Number(command.input.NextToken) : 0;
    return pages[index];
  }
}

/** Time that passes only when the runner sleeps, so backoff and timeouts are exact. */
function fakeClock(onSleep?: (ms: number) => void) {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
      onSleep?.(ms);
    },
  };
}

function warehouseWith(api: FakeDataApi, target: RedshiftTarget = TARGET, clock = fakeClock()): RedshiftDataWarehouse {
  return new RedshiftDataWarehouse(target, api, { now: clock.now, sleep: clock.sleep, random: () => 0 });
}

const THROTTLED = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const SERIALIZATION_ERROR = 'ERROR: 1023 DETAIL: Serializable isolation violation on table - 100212, transactions forming the cycle are: 1, 2 (pid:1)';

describe('RedshiftDataWarehouse (unit, with a fake Data API client)', () => {
  describe('parameters', () => {
    it('rewrites $1…$n to named parameters and sends every value as a string', async () => {
      const api = new FakeDataApi().script({ final: { ResultRows: 1 } });
      const result = await warehouseWith(api).execute('insert into t values ($1, $2, $3, $4, $5, $6, $1)', [
        42,
        12345678901234567890n,
        true,
        new Date('2026-11-23T00:00:00Z'),
        { tags: ['a'] },
        "it's",
      ]);
      expect(result).toEqual({ rowCount: 1 });
      const [command] = api.of(ExecuteStatementCommand);
      expect(command!.input).toMatchObject({
        ClusterIdentifier: 'analytics-cluster',
        Database: 'dev',
        DbUser: 'loader',
        Sql: 'insert into t values (:p1, :p2, :p3, :p4, :p5, :p6, :p1)',
        Parameters: [
          { name: 'p1', value: '42' },
          { name: 'p2', value: '12345678901234567890' },
          { name: 'p3', value: 'true' },
          { name: 'p4', value: '2026-11-23T00:00:00.000Z' },
          { name: 'p5', value: '{"tags":["a"]}' },
          { name: 'p6', value: "it's" },
        ],
      });
    });

    it('inlines NULL and empty strings, which the Data API cannot carry as parameters', () => {
      expect(bindDataApiParameters('select $1, $2, $3', [null, '', undefined])).toEqual({ sql: "select NULL, '', NULL", parameters: [] });
    });

    it('leaves $n alone inside literals, quoted names, comments, dollar-quoted bodies and names', () => {
      const sql = `select '$1', 'it''s $1', 'a\\'$1', "col$1", a$1 -- $1
        /* $1 /* nested $1 */ $1 */ , $$ $1 $$, $body$ $1 $body$, $1`;
      const bound = bindDataApiParameters(sql, ['x']);
      expect(bound.sql).toBe(sql.replace(/, \$1$/, ', :p1'));
      expect(bound.parameters).toEqual([{ name: 'p1', value: 'x' }]);
    });

    it('gives each statement of a batch its own parameter names', () => {
      expect(bindDataApiParameters('select $1', [7], 's3_p')).toEqual({ sql: 'select :s3_p1', parameters: [{ name: 's3_p1', value: '7' }] });
    });

    it('inlines hostile values as literals with no backslash and no unpaired quote inside them', () => {
      expect(redshiftValueLiteral("x'); drop table raw.customers; --")).toBe("'x''); drop table raw.customers; --'");
      expect(redshiftValueLiteral("\\'; drop table t; --")).toBe("('' || chr(92) || '''; drop table t; --')");
      expect(redshiftValueLiteral('a\\\\b\\')).toBe("('a' || chr(92) || '' || chr(92) || 'b' || chr(92) || '')");
      expect(redshiftValueLiteral('line\nbreak :p1 $1 ü')).toBe("'line\nbreak :p1 $1 ü'");
      expect(redshiftValueLiteral(null)).toBe('NULL');
      expect(redshiftValueLiteral('')).toBe("''");
      expect(redshiftValueLiteral(-1.5)).toBe('-1.5');
      expect(redshiftValueLiteral(Number.NaN)).toBe("'NaN'");
      expect(redshiftValueLiteral(12345678901234567890n)).toBe('12345678901234567890');
      expect(redshiftValueLiteral(false)).toBe('false');
      expect(redshiftValueLiteral({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
      expect(() => redshiftValueLiteral('nul\u0000byte')).toThrow(WarehouseError);
      // Placeholders inside literals and names stay untouched; each $n becomes one literal.
      expect(inlineRedshiftValues(`select '$1', "c$1", $1, $2`, ["o'k", null])).toBe(`select '$1', "c$1", 'o''k', NULL`);
    });

    it('refuses a placeholder without a value, an unused value and binary values', () => {
      expect(() => bindDataApiParameters('select $2', ['a'])).toThrow('$2 has no value: the statement was given 1 parameter(s)');
      expect(() => bindDataApiParameters('select $1', ['a', 'b'])).toThrow('parameter(s) $2 are not used by the statement');
      expect(() => bindDataApiParameters('select $1', [Buffer.from('x')])).toThrow(WarehouseError);
    });
  });

  describe('polling', () => {
    it('polls DescribeStatement with exponential backoff from 250 ms, capped at 5 s', async () => {
      const api = new FakeDataApi().script({
        statuses: ['SUBMITTED', 'PICKED', ...Array<StatusString>(7).fill('STARTED'), 'FINISHED'],
        final: { ResultRows: 3 },
      });
      const clock = fakeClock();
      expect(await warehouseWith(api, TARGET, clock).execute('delete from t')).toEqual({ rowCount: 3 });
      expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
      expect(api.of(DescribeStatementCommand)).toHaveLength(10);
    });

    it('cancels a statement that outlives statement_timeout and says so', async () => {
      const api = new FakeDataApi().script({ statuses: ['STARTED'] });
      const clock = fakeClock();
      const failure = (await warehouseWith(api, { ...TARGET, statementTimeoutMs: 1000 }, clock)
        .execute('select slow()')
        .catch((error: unknown) => error)) as WarehouseError;
      expect(failure).toBeInstanceOf(WarehouseError);
      expect(failure.message).toBe(
        "Redshift statement statement-1 did not finish within 1s (the target's statement_timeout); it was cancelled and rolled back\n  in: select slow()",
      );
      expect(failure.context.statementId).toBe('statement-1');
      // The last wait is cut to the time left before the deadline.
      expect(clock.sleeps).toEqual([250, 500, 250]);
      expect(api.of(CancelStatementCommand).map((command) => command.input.Id)).toEqual(['statement-1']);
    });

    it('returns the result of a statement that finished just before the timeout cancel reached it', async () => {
      const api = new FakeDataApi().script({ statuses: ['STARTED'], afterCancel: 'FINISHED', final: { ResultRows: 5 } });
      expect(await warehouseWith(api, { ...TARGET, statementTimeoutMs: 100 }).execute('delete from t')).toEqual({ rowCount: 5 });
      expect(api.of(CancelStatementCommand)).toHaveLength(1);
    });

    it('reports FAILED with Redshift’s error, the statement id and the redacted, shortened SQL', async () => {
      registerSecret('sk-live-0123456789');
      const api = new FakeDataApi().script({ statuses: ['STARTED', 'FAILED'], final: { Error: 'ERROR: relation "t" does not exist' } });
      const sql = `select * from t where token_value = 'sk-live-0123456789' and note = '${'x'.repeat(600)}'`;
      const failure = (await warehouseWith(api)
        .execute(sql)
        .catch((error: unknown) => error)) as WarehouseError;
      expect(failure).toBeInstanceOf(WarehouseError);
      expect(failure.message).toMatch(
        /^Redshift statement statement-1 failed: ERROR: relation "t" does not exist\n {2}in: select \* from t where token_value = '\*\*\*' and note = 'x+…$/,
      );
      expect(failure.message.split('\n  in: ')[1]).toHaveLength(501);
      expect(failure.message).not.toContain('sk-live');
      expect(failure.context.statementId).toBe('statement-1');
    });

    it('turns a statement cancelled elsewhere (ABORTED) into a CancelledError', async () => {
      const api = new FakeDataApi().script({ statuses: ['STARTED', 'ABORTED'] });
      await expect(warehouseWith(api).execute('vacuum t')).rejects.toThrow(CancelledError);
    });

    it('cancels the statement on Redshift when the caller aborts', async () => {
      const abort = new AbortController();
      const api = new FakeDataApi().script({ statuses: ['STARTED'] });
      const clock = fakeClock(() => clock.sleeps.length === 3 && abort.abort());
      const failure = (await warehouseWith(api, TARGET, clock)
        .execute('select slow()', [], { signal: abort.signal })
        .catch((error: unknown) => error)) as CancelledError;
      expect(failure).toBeInstanceOf(CancelledError);
      expect(failure.message).toBe('cancelled Redshift statement statement-1: it was cancelled and rolled back');
      expect(api.of(CancelStatementCommand).map((command) => command.input.Id)).toEqual(['statement-1']);
    });

    it('sends nothing when the signal has already aborted', async () => {
      const api = new FakeDataApi();
      await expect(warehouseWith(api).execute('select 1', [], { signal: AbortSignal.abort() })).rejects.toThrow(CancelledError);
      expect(api.sent).toEqual([]);
    });

    it('keeps following a healthy statement through throttled DescribeStatement calls, without cancelling it', async () => {
      const api = new FakeDataApi().script({
        describeErrors: [THROTTLED, THROTTLED, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
        statuses: ['STARTED', 'FINISHED'],
        final: { ResultRows: 2 },
      });
      expect(await warehouseWith(api).execute('delete from t')).toEqual({ rowCount: 2 });
      expect(api.of(CancelStatementCommand)).toEqual([]);
      expect(api.of(DescribeStatementCommand)).toHaveLength(5);
    });

    it('cancels a statement it can no longer follow because DescribeStatement refuses for good', async () => {
      const denied = Object.assign(new Error('not authorized to perform redshift-data:DescribeStatement'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
      const api = new FakeDataApi().script({ describeErrors: [denied], statuses: ['STARTED'] });
      await expect(warehouseWith(api).execute('delete from t')).rejects.toThrow(
        'could not follow Redshift statement statement-1: not authorized to perform redshift-data:DescribeStatement; asked Redshift to cancel it',
      );
      expect(api.of(CancelStatementCommand)).toHaveLength(1);
    });

    it('sends a throttled submission again after a backoff', async () => {
      const api = new FakeDataApi().script({ refuse: THROTTLED }, { refuse: THROTTLED }, { final: { ResultRows: 1 } });
      const clock = fakeClock();
      expect(await warehouseWith(api, TARGET, clock).execute('delete from t')).toEqual({ rowCount: 1 });
      expect(api.of(ExecuteStatementCommand)).toHaveLength(3);
      expect(clock.sleeps.slice(0, 2)).toEqual([1000, 2000]);
    });

    it('sends a statement again after ERROR 1023 rolled it back, and gives up after the configured retries', async () => {
      const conflict: Script = { statuses: ['FAILED'], final: { Error: SERIALIZATION_ERROR } };
      const api = new FakeDataApi().script(conflict, { final: { ResultRows: 4 } });
      expect(await warehouseWith(api).execute('insert into t select * from s')).toEqual({ rowCount: 4 });
      expect(api.of(ExecuteStatementCommand)).toHaveLength(2);

      const always = new FakeDataApi().script(conflict, conflict, conflict, conflict, conflict, conflict);
      await expect(warehouseWith(always).execute('insert into t select * from s')).rejects.toThrow('Serializable isolation violation');
      expect(always.of(ExecuteStatementCommand)).toHaveLength(5);
    });

    it('does not retry other failures', async () => {
      const api = new FakeDataApi().script({ statuses: ['FAILED'], final: { Error: 'ERROR: relation "t" does not exist' } });
      await expect(warehouseWith(api).execute('select * from t')).rejects.toThrow('relation "t" does not exist');
      expect(api.of(ExecuteStatementCommand)).toHaveLength(1);
    });

    it('says how to set the region when none resolves', async () => {
      const api = new FakeDataApi().script({ refuse: new Error('Region is missing') });
      await expect(warehouseWith(api).execute('select 1')).rejects.toThrow('Region is missing (set region on the target in pgshift.yml, or AWS_REGION)');
    });

    it('wraps a refused submission in a WarehouseError that shows the SQL', async () => {
      const api = new FakeDataApi().script({
        refuse: Object.assign(new Error('Active statements exceeded the allowed quota'), {
          name: 'ActiveStatementsExceededException',
          $metadata: { httpStatusCode: 400 },
        }),
      });
      await expect(warehouseWith(api).execute('select 1')).rejects.toThrow(
        'warehouse target prod (Redshift Data API) refused the statement: Active statements exceeded the allowed quota\n  in: select 1',
      );
    });

    it('names the target when the Data API cannot be reached at all', async () => {
      // A timed-out request is retried like any other before the error surfaces.
      const unreachable = { refuse: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }) };
      const api = new FakeDataApi().script(unreachable, unreachable, unreachable, unreachable, unreachable);
      await expect(warehouseWith(api).execute('select 1')).rejects.toThrow('warehouse target prod (Redshift Data API) could not be reached: socket hang up');
    });
  });

  describe('query results', () => {
    it('pages GetStatementResult across NextToken and decodes each field by its column type', async () => {
      const columns = [
        { name: 'id', typeName: 'int8' },
        { name: 'n', typeName: 'int4' },
        { name: 'amount', typeName: 'numeric' },
        { name: 'ratio', typeName: 'float8' },
        { name: 'ok', typeName: 'bool' },
        { name: 'raw', typeName: 'varbyte' },
        { name: 'note', typeName: 'varchar' },
      ];
      const api = new FakeDataApi().script({
        final: { HasResultSet: true, ResultRows: 3 },
        pages: [
          {
            ColumnMetadata: columns,
            Records: [
              [
                { longValue: 1 },
                { longValue: 7 },
                { stringValue: '12.50' },
                { doubleValue: 0.5 },
                { booleanValue: true },
                { blobValue: Uint8Array.from([1, 2]) },
                { stringValue: 'a' },
              ],
            ],
            NextToken: '1',
          },
          {
            ColumnMetadata: columns,
            Records: [
              [
                { longValue: 2 },
                { isNull: true },
                { isNull: true },
                { doubleValue: Number.NaN },
                { booleanValue: false },
                { isNull: true },
                { stringValue: '' },
              ],
              [
                { longValue: 3 },
                { longValue: -1 },
                { stringValue: '0.00' },
                { doubleValue: Number.POSITIVE_INFINITY },
                { isNull: true },
                { isNull: true },
                { isNull: true },
              ],
            ],
          },
        ],
      });
      const rows = await warehouseWith(api).query('select * from t');
      expect(rows).toEqual([
        { id: '1', n: 7, amount: '12.50', ratio: 0.5, ok: true, raw: Buffer.from([1, 2]), note: 'a' },
        { id: '2', n: null, amount: null, ratio: Number.NaN, ok: false, raw: null, note: '' },
        { id: '3', n: -1, amount: '0.00', ratio: Number.POSITIVE_INFINITY, ok: null, raw: null, note: null },
      ]);
      expect(api.of(GetStatementResultCommand).map((command) => command.input)).toEqual([
        { Id: 'statement-1', NextToken: undefined },
        { Id: 'statement-1', NextToken: '1' },
      ]);
    });

    it('keys each row by the column label, which is the alias of an aliased column', async () => {
      const api = new FakeDataApi().script({
        final: { HasResultSet: true, ResultRows: 1 },
        pages: [
          {
            ColumnMetadata: [
              { name: 'count', label: 'orders', typeName: 'int8' },
              { name: 'id', label: 'id', typeName: 'int4' },
            ],
            Records: [[{ longValue: 5 }, { longValue: 1 }]],
          },
        ],
      });
      expect(await warehouseWith(api).query('select count(*) as orders, id from t group by id')).toEqual([{ orders: '5', id: 1 }]);
    });

    it('asks again for a result page the Data API throttled', async () => {
      const api = new FakeDataApi().script({
        final: { HasResultSet: true, ResultRows: 1 },
        resultErrors: [THROTTLED],
        pages: [{ ColumnMetadata: [{ name: 'n', label: 'n', typeName: 'int4' }], Records: [[{ longValue: 1 }]] }],
      });
      expect(await warehouseWith(api).query('select 1 as n')).toEqual([{ n: 1 }]);
      expect(api.of(GetStatementResultCommand)).toHaveLength(2);
    });

    it('does not ask for a result a statement does not have', async () => {
      const api = new FakeDataApi().script({ final: { HasResultSet: false, ResultRows: 0 } });
      expect(await warehouseWith(api).query('create table t (id int)')).toEqual([]);
      expect(api.of(GetStatementResultCommand)).toEqual([]);
    });
  });

  describe('transaction', () => {
    it('sends one BatchExecuteStatement without Parameters, its values inlined as literals, and reports row counts', async () => {
      const api = new FakeDataApi().script({
        final: {
          SubStatements: [
            { Id: 'statement-1:1', ResultRows: 2 },
            { Id: 'statement-1:2', ResultRows: 0 },
          ],
        },
      });
      const results = await warehouseWith(api).transaction([
        { sql: 'insert into t values ($1), ($2), ($3)', params: ['a\\b', null, "it's :role"] },
        { sql: 'delete from t where id = $1 and at < $2', params: [3, new Date('2026-11-23T00:00:00Z')] },
      ]);
      expect(results).toEqual([{ rowCount: 2 }, { rowCount: 0 }]);
      const [command] = api.of(BatchExecuteStatementCommand);
      expect(command!.input.Parameters).toBeUndefined();
      expect(command!.input.Sqls).toEqual([
        "insert into t values (('a' || chr(92) || 'b')), (NULL), ('it''s :role')",
        "delete from t where id = 3 and at < '2026-11-23T00:00:00.000Z'",
      ]);
    });

    it('names the failed statement of a batch and shows its SQL', async () => {
      const api = new FakeDataApi().script({
        statuses: ['FAILED'],
        final: {
          Error: 'ERROR: division by zero',
          SubStatements: [
            { Id: 'statement-1:1', Status: 'FINISHED' },
            { Id: 'statement-1:2', Status: 'FAILED', Error: 'ERROR: division by zero' },
          ],
        },
      });
      const failure = (await warehouseWith(api)
        .transaction([{ sql: 'insert into t values (1)' }, { sql: 'select 1 / 0' }])
        .catch((error: unknown) => error)) as WarehouseError;
      expect(failure.message).toBe('Redshift statement statement-1:2 failed: ERROR: division by zero\n  in: select 1 / 0');
      expect(failure.context.statementId).toBe('statement-1:2');
    });

    it('refuses more statements than one BatchExecuteStatement takes, before sending any', async () => {
      const api = new FakeDataApi();
      const statements = Array.from({ length: 41 }, () => ({ sql: 'select 1' }));
      await expect(warehouseWith(api).transaction(statements)).rejects.toThrow('a Redshift transaction holds at most 40 statements');
      expect(api.sent).toEqual([]);
    });
  });

  describe('loadBatch', () => {
    const REQUEST: BatchLoadRequest = {
      schema: 'raw',
      table: 'orders',
      columns: ['id', 'customer_id', 'note', 'ordered_at', '_pgshift_batch_id', '_pgshift_extracted_at'],
      batchIdColumn: '_pgshift_batch_id',
      batchId: '2026-11-23',
      replace: 'batch',
      expectedRows: 1234,
      bucket: 'pgshift-staging',
      manifestKey: 'batches/shop/orders/2026-11-23/manifest.json',
      parts: [
        { key: 'batches/shop/orders/2026-11-23/part-00000.csv.gz', bytes: 52_000 },
        { key: 'batches/shop/orders/2026-11-23/part-00001.csv.gz', bytes: 48_000 },
      ],
      afterLoad: [
        {
          sql: 'insert into pgshift_meta.batches (source, table_name, batch_id, rows, status) values ($1, $2, $3, $4, $5)',
          params: ['shop', 'orders', '2026-11-23', 1234, 'loaded'],
        },
      ],
      sharedTables: [['pgshift_meta', 'batches']],
    };

    /** The load's batch as SQL text, the way the golden files show it. */
    function render(command: BatchExecuteStatementCommand): string {
      const statements = command.input.Sqls!.map((sql) => `${sql};`).join('\n\n');
      const parameters = (command.input.Parameters ?? []).map((parameter) => `--   :${parameter.name} = ${JSON.stringify(parameter.value)}`);
      return `-- One BatchExecuteStatement: a single transaction, all or nothing.\n\n${statements}\n${parameters.length ? `\n-- Parameters\n${parameters.join('\n')}\n` : ''}`;
    }

    /** UPDATE_GOLDENS=1 rewrites the file after an intended change. */
    function expectGolden(name: string, actual: string): void {
      const file = path.resolve('test/goldens/redshift', name);
      if (process.env.UPDATE_GOLDENS === '1') {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, actual);
      }
      const expected = existsSync(file) ? readFileSync(file, 'utf8') : '(missing: run with UPDATE_GOLDENS=1)\n';
      expect(actual).toBe(expected);
    }

    it('replaces one batch: lock, delete its rows, COPY through the manifest, check the count, record it (golden)', async () => {
      const api = new FakeDataApi();
      expect(await warehouseWith(api).loadBatch(REQUEST)).toEqual({ rows: 1234 });
      const batches = api.of(BatchExecuteStatementCommand);
      expect(batches).toHaveLength(1);
      expectGolden('load-batch-replace-batch.sql', render(batches[0]!));
    });

    it('replaces a whole table: lock, COPY into a LIKE copy, check it, swap names, drop the old one (golden)', async () => {
      const api = new FakeDataApi();
      await warehouseWith(api).loadBatch({ ...REQUEST, replace: 'table' });
      expectGolden('load-batch-replace-table.sql', render(api.of(BatchExecuteStatementCommand)[0]!));
    });

    it('needs no stored procedure, so any identity with the table privileges can load', async () => {
      const api = new FakeDataApi();
      const warehouse = warehouseWith(api);
      await Promise.all([warehouse.loadBatch(REQUEST), warehouse.loadBatch({ ...REQUEST, replace: 'table' })]);
      const sqls = api.sent.flatMap((command) =>
        command instanceof BatchExecuteStatementCommand ? command.input.Sqls! : command instanceof ExecuteStatementCommand ? [command.input.Sql!] : [],
      );
      expect(sqls.filter((sql) => /procedure|\bcall\b|quote_ident/i.test(sql))).toEqual([]);
      expect(api.of(ExecuteStatementCommand)).toEqual([]);
    });

    it('quotes the reserved word raw wherever the schema appears, the count check included', async () => {
      const api = new FakeDataApi();
      await warehouseWith(api).loadBatch(REQUEST);
      const sqls = api.of(BatchExecuteStatementCommand)[0]!.input.Sqls!;
      for (const sql of sqls.slice(0, 4)) expect(sql).not.toMatch(/(^|[^"])\braw\./);
      expect(sqls[3]).toBe(
        `select 1 / (case when count(*) = 1234 then 1 else 0 end) as pgshift_row_count_check from "raw"."orders" where "_pgshift_batch_id" = '2026-11-23'`,
      );
    });

    it('sends no Parameters with a load: the COPY role ARN and the batch record travel as literals', async () => {
      const api = new FakeDataApi();
      await warehouseWith(api).loadBatch(REQUEST);
      const [load] = api.of(BatchExecuteStatementCommand);
      expect(load!.input.Parameters).toBeUndefined();
      expect(load!.input.Sqls!.at(-1)).toBe(
        "insert into pgshift_meta.batches (source, table_name, batch_id, rows, status) values ('shop', 'orders', '2026-11-23', 1234, 'loaded')",
      );
    });

    it('locks pgshift_meta.batches and the table first, so concurrent loads queue instead of aborting each other', async () => {
      const api = new FakeDataApi();
      await warehouseWith(api).loadBatch(REQUEST);
      await warehouseWith(api).loadBatch({ ...REQUEST, replace: 'table' });
      for (const command of api.of(BatchExecuteStatementCommand)) expect(command.input.Sqls![0]).toBe('lock "pgshift_meta"."batches", "raw"."orders"');
    });

    it('loads the whole batch again when Redshift aborted it with ERROR 1023', async () => {
      const api = new FakeDataApi().script(
        { statuses: ['FAILED'], final: { Error: SERIALIZATION_ERROR, SubStatements: [{ Id: 'statement-1:1', Status: 'FAILED', Error: SERIALIZATION_ERROR }] } },
        {},
      );
      expect(await warehouseWith(api).loadBatch(REQUEST)).toEqual({ rows: 1234 });
      const batches = api.of(BatchExecuteStatementCommand);
      expect(batches).toHaveLength(2);
      expect(batches[1]!.input.Sqls).toEqual(batches[0]!.input.Sqls);
    });

    it('adds REGION only when one is configured, on the target or as an option', async () => {
      const api = new FakeDataApi();
      const clock = fakeClock();
      await new RedshiftDataWarehouse(TARGET, api, { copyRegion: 'eu-west-1', now: clock.now, sleep: clock.sleep }).loadBatch(REQUEST);
      await warehouseWith(api, { ...TARGET, copyRegion: 'ap-southeast-2' }).loadBatch(REQUEST);
      await warehouseWith(api).loadBatch(REQUEST);
      const copies = api.of(BatchExecuteStatementCommand).map((command) => command.input.Sqls![2]!);
      expect(copies[0]).toMatch(/\nregion 'eu-west-1'$/);
      expect(copies[1]).toMatch(/\nregion 'ap-southeast-2'$/);
      expect(copies[2]).not.toMatch(/region/);
    });

    it('rounds decimals and reads timestamps in their documented default formats (no timeformat auto)', async () => {
      const api = new FakeDataApi();
      await warehouseWith(api).loadBatch(REQUEST);
      const copy = api.of(BatchExecuteStatementCommand)[0]!.input.Sqls![2]!;
      expect(copy).toMatch(/\nroundec\n/);
      expect(copy).not.toMatch(/timeformat|dateformat/);
    });

    it('fails with the batch count, the table, the batch and the statement id when the count check fails', async () => {
      const error = 'ERROR: Divide by zero';
      const api = new FakeDataApi().script({
        statuses: ['FAILED'],
        final: {
          Error: error,
          SubStatements: [
            ...[1, 2, 3].map((n) => ({ Id: `statement-1:${n}`, Status: 'FINISHED' as const })),
            { Id: 'statement-1:4', Status: 'FAILED' as const, Error: error },
          ],
        },
      });
      const failure = (await warehouseWith(api)
        .loadBatch(REQUEST)
        .catch((caught: unknown) => caught)) as LoadError;
      expect(failure).toBeInstanceOf(LoadError);
      expect(failure.message).toContain('raw.orders: batch 2026-11-23 was not loaded and nothing changed; it failed at step 4 (row-count check)');
      expect(failure.message).toContain('hint: raw.orders would not hold exactly the 1234 rows batch.json counts for batch 2026-11-23');
      expect(failure.context).toEqual({ table: 'raw.orders', batch: '2026-11-23', key: REQUEST.manifestKey, statementId: 'statement-1:4' });
    });

    it('reads sys_load_error_detail when the COPY fails and names the column, file line and reason', async () => {
      const error = "ERROR: Load into table 'orders' failed. Check 'sys_load_error_detail' system table for details.";
      const api = new FakeDataApi().script(
        {
          statuses: ['FAILED'],
          final: {
            Error: error,
            SubStatements: [
              { Id: 'statement-1:1', Status: 'FINISHED' },
              { Id: 'statement-1:2', Status: 'FINISHED' },
              { Id: 'statement-1:3', Status: 'FAILED', Error: error },
            ],
          },
        },
        {
          final: { HasResultSet: true, ResultRows: 1 },
          pages: [
            {
              ColumnMetadata: ['file_name', 'line_number', 'column_name', 'column_type', 'error_message'].map((label) => ({
                name: label,
                label,
                typeName: label === 'line_number' ? 'int8' : 'varchar',
              })),
              Records: [
                [
                  { stringValue: 's3://pgshift-staging/batches/shop/orders/2026-11-23/part-00001.csv.gz' },
                  { longValue: 17 },
                  { stringValue: 'note' },
                  { stringValue: 'varchar' },
                  { stringValue: 'String length exceeds DDL length' },
                ],
              ],
            },
          ],
        },
      );
      const failure = (await warehouseWith(api)
        .loadBatch(REQUEST)
        .catch((caught: unknown) => caught)) as LoadError;
      expect(failure.message).toContain('it failed at step 3 (copy from S3)');
      expect(failure.message).toContain(
        'sys_load_error_detail: raw.orders, column note (varchar), part-00001.csv.gz line 17: String length exceeds DDL length',
      );
      const [lookup] = api.of(ExecuteStatementCommand);
      expect(lookup!.input.Sql).toContain('from sys_load_error_detail');
      expect(lookup!.input.Parameters).toEqual([{ name: 'p1', value: 's3://pgshift-staging/batches/shop/orders/2026-11-23/' }]);
    });

    it('needs the target’s iam_role before sending anything', async () => {
      const api = new FakeDataApi();
      await expect(warehouseWith(api, { ...TARGET, iamRole: undefined }).loadBatch(REQUEST)).rejects.toThrow(ConfigError);
      expect(api.sent).toEqual([]);
    });

    it('quotes a hostile table name as one identifier everywhere it appears', async () => {
      const api = new FakeDataApi();
      const hostile = 'orders"; drop table raw.customers; --';
      await warehouseWith(api).loadBatch({ ...REQUEST, table: hostile });
      const sqls = api.of(BatchExecuteStatementCommand)[0]!.input.Sqls!;
      expect(sqls[0]).toBe(`lock "pgshift_meta"."batches", "raw"."orders""; drop table raw.customers; --"`);
      expect(sqls[1]).toBe(`delete from "raw"."orders""; drop table raw.customers; --" where "_pgshift_batch_id" = '2026-11-23'`);
      expect(sqls[2]).toMatch(/^copy "raw"\."orders""; drop table raw\.customers; --" \(/);
      expect(sqls[3]).toContain(`from "raw"."orders""; drop table raw.customers; --" where`);
    });

    it('refuses a batch id with a backslash, which Redshift could read as an escape in a literal', async () => {
      const api = new FakeDataApi();
      await expect(warehouseWith(api).loadBatch({ ...REQUEST, batchId: '2026\\11' })).rejects.toThrow(LoadError);
      expect(api.sent).toEqual([]);
    });
  });
});

// The faults a trial injects into one `pgshift run` of the shop project, each applied from
// outside the process once an observable point is reached: SIGKILL, a terminated backend, an
// S3 outage, or an unreliable S3 network for the whole faulted run.

import type { FaultyS3Proxy } from '../../test/support/faulty-s3-proxy.js';
import type { RedshiftEmulator } from '../../test/support/redshift-emulator/index.js';
import type { InjectedFailureOptions } from '../../test/support/redshift-emulator/injected-failures.js';
import type { ThrottleOptions } from '../../test/support/redshift-emulator/throttle.js';
import type { Warehouse } from './fault-stack.js';
import type { RunningProcess as RunningCli } from '../../test/support/run-cli.js';
import { activeStatement, finishedNodes, terminateBackend } from './observe.js';

export interface FaultContext {
  readonly run: RunningCli;
  readonly startedAt: Date;
  readonly adminUrl: string;
  readonly sourceUrl: string;
  readonly warehouseUrl: string;
  readonly projectDir: string;
  readonly proxy: FaultyS3Proxy;
  /** The Data API emulator of a Redshift trial. */
  readonly emulator?: RedshiftEmulator;
  readonly random: () => number;
  /** Nodes the run plans (for kill points chosen by count). */
  readonly plannedNodes: number;
}

export interface FaultClass {
  readonly name: string;
  /** Which of the two days the fault hits. */
  readonly day: 1 | 2;
  /** The warehouses the class makes sense on (default: every one). */
  readonly warehouses?: readonly Warehouse[];
  /** Faults of the Redshift Data API emulator for the faulted run (seeded per trial). */
  readonly emulator?: { readonly failures?: InjectedFailureOptions; readonly throttle?: ThrottleOptions };
  /** S3 fault rates of the proxy for the whole faulted run. */
  readonly s3?: { readonly errorRate: number; readonly resetRate: number };
  /** Waits for its point and injects the fault; false when the run ended before the point. */
  inject(context: FaultContext): Promise<boolean>;
}

const exited = (context: FaultContext) => context.run.exited;

/** A fault injected once `pattern` runs on the source or the warehouse: `act` gets that backend's pid. */
function atStatement(
  name: string,
  day: 1 | 2,
  database: 'source' | 'warehouse',
  pattern: string,
  act: (context: FaultContext, pid: number) => Promise<void> | void,
): FaultClass {
  return {
    name,
    day,
    async inject(context) {
      const url = database === 'source' ? context.sourceUrl : context.warehouseUrl;
      const pid = await activeStatement(context.adminUrl, url, pattern, exited(context));
      if (pid === undefined) return false;
      await act(context, pid);
      return true;
    },
  };
}

/** SIGKILL to pgshift while the statement runs: nothing of pgshift runs on the way out. */
const killWhen = (name: string, day: 1 | 2, database: 'source' | 'warehouse', pattern: string): FaultClass =>
  atStatement(name, day, database, pattern, (context) => void context.run.child.kill('SIGKILL'));

/** The server ends the statement's session (a failover, a DBA): pgshift must fail that node cleanly. */
const terminateWhen = (name: string, day: 1 | 2, database: 'source' | 'warehouse', pattern: string): FaultClass =>
  atStatement(name, day, database, pattern, (context, pid) => terminateBackend(context.adminUrl, pid));

export const KILL_RANDOM: FaultClass = {
  name: 'kill-random',
  day: 1,
  async inject(context) {
    const point = 1 + Math.floor(context.random() * Math.max(1, context.plannedNodes - 1));
    if (!(await finishedNodes(context.projectDir, point, context.startedAt, exited(context)))) return false;
    context.run.child.kill('SIGKILL');
    return true;
  },
};

export const NAMED_FAULTS: readonly FaultClass[] = [
  // The source COPY streams into the multipart upload, so a COPY on the source is an upload in flight.
  killWhen('kill-extract-upload', 1, 'source', 'copy (%'),
  // A COPY into raw runs inside the load's transaction: killed there, nothing is committed yet.
  killWhen('kill-copy-before-commit', 1, 'warehouse', 'copy %raw%'),
  killWhen('kill-incremental-merge', 2, 'warehouse', '%fct_orders%__pgshift_%'),
  killWhen('kill-grants', 1, 'warehouse', 'grant %'),
  terminateWhen('terminate-source-copy', 1, 'source', 'copy (%'),
  terminateWhen('terminate-warehouse-load', 1, 'warehouse', 'copy %raw%'),
  {
    name: 's3-down-mid-extract',
    day: 1,
    async inject(context) {
      const pid = await activeStatement(context.adminUrl, context.sourceUrl, 'copy (%', exited(context));
      if (pid === undefined) return false;
      context.proxy.setDown(true);
      // The outage lasts until the run gives up (refused connections are not requests the
      // proxy counts, so the run's end is the observable point); the rerun finds S3 back.
      await exited(context);
      context.proxy.setDown(false);
      return true;
    },
  },
  {
    name: 's3-flaky-network',
    day: 1,
    s3: { errorRate: 0.2, resetRate: 0.05 },
    inject: async () => true,
  },
];

/** Faults of the Redshift Data API itself, which only the Redshift warehouse has. */
export const DATA_API_FAULTS: readonly FaultClass[] = [
  {
    // A seeded share of statements ends FAILED with ERROR 1023, as DescribeStatement reports a
    // statement Redshift refused (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html).
    name: 'redshift-failed-statements',
    day: 1,
    warehouses: ['redshift'],
    emulator: { failures: { share: 0.05 } },
    // Fired when the run met at least one failed statement.
    inject: async (context) => {
      await exited(context);
      return (context.emulator?.injectedFaults().failed ?? 0) > 0;
    },
  },
  {
    // ThrottlingException (HTTP 400) on a share of the calls pgshift makes most
    // (https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html).
    name: 'redshift-throttled',
    day: 2,
    warehouses: ['redshift'],
    emulator: { throttle: { share: 0.3, operations: ['ExecuteStatement', 'BatchExecuteStatement', 'DescribeStatement'] } },
    inject: async (context) => {
      await exited(context);
      return (context.emulator?.injectedFaults().throttled ?? 0) > 0;
    },
  },
];

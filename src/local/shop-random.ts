// Deterministic pseudo-randomness for the shop demo data, as SQL expressions: every "random"
// value is a hash of (seed, stream, key), so one seed yields the same rows on any server.
//
// Why hashes instead of random(): random() depends on the session's setseed() and on the
// order rows are produced in, which a parallel or re-planned query does not keep. A hash of
// the row's own key does not care about either, so the data is reproducible row by row.
// hashint8extended() is the hash behind hash partitioning, which PostgreSQL keeps stable
// across releases because partitioned tables on disk depend on it.

/** Every generating statement passes its seed as parameter `$1`. */
const SEED = '$1::bigint';

/** Streams are numbered 0–999 so that `seed * 1000 + stream` never collides across seeds. */
const STREAMS_PER_SEED = 1000;

function hashed(key: string, stream: number): string {
  if (!Number.isInteger(stream) || stream < 0 || stream >= STREAMS_PER_SEED) {
    throw new RangeError(`a random stream must be an integer in [0, ${STREAMS_PER_SEED}), got ${stream}`);
  }
  return `hashint8extended(${key}, ${SEED} * ${STREAMS_PER_SEED} + ${stream})`;
}

/** A uniform float8 in [0, 1): 53 hash bits over 2^53, so 1.0 itself can never come out. */
export function uniform(key: string, stream: number): string {
  return `(((${hashed(key, stream)} >> 11) & 9007199254740991)::float8 / 9007199254740992.0::float8)`;
}

/**
 * A uniform bigint in [0, n) for an SQL expression `n` ≥ 1. Integer arithmetic keeps bounds
 * exact: a float scaled to microseconds can round up onto the excluded end of an interval.
 */
export function randomInt(key: string, stream: number, n: string | number): string {
  return `((${hashed(key, stream)} & 4611686018427387903) % (${n})::bigint)`;
}

/** One element of an SQL array expression (usually a `text[]` parameter), chosen uniformly. */
export function pick(key: string, stream: number, array: string): string {
  return `(${array})[1 + ${randomInt(key, stream, `cardinality(${array})`)}]`;
}

/**
 * One of several SQL expressions, chosen with the given weights. `width_bucket` evaluates
 * the random number once, so every branch sees the same draw.
 */
export function weighted(key: string, stream: number, choices: ReadonlyArray<readonly [weight: number, sql: string]>): string {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  if (choices.length === 0 || total <= 0) throw new RangeError('weighted() needs at least one choice with a positive weight');
  if (choices.length === 1) return choices[0]![1];
  let cumulative = 0;
  const thresholds = choices.slice(0, -1).map(([weight]) => {
    cumulative += weight;
    return cumulative / total;
  });
  const branches = choices.slice(0, -1).map(([, sql], index) => `when ${index} then ${sql}`);
  const last = choices[choices.length - 1]![1];
  return `(case width_bucket(${uniform(key, stream)}, array[${thresholds.join(', ')}]::float8[]) ${branches.join(' ')} else ${last} end)`;
}

// A pg pool for a test's own queries. Dropping a test database (WITH FORCE) ends its idle
// connections from the server side; the pool must not report that as an unhandled error.

import pg from 'pg';

export function testPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {});
  return pool;
}

/**
 * SQLite transactions that take the write lock when they begin (`BEGIN IMMEDIATE`) rather than at
 * their first write (knex's plain `BEGIN`). With the deferred kind, a transaction that has read and
 * then writes while another process is writing is refused at once with "database is locked" —
 * SQLite cannot let it wait, as the two would deadlock. Asking first means waiting one's turn (the
 * busy timeout). It matters when processes share the file: `npm run develop` with a script such as
 * `npm run locale:add`, or the test suite's second processes. One process has one connection, so
 * this costs nothing there.
 */
interface KnexTransaction {
  begin(connection: unknown): unknown;
  query(connection: unknown, sql: string): unknown;
}

interface KnexClient {
  transaction(...args: unknown[]): KnexTransaction;
}

export const beginImmediate = (client: KnexClient) => {
  const transaction = client.transaction.bind(client);
  client.transaction = (...args: unknown[]) => {
    const trx = transaction(...args);
    // Called once the connection is acquired, after this returns; nested ones use savepoints.
    trx.begin = (connection) => trx.query(connection, 'BEGIN IMMEDIATE;');
    return trx;
  };
};

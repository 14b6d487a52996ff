import fs from 'fs';
import os from 'os';
import path from 'path';
import knex, { type Knex } from 'knex';
import { beginImmediate } from '../../src/lib/sqlite';

interface RawDatabase {
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown };
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string, options: { timeout: number }) => RawDatabase;

// Process A is a knex connection as Strapi has; process B a second connection to the file that does
// not wait (busy timeout 0: in this one process, waiting would block A too).
describe('SQLite transactions shared by processes', () => {
  let dir: string;
  const open: (Knex | RawDatabase)[] = [];
  const setup = async (immediate: boolean) => {
    const file = path.join(dir, `${immediate}.db`);
    const a = knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    if (immediate) beginImmediate(a.client as never);
    await a.schema.createTable('t', (table) => {
      table.integer('id').primary();
      table.string('v');
    });
    await a('t').insert([
      { id: 1, v: '' },
      { id: 2, v: '' },
    ]);
    const b = new Database(file, { timeout: 0 });
    open.push(a, b);
    const writeB = (v: string) => b.prepare('UPDATE t SET v = ? WHERE id = 2').run(v);
    /** B starts a write (takes the write lock) without committing, then rolls back. */
    const startWriteB = () => {
      b.exec('BEGIN');
      try {
        writeB('probe');
      } finally {
        b.exec('ROLLBACK');
      }
    };
    return { a, b, writeB, startWriteB };
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-sqlite-'));
  });
  afterAll(async () => {
    await Promise.all(open.map((db) => ('destroy' in db ? db.destroy() : db.close())));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with a plain BEGIN, a transaction that has read is refused its write while another writes', async () => {
    const { a, b, writeB } = await setup(false);
    await expect(
      a.transaction(async (trx) => {
        await trx('t').select('*');
        b.exec('BEGIN');
        writeB('b'); // B has the write lock: it did not have to wait for A
        try {
          await trx('t').where({ id: 1 }).update({ v: 'a' });
        } finally {
          b.exec('COMMIT');
        }
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('with BEGIN IMMEDIATE, a transaction holds the write lock from its start and commits', async () => {
    const { a, writeB, startWriteB } = await setup(true);
    await a.transaction(async (trx) => {
      await trx('t').select('*');
      expect(startWriteB).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' })); // B waits its turn
      await trx('t').where({ id: 1 }).update({ v: 'a' });
    });
    writeB('b'); // and goes ahead once A has committed
    expect(await a('t').orderBy('id').pluck('v')).toEqual(['a', 'b']);
  });
});

#!/usr/bin/env node
/**
 * npm run restore -- <archive> [--uploads <dir>]: an archive of `npm run backup` into an EMPTY
 * database (the one the environment names: a new SQLite file, or a new PostgreSQL database or
 * schema), and its uploads into public/uploads.
 *
 * Strapi creates the schema first (tables, indexes, the audit log's append-only triggers), then
 * stops before its bootstrap writes anything; the rows go in in one transaction, inserts only
 * (the audit triggers refuse UPDATE and DELETE, never INSERT, and stay in place throughout).
 * On PostgreSQL the sequences are set past the restored ids and the pending webhook deliveries
 * are queued again (the queue itself is not in the backup).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  databaseFromEnv,
  pgConfig,
  quote,
  listTables,
  fileHash,
  contentChecksum,
  FORMAT,
  FORMAT_VERSION,
  ROOT,
} = require('./backup');

const AUDIT_TABLE = 'editorial_audit_entries';
const DELIVERIES_TABLE = 'delivery_webhook_deliveries';

class RestoreError extends Error {}

/** Unpacks the archive and checks every file against the manifest. */
const unpack = async (archive, dir) => {
  if (!fs.existsSync(archive)) throw new RestoreError(`No such archive: ${archive}`);
  await require('tar').x({ file: archive, cwd: dir, strict: true });
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new RestoreError(`${archive} is not a Wutong backup (no manifest.json)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  if (manifest.format !== FORMAT) throw new RestoreError(`${archive} is not a Wutong backup`);
  if (manifest.formatVersion > FORMAT_VERSION)
    throw new RestoreError(`backup format ${manifest.formatVersion} is newer than this app reads (${FORMAT_VERSION})`);
  for (const [table, info] of Object.entries(manifest.tables)) {
    const file = path.join(dir, 'db', `${table}.jsonl`);
    if (!fs.existsSync(file) || fileHash(file) !== info.sha256)
      throw new RestoreError(`the archive is damaged: db/${table}.jsonl does not match its checksum`);
  }
  for (const upload of manifest.uploads) {
    const file = path.join(dir, 'uploads', upload.path);
    if (!fs.existsSync(file) || fileHash(file) !== upload.sha256)
      throw new RestoreError(`the archive is damaged: uploads/${upload.path} does not match its checksum`);
  }
  if (contentChecksum(manifest.tables, manifest.uploads) !== manifest.checksum)
    throw new RestoreError('the archive is damaged: its content checksum does not match');
  return manifest;
};

/** A small uniform interface over the target database (node-postgres or better-sqlite3). */
const openTarget = async (settings) => {
  if (settings.client === 'postgres') {
    const { Client } = require('pg');
    const client = new Client(pgConfig(settings));
    await client.connect();
    const schema = settings.schema;
    const name = (table) => `${quote(schema)}.${quote(table)}`;
    return {
      client: 'postgres',
      schema,
      name,
      query: async (text, values) => (await client.query(text, values)).rows,
      tables: () => listTables.postgres(client, schema),
      async columns(table) {
        const rows = await this.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
          [schema, table],
        );
        return rows.map((row) => row.column_name);
      },
      async foreignKeys() {
        const rows = await this.query(
          `SELECT c.conrelid::regclass::text AS "from", c.confrelid::regclass::text AS "to",
                  c.conrelid AS from_oid, c.confrelid AS to_oid,
                  (SELECT array_agg(a.attname::text) FROM unnest(c.conkey) k JOIN pg_attribute a
                     ON a.attrelid = c.conrelid AND a.attnum = k) AS columns
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND n.nspname = $1`,
          [schema],
        );
        const bare = (regclass) => regclass.replace(/^.*\./, '').replace(/^"|"$/g, '');
        return rows.map((row) => ({ from: bare(row.from), to: bare(row.to), columns: row.columns }));
      },
      close: () => client.end(),
      raw: client,
    };
  }
  const Database = require('better-sqlite3');
  const db = new Database(settings.filename, { timeout: 30000 });
  return {
    client: 'sqlite',
    name: quote,
    query: async (text, values = []) => {
      const statement = db.prepare(text);
      return statement.reader ? statement.all(...values) : (statement.run(...values), []);
    },
    tables: async () => listTables.sqlite(db),
    columns: async (table) =>
      db
        .prepare(`PRAGMA table_info(${quote(table)})`)
        .all()
        .map((row) => row.name),
    foreignKeys: async () =>
      listTables.sqlite(db).flatMap((table) =>
        db
          .prepare(`PRAGMA foreign_key_list(${quote(table)})`)
          .all()
          .map((row) => ({ from: table, to: row.table, columns: [row.from] })),
      ),
    close: async () => db.close(),
    raw: db,
  };
};

/** An empty target: no table in the app's schema (or file), and on PostgreSQL no job queue either. */
const assertEmpty = async (target, settings) => {
  const tables = await target.tables();
  if (tables.length) {
    const where = settings.client === 'postgres' ? `schema "${settings.schema}"` : settings.filename;
    throw new RestoreError(
      `The target database is not empty (${tables.length} tables in ${where}, e.g. ${tables.slice(0, 3).join(', ')}). ` +
        'Restore only goes into an empty database: create a new one (PostgreSQL: createdb; SQLite: ' +
        'DATABASE_FILENAME=<new file>) and point the environment at it. Nothing was changed.',
    );
  }
  if (settings.client === 'postgres') {
    const { JOBS_SCHEMA } = require(
      path.join(ROOT, 'dist', 'src', 'plugins', 'delivery', 'server', 'services', 'webhooks'),
    );
    const [{ count }] = await target.query(
      `SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = $1`,
      [JOBS_SCHEMA],
    );
    if (count)
      throw new RestoreError(
        `The target database is not empty: it has the webhook queue schema "${JOBS_SCHEMA}" (jobs of another ` +
          'installation would be sent for the restored deliveries). Use a new database. Nothing was changed.',
      );
  }
};

const SCHEMA_READY = Symbol('schema ready');

/**
 * Lets Strapi create the schema on the target (its tables and our afterSync work: indexes, the
 * audit triggers, the read model tables), then stops it before the plugins' bootstrap, which
 * would write default roles, locales, permissions and audit entries of its own.
 */
const createSchema = async ({ appDir, distDir }) => {
  const { createStrapi } = require('@strapi/strapi');
  const app = createStrapi({ appDir, distDir });
  await app.register();
  // Registered last: runs after every afterSync handler of the app and its plugins.
  app.hook('strapi::content-types.afterSync').register(() => {
    throw SCHEMA_READY;
  });
  try {
    await app.bootstrap();
    throw new Error('Strapi finished its bootstrap: the schema step did not stop it');
  } catch (error) {
    if (error !== SCHEMA_READY) {
      await app.db?.destroy().catch(() => undefined);
      throw error;
    }
  }
  await app.destroy().catch(async () => {
    await app.db?.destroy().catch(() => undefined);
    delete global.strapi;
  });
};

/** The order to insert tables in: referenced tables first; returns [order, deferred columns]. */
const insertOrder = (tables, foreignKeys) => {
  const names = new Set(tables);
  const dependsOn = new Map(tables.map((table) => [table, new Set()]));
  const deferred = new Map(); // table -> Set of columns inserted as NULL and set afterwards
  const defer = (table, columns) => {
    if (!deferred.has(table)) deferred.set(table, new Set());
    columns.forEach((column) => deferred.get(table).add(column));
  };
  for (const key of foreignKeys) {
    if (!names.has(key.from) || !names.has(key.to)) continue;
    if (key.from === key.to) defer(key.from, key.columns);
    else dependsOn.get(key.from).add(key.to);
  }
  const order = [];
  const left = new Set(tables);
  while (left.size) {
    const ready = [...left].filter((table) => [...dependsOn.get(table)].every((other) => !left.has(other)));
    if (ready.length) {
      ready.sort().forEach((table) => {
        order.push(table);
        left.delete(table);
      });
      continue;
    }
    // A cycle: break it at one table, its references into the cycle set afterwards.
    const [table] = [...left].sort();
    for (const key of foreignKeys) if (key.from === table && left.has(key.to)) defer(table, key.columns);
    dependsOn.set(table, new Set());
  }
  return { order, deferred };
};

/** Reads a table's rows (arrays of values) from the unpacked archive, a batch at a time. */
async function* readRows(file, batchSize) {
  const readline = require('readline');
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let batch = [];
  for await (const line of lines) {
    if (!line) continue;
    batch.push(JSON.parse(line));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const fromJson = (value) =>
  value && typeof value === 'object' && typeof value.$base64 === 'string'
    ? Buffer.from(value.$base64, 'base64')
    : value;

/** Inserts every table's rows in one transaction; returns the row counts written. */
const insertAll = async (target, manifest, dir) => {
  if (manifest.database.client !== target.client)
    throw new RestoreError(
      `This backup is of a ${manifest.database.client} database; restore it into ${manifest.database.client} ` +
        `(the environment names ${target.client}). Moving between SQLite and PostgreSQL is not supported.`,
    );
  const backedUp = Object.keys(manifest.tables);
  const present = new Set(await target.tables());
  const missing = backedUp.filter((table) => !present.has(table) && manifest.tables[table].rows > 0);
  if (missing.length)
    throw new RestoreError(
      `This app has no table for ${missing.join(', ')} (the backup was made by another version of Wutong: ` +
        `${manifest.app?.version}, Strapi ${manifest.strapiVersion}). Restore it with that version.`,
    );
  for (const table of backedUp.filter((name) => present.has(name))) {
    const columns = new Set(await target.columns(table));
    const unknown = manifest.tables[table].columns.filter((column) => !columns.has(column));
    if (unknown.length && manifest.tables[table].rows > 0)
      throw new RestoreError(
        `Table ${table} has no column ${unknown.join(', ')} here (the backup was made by another version of ` +
          `Wutong: ${manifest.app?.version}). Restore it with that version.`,
      );
  }

  const tables = backedUp.filter((table) => present.has(table));
  const { order, deferred } = insertOrder(tables, await target.foreignKeys());
  const postgres = target.client === 'postgres';
  const counts = {};

  await target.query(postgres ? 'BEGIN' : 'BEGIN IMMEDIATE');
  try {
    // Foreign keys are checked at commit (SQLite); PostgreSQL's are not deferrable, hence the order.
    if (!postgres) await target.query('PRAGMA defer_foreign_keys = ON');
    // What Strapi's schema step wrote (its schema hash, migrations, store keys) gives way to the
    // backup's. Never the audit log: it is empty in a new database, and its trigger refuses deletes.
    for (const table of [...order].reverse()) {
      const [{ count }] = await target.query(`SELECT count(*) AS count FROM ${target.name(table)}`);
      if (!Number(count)) continue;
      if (table === AUDIT_TABLE)
        throw new RestoreError(`The audit log of the target database is not empty: restore into a new database.`);
      await target.query(`DELETE FROM ${target.name(table)}`);
    }

    for (const table of order) {
      const { columns } = manifest.tables[table];
      const later = deferred.get(table) ?? new Set();
      const laterIndexes = columns.map((column, index) => (later.has(column) ? index : -1)).filter((i) => i >= 0);
      const idIndex = columns.indexOf('id');
      if (laterIndexes.length && idIndex < 0)
        throw new RestoreError(`Table ${table} refers to itself and has no id column: cannot order its rows`);
      const list = columns.map(quote).join(', ');
      // PostgreSQL takes at most 65535 parameters a statement; SQLite's prepared statement is reused.
      const batchSize = postgres ? Math.max(1, Math.floor(30000 / columns.length)) : 500;
      const pendingUpdates = [];
      let written = 0;
      const single = postgres
        ? undefined
        : target.raw.prepare(`INSERT INTO ${quote(table)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
      for await (const batch of readRows(path.join(dir, 'db', `${table}.jsonl`), batchSize)) {
        const rows = batch.map((values) => values.map(fromJson));
        for (const values of rows) {
          if (laterIndexes.some((index) => values[index] !== null && values[index] !== undefined)) {
            pendingUpdates.push({ id: values[idIndex], values: laterIndexes.map((index) => values[index]) });
            laterIndexes.forEach((index) => (values[index] = null));
          }
        }
        if (postgres) {
          const params = [];
          const tuples = rows.map(
            (values) =>
              `(${values
                .map((value) => {
                  params.push(value);
                  return `$${params.length}`;
                })
                .join(', ')})`,
          );
          await target.query(`INSERT INTO ${target.name(table)} (${list}) VALUES ${tuples.join(', ')}`, params);
        } else {
          for (const values of rows) single.run(...values);
        }
        written += rows.length;
      }
      for (const update of pendingUpdates) {
        const sets = laterIndexes.map((index, i) => `${quote(columns[index])} = ${postgres ? `$${i + 1}` : '?'}`);
        await target.query(
          `UPDATE ${target.name(table)} SET ${sets.join(', ')} WHERE id = ${postgres ? `$${sets.length + 1}` : '?'}`,
          [...update.values, update.id],
        );
      }
      counts[table] = written;
      if (written !== manifest.tables[table].rows)
        throw new RestoreError(
          `Table ${table}: ${written} rows read from the archive, the manifest says ${manifest.tables[table].rows}`,
        );
    }

    if (postgres) {
      // Serial and identity columns go on after the highest restored id.
      const sequences = await target.query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = $1 AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')`,
        [target.schema],
      );
      for (const { table_name: table, column_name: column } of sequences) {
        await target.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${quote(column)}), 1), MAX(${quote(column)}) IS NOT NULL)
             FROM ${target.name(table)}`,
          [target.name(table), column],
        );
      }
    }
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return counts;
};

/**
 * PostgreSQL: the webhook queue (pg-boss) is not in the backup; each delivery still pending is
 * queued once, with the app's own queue settings. (SQLite's in-process queue finds them in the
 * deliveries table when the server starts.)
 */
const queuePendingDeliveries = async (settings, distDir) => {
  const { QUEUE, JOBS_SCHEMA, webhookJobSettings } = require(
    path.join(distDir, 'src', 'plugins', 'delivery', 'server', 'services', 'webhooks'),
  );
  const { Client } = require('pg');
  const client = new Client(pgConfig(settings));
  await client.connect();
  let pending;
  try {
    const exists = await client.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
      [settings.schema, DELIVERIES_TABLE],
    );
    if (!exists.rows.length) return 0;
    pending = (
      await client.query(
        `SELECT id FROM ${quote(settings.schema)}.${quote(DELIVERIES_TABLE)} WHERE status = 'pending' ORDER BY id`,
      )
    ).rows;
  } finally {
    await client.end();
  }
  if (!pending.length) return 0;
  const PgBoss = require('pg-boss');
  const boss = new PgBoss({ ...pgConfig(settings), schema: JOBS_SCHEMA, max: 2, supervise: false, migrate: true });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    await boss.createQueue(QUEUE).catch(() => undefined);
    const { jobOptions } = webhookJobSettings(process.env);
    for (const { id } of pending) await boss.send(QUEUE, { id: Number(id) }, jobOptions);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
  return pending.length;
};

/** Copies the archive's uploads into the uploads folder (files already there of the same name are replaced). */
const copyUploads = (dir, manifest, uploadsDir) => {
  for (const upload of manifest.uploads) {
    const target = path.join(uploadsDir, upload.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(dir, 'uploads', upload.path), target);
  }
  return manifest.uploads.length;
};

/**
 * Restores an archive. Options: file (the archive), uploadsDir (public/uploads), env (the target
 * database), appDir/distDir (the compiled app; the CLI compiles it first).
 */
const restore = async (options) => {
  const started = Date.now();
  const env = options.env ?? process.env;
  const settings = options.database ?? databaseFromEnv(env);
  const appDir = options.appDir ?? ROOT;
  const distDir = options.distDir ?? path.join(ROOT, 'dist');
  const uploadsDir = path.resolve(options.uploadsDir ?? path.join(appDir, 'public', 'uploads'));
  const log = options.log ?? (() => undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-restore-'));
  try {
    const manifest = await unpack(path.resolve(options.file), dir);
    log(`archive ok: ${manifest.database.client}, made ${manifest.createdAt}, checksum ${manifest.checksum}`);
    if (manifest.database.client !== settings.client)
      throw new RestoreError(
        `This backup is of a ${manifest.database.client} database and the environment names ${settings.client}: ` +
          'restore into the same kind of database (moving between SQLite and PostgreSQL is not supported).',
      );
    const strapiVersion = require('@strapi/strapi/package.json').version;
    if (manifest.strapiVersion !== strapiVersion)
      log(`note: made with Strapi ${manifest.strapiVersion}, restoring with ${strapiVersion}`);

    if (settings.client === 'sqlite') fs.mkdirSync(path.dirname(settings.filename), { recursive: true });
    let target = await openTarget(settings);
    try {
      await assertEmpty(target, settings);
    } finally {
      await target.close();
    }

    log('creating the schema (Strapi)…');
    await createSchema({ appDir, distDir });

    log('inserting rows…');
    target = await openTarget(settings);
    let counts;
    try {
      counts = await insertAll(target, manifest, dir);
    } finally {
      await target.close();
    }
    const queued = settings.client === 'postgres' ? await queuePendingDeliveries(settings, distDir) : 0;
    const uploads = copyUploads(dir, manifest, uploadsDir);
    const rows = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return { manifest, tables: Object.keys(counts).length, rows, uploads, queued, ms: Date.now() - started };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

module.exports = { restore, RestoreError, insertOrder };

if (require.main === module) {
  const args = process.argv.slice(2);
  const uploadsAt = args.indexOf('--uploads');
  const uploadsDir = uploadsAt >= 0 ? args.splice(uploadsAt, 2)[1] : undefined;
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error('usage: npm run restore -- <archive.tar.gz> [--uploads <dir>]   (into an empty database)');
    process.exit(2);
  }
  process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.WUTONG_SEED_ON_EMPTY = 'false';
  (async () => {
    const { compileStrapi } = require('@strapi/strapi');
    const context = await compileStrapi();
    return restore({
      file: args[0],
      uploadsDir,
      appDir: context.appDir,
      distDir: context.distDir,
      log: (line) => console.log(line),
    });
  })().then(
    ({ tables, rows, uploads, queued, ms }) => {
      console.log(
        `Restored ${rows} rows in ${tables} tables and ${uploads} uploads in ${(ms / 1000).toFixed(1)} s` +
          (queued ? `; ${queued} pending webhook deliveries queued` : '') +
          '.\nStart the server (npm run start) on this database.',
      );
      process.exit(0);
    },
    (error) => {
      console.error(`Restore failed: ${error instanceof Error ? error.message : error}`);
      if (!(error instanceof RestoreError))
        console.error('The target database may be half-made: drop it (or delete the SQLite file) before trying again.');
      process.exit(1);
    },
  );
}

#!/usr/bin/env node
/**
 * npm run backup [-- <archive>]: the database and the uploads in one archive,
 * backups/wutong-<timestamp>.tar.gz by default. Runs beside a live server: it reads the database
 * directly (no Strapi start), every table of the app's schema in one read-only snapshot, so the
 * archive is consistent even while editors work. Restore with `npm run restore -- <archive>`.
 *
 * The archive: manifest.json (format, versions, database client, each table's columns, row count
 * and checksum, the uploads' checksums), db/<table>.jsonl (one JSON array of column values per
 * row), uploads/ (public/uploads as it was). pg-boss's queue schema is not in it: restore queues
 * the pending webhook deliveries again from the deliveries table.
 */
const { createHash } = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const FORMAT = 'wutong-backup';
const FORMAT_VERSION = 1;
const BATCH = 2000;

const sha256 = () => createHash('sha256');

/** The database the environment names (the same rules as config/database.ts), from the compiled app. */
const databaseFromEnv = (env = process.env) => {
  // Strapi reads .env the same way (ENV_PATH or ./.env); values already set win.
  require('dotenv').config({ path: env.ENV_PATH ?? path.join(ROOT, '.env') });
  const envModule = path.join(ROOT, 'dist', 'src', 'lib', 'env.js');
  if (!fs.existsSync(envModule)) throw new Error('The app is not built: run `npm run build` first.');
  const settings = require(envModule).databaseSettings(env);
  if (settings.client === 'sqlite') return { ...settings, filename: path.resolve(ROOT, settings.filename) };
  return settings;
};

/** A node-postgres client config for the app's database settings. */
const pgConfig = (settings) => {
  const base = settings.connectionString
    ? { connectionString: settings.connectionString }
    : {
        host: settings.host,
        port: settings.port,
        database: settings.database,
        user: settings.user,
        password: settings.password,
      };
  return { ...base, ssl: settings.ssl ? { rejectUnauthorized: false } : undefined };
};

const quote = (name) => `"${String(name).replace(/"/g, '""')}"`;

/** Every value as PostgreSQL's own text form: what it reads back exactly (like pg_dump's COPY). */
const asText = { getTypeParser: () => (value) => value };

/**
 * The search index (src/lib/search.ts: `wutong_search`, its meta table and, on SQLite, FTS5's
 * shadow tables) is derived from the content: not backed up, and filled again on restore by the
 * triggers on the content tables as their rows go in (SQLite refuses writes to FTS5's own tables).
 */
const DERIVED = /^wutong_search(_|$)/;
const kept = (table) => !DERIVED.test(table);

/**
 * The tables of the app's schema (PostgreSQL) or file (SQLite), read from the database itself:
 * Strapi's, the plugins', and the tables made by raw SQL (the read model), whatever they are named.
 */
const listTables = {
  async postgres(client, schema) {
    const { rows } = await client.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    return rows.map((row) => row.table_name).filter(kept);
  },
  sqlite(db) {
    return db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
      )
      .all()
      .map((row) => row.name)
      .filter(kept);
  },
};

/** Writes one table's rows as JSON lines; returns { columns, rows, sha256 }. */
const writeRows = (file, columns) => {
  const fd = fs.openSync(file, 'w');
  const hash = sha256();
  let rows = 0;
  const write = (values) => {
    const line = `${JSON.stringify(values)}\n`;
    hash.update(line);
    fs.writeSync(fd, line);
    rows += 1;
  };
  return {
    write,
    close() {
      fs.closeSync(fd);
      return { columns, rows, sha256: hash.digest('hex') };
    },
  };
};

/** SQLite values are numbers, strings, null or blobs; a blob is written as { $base64 }. */
const sqliteValue = (value) => {
  if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
  if (typeof value === 'bigint') return value.toString();
  return value;
};

const dumpSqlite = async (settings, dir) => {
  const Database = require('better-sqlite3');
  if (!fs.existsSync(settings.filename)) throw new Error(`No SQLite database at ${settings.filename}`);
  const db = new Database(settings.filename, { readonly: true, fileMustExist: true, timeout: 30000 });
  const tables = {};
  try {
    // One read transaction: every table from the same moment.
    db.exec('BEGIN');
    for (const table of listTables.sqlite(db)) {
      const statement = db.prepare(`SELECT * FROM ${quote(table)}`).raw(true);
      const columns = statement.columns().map((column) => column.name);
      const out = writeRows(path.join(dir, `${table}.jsonl`), columns);
      for (const values of statement.iterate()) out.write(values.map(sqliteValue));
      tables[table] = out.close();
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return tables;
};

const dumpPostgres = async (settings, dir) => {
  const { Client } = require('pg');
  const client = new Client(pgConfig(settings));
  await client.connect();
  const tables = {};
  try {
    // REPEATABLE READ: every query of the transaction sees the same snapshot.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const table of await listTables.postgres(client, settings.schema)) {
      const name = `${quote(settings.schema)}.${quote(table)}`;
      const { rows: columnRows } = await client.query(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [settings.schema, table],
      );
      const columns = columnRows.map((row) => row.column_name);
      const list = columns.map(quote).join(', ');
      const out = writeRows(path.join(dir, `${table}.jsonl`), columns);
      const idIndex = columns.indexOf('id');
      if (idIndex >= 0) {
        // Pages by id (no cursor module needed); the snapshot keeps them consistent.
        let last = null;
        for (;;) {
          const { rows } = await client.query({
            text: `SELECT ${list} FROM ${name} ${last === null ? '' : 'WHERE id > $1'} ORDER BY id LIMIT ${BATCH}`,
            values: last === null ? [] : [last],
            rowMode: 'array',
            types: asText,
          });
          rows.forEach(out.write);
          if (rows.length < BATCH) break;
          last = rows[rows.length - 1][idIndex];
        }
      } else {
        // A stable order (the primary key, else every column): the same data gives the same file.
        const { rows: keyRows } = await client.query(
          `SELECT a.attname AS name FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary`,
          [name],
        );
        const orderBy = (keyRows.length ? keyRows.map((row) => row.name) : columns).map(quote).join(', ');
        const { rows } = await client.query({
          text: `SELECT ${list} FROM ${name} ORDER BY ${orderBy}`,
          rowMode: 'array',
          types: asText,
        });
        rows.forEach(out.write);
      }
      tables[table] = out.close();
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return tables;
};

/** Every file under dir, relative, sorted (uploads may have subfolders). */
const listFiles = (dir, prefix = '') => {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), relative));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
};

const fileHash = (file) => sha256().update(fs.readFileSync(file)).digest('hex');

/** One checksum over everything the archive holds (tables and uploads), as the manifest lists it. */
const contentChecksum = (tables, uploads) => {
  const hash = sha256();
  for (const name of Object.keys(tables).sort()) hash.update(`db/${name}.jsonl\0${tables[name].sha256}\n`);
  for (const file of uploads) hash.update(`uploads/${file.path}\0${file.sha256}\n`);
  return hash.digest('hex');
};

const timestamp = (date) => date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');

/**
 * Writes the archive; returns { file, manifest, bytes, ms }. Options: file (the archive path),
 * uploadsDir (public/uploads), env (process.env: the database).
 */
const backup = async (options = {}) => {
  const started = Date.now();
  const env = options.env ?? process.env;
  const settings = options.database ?? databaseFromEnv(env);
  const createdAt = new Date();
  const file = path.resolve(options.file ?? path.join(ROOT, 'backups', `wutong-${timestamp(createdAt)}.tar.gz`));
  const uploadsDir = path.resolve(options.uploadsDir ?? path.join(ROOT, 'public', 'uploads'));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-backup-'));
  try {
    fs.mkdirSync(path.join(staging, 'db'));
    const tables =
      settings.client === 'postgres'
        ? await dumpPostgres(settings, path.join(staging, 'db'))
        : await dumpSqlite(settings, path.join(staging, 'db'));

    // The uploads after the database: a file uploaded meanwhile is extra, never missing one that
    // the snapshot names (unless it was deleted meanwhile).
    const uploads = listFiles(uploadsDir)
      .filter((relative) => relative !== '.gitkeep')
      .map((relative) => {
        const full = path.join(uploadsDir, relative);
        return { path: relative, bytes: fs.statSync(full).size, sha256: fileHash(full) };
      });
    fs.mkdirSync(path.join(staging, 'uploads'));
    for (const upload of uploads) {
      const target = path.join(staging, 'uploads', upload.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // A hard link where possible: no second copy of large media while the archive is written.
      try {
        fs.linkSync(path.join(uploadsDir, upload.path), target);
      } catch {
        fs.copyFileSync(path.join(uploadsDir, upload.path), target);
      }
    }

    const manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: createdAt.toISOString(),
      app: {
        name: require(path.join(ROOT, 'package.json')).name,
        version: require(path.join(ROOT, 'package.json')).version,
      },
      strapiVersion: require('@strapi/strapi/package.json').version,
      database: { client: settings.client, ...(settings.client === 'postgres' ? { schema: settings.schema } : {}) },
      tables,
      rowCounts: Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, table.rows])),
      uploads,
      checksum: contentChecksum(tables, uploads),
    };
    fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    await require('tar').c({ gzip: true, file: partial, cwd: staging, portable: true }, [
      'manifest.json',
      'db',
      'uploads',
    ]);
    fs.renameSync(partial, file); // never a truncated archive under the final name
    return { file, manifest, bytes: fs.statSync(file).size, ms: Date.now() - started };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
};

module.exports = {
  backup,
  databaseFromEnv,
  pgConfig,
  quote,
  listTables,
  listFiles,
  fileHash,
  contentChecksum,
  asText,
  FORMAT,
  FORMAT_VERSION,
  ROOT,
};

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg === '-h' || arg === '--help') || args.length > 1) {
    console.error('usage: npm run backup [-- <archive.tar.gz>]   (default backups/wutong-<timestamp>.tar.gz)');
    process.exit(args.length > 1 ? 2 : 0);
  }
  backup({ file: args[0] }).then(
    ({ file, manifest, bytes, ms }) => {
      const rows = Object.values(manifest.rowCounts).reduce((sum, count) => sum + count, 0);
      console.log(
        `Backup written: ${path.relative(process.cwd(), file) || file}\n` +
          `  ${manifest.database.client}, ${Object.keys(manifest.tables).length} tables, ${rows} rows, ` +
          `${manifest.uploads.length} uploads; ${(bytes / 1024 / 1024).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s\n` +
          `  checksum ${manifest.checksum}`,
      );
    },
    (error) => {
      console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}

/**
 * Loads data/seed/*.json (format: data/seed/README.md) into the database, published, in every
 * locale the files give. Idempotent: an entry that exists (by slug, in the source locale) is left
 * exactly as editors may have changed it; only missing entries and missing locales are created.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { SOURCE_LOCALE } from '../lib/locales';
import { entryData, entryKey, seedIssues, type SeedFile, type SeedSchema } from '../lib/seed';
import { whenDatabaseIdle } from '../bootstrap/idle';
import { asSystem } from '../lib/system-actor';

export interface SeedReport {
  created: number;
  present: number;
  lines: string[];
}

type Documents = ReturnType<Core.Strapi['documents']>;

export const readSeedFiles = (dir: string): SeedFile[] =>
  fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as SeedFile);

export const seedDir = (strapi: Core.Strapi) => path.join(strapi.dirs.app.root, 'data', 'seed');

export interface SeedOptions {
  dir?: string;
  log?: (line: string) => void;
}

/**
 * The seed publishes directly, so it runs in the explicit system context: the editorial workflow
 * lets it through and records it in the audit log as the system.
 */
export const runSeed = (strapi: Core.Strapi, options: SeedOptions = {}): Promise<SeedReport> =>
  asSystem('seed', () => loadSeed(strapi, options));

const loadSeed = async (
  strapi: Core.Strapi,
  { dir = seedDir(strapi), log = (line: string) => void strapi.log.info(line) }: SeedOptions,
): Promise<SeedReport> => {
  const files = readSeedFiles(dir);
  const schemas = Object.fromEntries(
    files.map(({ type }) => [type, strapi.getModel(type as never) as unknown as SeedSchema]),
  );
  const known = new Map<string, Set<string>>();
  const issues = files.flatMap((file) => seedIssues(file, schemas, known));
  if (issues.length) throw new Error(`Seed data in ${dir} is invalid:\n- ${issues.join('\n- ')}`);

  const ids = new Map<string, string>(); // `${uid} ${slug}` → documentId
  const documentIdOf = (uid: string, slug: string) => {
    const id = ids.get(`${uid} ${slug}`);
    if (!id) throw new Error(`seed: ${uid} "${slug}" has no documentId yet`);
    return id;
  };
  const report: SeedReport = { created: 0, present: 0, lines: [] };

  for (const file of files) {
    const schema = schemas[file.type];
    const documents = strapi.documents(file.type as never) as Documents;
    let created = 0;
    let present = 0;

    for (const entry of file.entries) {
      const key = entryKey(entry, schema);
      const find = (locale: string) =>
        documents.findFirst({
          locale,
          status: 'draft',
          ...(key ? { filters: { [key.field]: key.value } } : {}),
        } as never) as Promise<{ documentId: string } | null>;

      const source = await find(SOURCE_LOCALE);
      let documentId = source?.documentId;
      for (const locale of [SOURCE_LOCALE, ...Object.keys(entry.locales).filter((code) => code !== SOURCE_LOCALE)]) {
        const exists =
          locale === SOURCE_LOCALE
            ? !!source
            : !!documentId && !!(await documents.findOne({ documentId, locale, status: 'draft' } as never));
        if (exists) {
          present += 1;
          continue;
        }
        const data = entryData(entry, schema, locale, documentIdOf);
        const written = (documentId
          ? await documents.update({ documentId, locale, data, status: 'published' } as never)
          : await documents.create({ locale, data, status: 'published' } as never)) as unknown as {
          documentId: string;
        };
        documentId = written.documentId;
        created += 1;
      }
      if (entry.slug && documentId) ids.set(`${file.type} ${entry.slug}`, documentId);
    }

    const line = `seed: ${file.type}: ${file.entries.length} entries, ${created} locale version(s) created, ${present} already present`;
    log(line);
    report.lines.push(line);
    report.created += created;
    report.present += present;
  }

  await whenDatabaseIdle(strapi);
  log(
    report.created
      ? `seed: done, ${report.created} locale version(s) created, ${report.present} already present`
      : `seed: nothing to do, all ${report.present} locale versions already present`,
  );
  return report;
};

/** True when none of our content types holds a single row: a new database. */
export const isContentEmpty = async (strapi: Core.Strapi) => {
  for (const uid of Object.keys(strapi.contentTypes).filter((key) => key.startsWith('api::'))) {
    if ((await strapi.db.query(uid as never).count({})) > 0) return false;
  }
  return true;
};

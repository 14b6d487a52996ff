/**
 * The admin's own texts, for what the server writes in a person's language (e-mails, the audit
 * CSV, the audit log's search): the editorial plugin's templates (`msg.*`, stages, actions) and
 * the admin's labels (content types, fields). Every `<language>.json` beside the admin's
 * translations is a language, as the admin itself finds them (import.meta.glob): adding a
 * language is adding its two files, no code.
 */
import fs from 'fs';
import path from 'path';

/**
 * The source tree's translations: the compiled server (dist/src/…) has only the JSON files some
 * module imports, and none of these is imported any more.
 */
const sourceDir = (...parts: string[]) => {
  const src = path.resolve(__dirname, '..', '..', '..'); // <root>/src or <root>/dist/src
  const root = path.basename(path.dirname(src)) === 'dist' ? path.dirname(path.dirname(src)) : path.dirname(src);
  return path.join(root, 'src', ...parts);
};

const tables = (dir: string): Record<string, Record<string, string>> =>
  Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [path.basename(file, '.json'), JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))]),
  );

export const TEMPLATES = tables(sourceDir('plugins', 'editorial', 'admin', 'src', 'translations'));
export const LABELS = tables(sourceDir('admin', 'translations'));
export const LANGUAGES = Object.keys(TEMPLATES);

/** Our content-type and component schemas read from src/ (for tests that must cover every field). */
import fs from 'fs';
import path from 'path';
import { ROOT } from './paths';

export interface SchemaFile {
  uid: string;
  kind: 'collectionType' | 'singleType' | 'component';
  info: { displayName: string; singularName?: string };
  attributes: Record<string, { type: string; enum?: string[] }>;
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

export const contentTypeSchemas = (): SchemaFile[] => {
  const api = path.join(ROOT, 'src', 'api');
  return fs.readdirSync(api).flatMap((apiName) => {
    const dir = path.join(api, apiName, 'content-types');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).map((name) => {
      const schema = read(path.join(dir, name, 'schema.json'));
      return { ...schema, uid: `api::${apiName}.${schema.info.singularName}` };
    });
  });
};

export const componentSchemas = (): SchemaFile[] => {
  const root = path.join(ROOT, 'src', 'components');
  return fs.readdirSync(root).flatMap((category) =>
    fs
      .readdirSync(path.join(root, category))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        ...read(path.join(root, category, file)),
        kind: 'component' as const,
        uid: `${category}.${file.slice(0, -'.json'.length)}`,
      })),
  );
};

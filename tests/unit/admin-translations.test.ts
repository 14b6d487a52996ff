/**
 * Every name, field label and enumeration option the Content Manager shows has a text in every
 * interface language, derived from the schemas: a new field, value or language without its
 * texts fails here.
 */
import fs from 'fs';
import path from 'path';
import { ROOT } from '../helpers/paths';
import { componentSchemas, contentTypeSchemas } from '../helpers/schemas';

const DIR = path.join(ROOT, 'src', 'admin', 'translations');
const languages = fs
  .readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length));
const messages = (language: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(DIR, `${language}.json`), 'utf8'));

// Fields Strapi adds to every content type, shown as list columns and filters.
const SYSTEM = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale'];

const expectedKeys = () => {
  const keys = new Set<string>();
  for (const schema of contentTypeSchemas()) {
    keys.add(schema.info.displayName);
    for (const field of [...SYSTEM, ...Object.keys(schema.attributes)])
      keys.add(`content-manager.content-types.${schema.uid}.${field}`);
  }
  for (const schema of componentSchemas())
    for (const field of Object.keys(schema.attributes)) keys.add(`content-manager.components.${schema.uid}.${field}`);
  // The Content Manager shows an enumeration option under the message id of its value.
  for (const schema of [...contentTypeSchemas(), ...componentSchemas()])
    for (const attribute of Object.values(schema.attributes)) attribute.enum?.forEach((value) => keys.add(value));
  return [...keys];
};

it('has Chinese and English', () => {
  expect(languages).toEqual(expect.arrayContaining(['en', 'zh-Hans']));
});

describe.each(languages)('%s', (language) => {
  const texts = messages(language);

  it('names every content type, field and enumeration option', () => {
    const missing = expectedKeys().filter((key) => typeof texts[key] !== 'string' || !texts[key].trim());
    expect(missing).toEqual([]);
  });

  it('has exactly the keys of every other language (hints included)', () => {
    for (const other of languages) expect(Object.keys(texts).sort()).toEqual(Object.keys(messages(other)).sort());
  });

  it('shows no raw field name or value as a label', () => {
    const raw = Object.entries(texts).filter(
      ([key, text]) => /^[a-z]+(?:[A-Z_][a-z0-9]*)+$/.test(text) || (key === text && /_/.test(key)),
    );
    expect(raw).toEqual([]);
  });
});

it('writes Chinese labels in Chinese', () => {
  const zh = messages('zh-Hans');
  const latinOnly = expectedKeys().filter(
    (key) => !/\p{Script=Han}/u.test(zh[key] ?? '') && !/\.(id|documentId)$/.test(key),
  );
  expect(latinOnly).toEqual([]);
});

describe("Strapi's own admin strings we translate (translations/strapi)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('@formatjs/icu-messageformat-parser') as { parse: (message: string) => unknown[] };
  const STRAPI = path.join(DIR, 'strapi');
  const files = fs.readdirSync(STRAPI).filter((file) => file.endsWith('.json'));
  const english = (() => {
    const read = (file: string): Record<string, string> => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(path.join(ROOT, 'node_modules', '@strapi', file));
      return loaded.default ?? loaded;
    };
    const prefixed = (id: string, messages: Record<string, string>) =>
      Object.fromEntries(Object.entries(messages).map(([key, text]) => [`${id}.${key}`, text]));
    return {
      ...read('admin/dist/admin/admin/src/translations/en.json.js'),
      ...prefixed('content-manager', read('content-manager/dist/admin/translations/en.json.js')),
      ...prefixed('upload', read('upload/dist/admin/translations/en.json.js')),
      ...prefixed('i18n', read('i18n/dist/admin/translations/en.json.js')),
    };
  })();
  /** The names of a message's arguments ({name}, {count, plural, …}), nested ones included. */
  const argumentsOf = (message: string) => {
    const names = new Set<string>();
    const walk = (nodes: unknown[]) =>
      nodes.forEach((node) => {
        const { value, options, children } = node as {
          value?: unknown;
          options?: Record<string, { value: unknown[] }>;
          children?: unknown[];
        };
        if (typeof value === 'string' && (node as { type: number }).type !== 0) names.add(value);
        Object.values(options ?? {}).forEach((option) => walk(option.value));
        if (children) walk(children);
      });
    walk(parse(message));
    return [...names].sort();
  };

  it.each(files)('%s: valid messages with the arguments of the English ones', (file) => {
    const messages: Record<string, string> = JSON.parse(fs.readFileSync(path.join(STRAPI, file), 'utf8'));
    expect(Object.keys(messages).length).toBeGreaterThan(0);
    const wrong = Object.entries(messages).filter(
      ([key, text]) =>
        key in english && JSON.stringify(argumentsOf(text)) !== JSON.stringify(argumentsOf(english[key])),
    );
    expect(wrong).toEqual([]);
  });
});

describe('our admin pages', () => {
  // The design system's clear button says "Clear" unless told otherwise, in every language.
  it('name every clearable select’s clear button in the interface language', () => {
    const sources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return sources(file);
        return file.endsWith('.tsx') ? [file] : [];
      });
    const files = ['editorial', 'delivery'].flatMap((plugin) =>
      sources(path.join(ROOT, 'src', 'plugins', plugin, 'admin', 'src')),
    );
    const unnamed = files.flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const clearable = text.split('onClear=').length - 1;
      const named = text.split('clearLabel=').length - 1;
      return clearable === named ? [] : [`${path.relative(ROOT, file)}: ${clearable - named} without clearLabel`];
    });
    expect(files.length).toBeGreaterThan(5);
    expect(unnamed).toEqual([]);
  });
});

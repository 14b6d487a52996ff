/**
 * The seed's data format (data/seed/README.md) and how one entry becomes Document Service data.
 * Pure: schemas come in as plain attribute maps, relations are resolved by a callback.
 */
export interface SeedEntry {
  slug?: string;
  data?: Record<string, unknown>;
  relations?: Record<string, string | string[]>;
  locales: Record<string, Record<string, unknown>>;
}

export interface SeedFile {
  type: string;
  entries: SeedEntry[];
}

export interface SchemaAttribute {
  type: string;
  target?: string;
  relation?: string;
  enum?: string[];
  required?: boolean;
  unique?: boolean;
  pluginOptions?: { i18n?: { localized?: boolean } };
}

export interface SeedSchema {
  kind: 'collectionType' | 'singleType';
  attributes: Record<string, SchemaAttribute>;
}

export type Block =
  | { type: 'paragraph'; children: { type: 'text'; text: string }[] }
  | { type: 'heading'; level: 2; children: { type: 'text'; text: string }[] };

/** One paragraph per string; a string starting with "## " is a heading. */
export const textToBlocks = (paragraphs: string[]): Block[] =>
  paragraphs.map((text) =>
    text.startsWith('## ')
      ? { type: 'heading', level: 2, children: [{ type: 'text', text: text.slice(3).trim() }] }
      : { type: 'paragraph', children: [{ type: 'text', text }] },
  );

const isLocalized = (attribute: SchemaAttribute) =>
  attribute.type === 'relation' || attribute.type === 'uid' || attribute.pluginOptions?.i18n?.localized === true;

/**
 * How an entry is found again on the next run: by its slug, or for a type without one (the
 * glossary) by its unique shared attribute. Single types need no key.
 */
export const entryKey = (entry: SeedEntry, schema: SeedSchema): { field: string; value: string } | undefined => {
  const slug = slugAttribute(schema);
  if (slug) return entry.slug ? { field: slug, value: entry.slug } : undefined;
  const unique = Object.entries(schema.attributes).find(
    ([, attribute]) => attribute.unique && !isLocalized(attribute),
  )?.[0];
  const value = unique ? entry.data?.[unique] : undefined;
  return unique && typeof value === 'string' ? { field: unique, value } : undefined;
};

const slugAttribute = (schema: SeedSchema) =>
  Object.entries(schema.attributes).find(([, attribute]) => attribute.type === 'uid')?.[0];

/** Everything wrong with a seed file against the schemas, as readable messages. */
export const seedIssues = (
  file: SeedFile,
  schemas: Record<string, SeedSchema>,
  known: Map<string, Set<string>>,
): string[] => {
  const schema = schemas[file.type];
  if (!schema) return [`unknown type ${file.type}`];
  const issues: string[] = [];
  const seen = new Set<string>();

  file.entries.forEach((entry, index) => {
    const key = entryKey(entry, schema);
    const where = `${file.type} #${index + 1}${key ? ` (${key.value})` : ''}`;
    if (schema.kind === 'collectionType') {
      if (slugAttribute(schema) && (!entry.slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(entry.slug)))
        issues.push(`${where}: slug must be lower-case words joined by "-"`);
      else if (!key) issues.push(`${where}: needs a slug or a unique shared attribute to be found again`);
      else if (seen.has(key.value)) issues.push(`${where}: duplicate ${key.field}`);
      else seen.add(key.value);
    }
    const check = (name: string, value: unknown, placement: 'data' | 'locale') => {
      if (name.startsWith('_')) return;
      const attribute = schema.attributes[name];
      if (!attribute) return issues.push(`${where}: unknown attribute "${name}"`);
      if (attribute.type === 'relation')
        return issues.push(`${where}: "${name}" is a relation; put it under "relations"`);
      if (attribute.type === 'uid') return issues.push(`${where}: "${name}" comes from the entry's slug`);
      if (isLocalized(attribute) !== (placement === 'locale')) {
        issues.push(
          `${where}: "${name}" is ${isLocalized(attribute) ? '' : 'not '}localized; move it to "${isLocalized(attribute) ? 'locales' : 'data'}"`,
        );
      }
      if (attribute.type === 'enumeration' && value !== null && !attribute.enum?.includes(String(value))) {
        issues.push(`${where}: "${name}" must be one of ${attribute.enum?.join(', ')}, not "${value}"`);
      }
      if (attribute.type === 'blocks' && !(Array.isArray(value) && value.every((part) => typeof part === 'string'))) {
        issues.push(`${where}: "${name}" must be a list of paragraphs (strings)`);
      }
    };
    Object.entries(entry.data ?? {}).forEach(([name, value]) => check(name, value, 'data'));
    Object.entries(entry.locales ?? {}).forEach(([, values]) =>
      Object.entries(values).forEach(([name, value]) => check(name, value, 'locale')),
    );

    Object.entries(entry.relations ?? {}).forEach(([name, slugs]) => {
      const attribute = schema.attributes[name];
      if (attribute?.type !== 'relation' || !attribute.target)
        return issues.push(`${where}: "${name}" is not a relation`);
      for (const slug of ([] as string[]).concat(slugs)) {
        if (!known.get(attribute.target)?.has(slug))
          issues.push(`${where}: ${name} → "${slug}" is not a ${attribute.target} seeded earlier`);
      }
    });

    for (const [name, attribute] of Object.entries(schema.attributes)) {
      if (!attribute.required || attribute.type === 'uid' || attribute.type === 'relation') continue;
      for (const locale of Object.keys(entry.locales ?? {})) {
        const value = isLocalized(attribute) ? entry.locales[locale][name] : entry.data?.[name];
        if (value === undefined || value === null || value === '')
          issues.push(`${where}: "${name}" is required (${locale})`);
      }
    }
  });

  const slugs = known.get(file.type) ?? new Set<string>();
  seen.forEach((slug) => slugs.add(slug));
  known.set(file.type, slugs);
  return issues;
};

/**
 * The Document Service `data` for one locale of an entry: shared values, that locale's text,
 * the slug, relations as documentIds and paragraphs as blocks.
 */
export const entryData = (
  entry: SeedEntry,
  schema: SeedSchema,
  locale: string,
  documentIdOf: (uid: string, slug: string) => string,
): Record<string, unknown> => {
  const data: Record<string, unknown> = {};
  const values = { ...entry.data, ...entry.locales[locale] };
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith('_')) continue;
    data[name] = schema.attributes[name]?.type === 'blocks' ? textToBlocks(value as string[]) : value;
  }
  const slug = slugAttribute(schema);
  if (slug && entry.slug) data[slug] = entry.slug;
  for (const [name, slugs] of Object.entries(entry.relations ?? {})) {
    const target = schema.attributes[name].target as string;
    data[name] = Array.isArray(slugs) ? slugs.map((one) => documentIdOf(target, one)) : documentIdOf(target, slugs);
  }
  return data;
};

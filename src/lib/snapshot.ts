/**
 * Canonical snapshots of a document-locale: what "the same version" means.
 *
 * A snapshot keeps the content and drops what every save changes anyway (ids, timestamps,
 * publication state), so two saves of identical content have the same version hash. The workflow
 * approves a version, the audit log and history diff two snapshots field by field.
 */
import { createHash } from 'crypto';

export interface SnapshotAttribute {
  type: string;
  component?: string;
  components?: string[];
  multiple?: boolean;
}

export type SnapshotSchema = Record<string, SnapshotAttribute>;
export type SchemaOf = (uid: string) => SnapshotSchema | undefined;
export type Snapshot = Record<string, unknown>;

/**
 * Query Engine populate (`strapi.db.query`) that loads everything a snapshot needs: components
 * deeply, relations and media by reference only.
 */
export const snapshotPopulate = (attributes: SnapshotSchema, schemaOf: SchemaOf): Record<string, unknown> => {
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type === 'component' && attribute.component) {
      const nested = snapshotPopulate(schemaOf(attribute.component) ?? {}, schemaOf);
      populate[name] = Object.keys(nested).length ? { populate: nested } : true;
    } else if (attribute.type === 'dynamiczone') {
      populate[name] = {
        on: Object.fromEntries(
          (attribute.components ?? []).map((uid) => {
            const nested = snapshotPopulate(schemaOf(uid) ?? {}, schemaOf);
            return [uid, Object.keys(nested).length ? { populate: nested } : true];
          }),
        ),
      };
    } else if (attribute.type === 'relation') {
      populate[name] = { select: ['id', 'documentId'] };
    } else if (attribute.type === 'media') {
      populate[name] = { select: ['id'] };
    }
  }
  return populate;
};

const refOf = (value: unknown, key: 'documentId' | 'id') =>
  value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : value;

const canonicalValue = (attribute: SnapshotAttribute, value: unknown, schemaOf: SchemaOf): unknown => {
  if (value === undefined || value === null) return null;
  switch (attribute.type) {
    case 'component': {
      const schema = schemaOf(attribute.component ?? '') ?? {};
      return Array.isArray(value)
        ? value.map((item) => snapshotOf(item, schema, schemaOf))
        : snapshotOf(value, schema, schemaOf);
    }
    case 'dynamiczone':
      return (value as { __component: string }[]).map((item) => ({
        __component: item.__component,
        ...snapshotOf(item, schemaOf(item.__component) ?? {}, schemaOf),
      }));
    case 'relation':
      return Array.isArray(value) ? value.map((item) => refOf(item, 'documentId')) : refOf(value, 'documentId');
    case 'media':
      return Array.isArray(value) ? value.map((item) => refOf(item, 'id')) : refOf(value, 'id');
    case 'decimal':
    case 'float':
    case 'integer':
    case 'biginteger':
      return Number(value);
    case 'date':
      return typeof value === 'string' ? value.slice(0, 10) : value;
    default:
      return value;
  }
};

/** The content of one document-locale (or component), keyed by attribute, in schema order. */
export const snapshotOf = (document: unknown, attributes: SnapshotSchema, schemaOf: SchemaOf): Snapshot => {
  const source = (document ?? {}) as Record<string, unknown>;
  const snapshot: Snapshot = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (SYSTEM_ATTRIBUTES.has(name)) continue;
    snapshot[name] = canonicalValue(attribute, source[name], schemaOf);
  }
  return snapshot;
};

/** Attributes every save sets by itself, which are not content. */
export const SYSTEM_ATTRIBUTES = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
]);

/** Stable JSON: object keys sorted, so equal content gives equal text. */
export const stableStringify = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

export const versionOf = (snapshot: Snapshot): string =>
  createHash('sha256').update(stableStringify(snapshot)).digest('hex').slice(0, 32);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Top-level fields whose content differs between two snapshots (either may be empty). */
export const diffSnapshots = (before: Snapshot | null, after: Snapshot | null): FieldChange[] => {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...fields]
    .filter((field) => stableStringify(before?.[field] ?? null) !== stableStringify(after?.[field] ?? null))
    .map((field) => ({ field, before: before?.[field] ?? null, after: after?.[field] ?? null }));
};

/** "title, landAreaMu and 2 more changed" — a one-line summary for the audit log. */
export const summarizeChanges = (changes: FieldChange[], max = 4): string => {
  if (!changes.length) return 'no content change';
  const names = changes.map(({ field }) => field);
  if (names.length <= max) {
    return `${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]} changed`;
  }
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more changed`;
};

/**
 * Which fields a save's input (as the Content Manager sends it: whole form, relations as
 * connect/disconnect) would change compared with a snapshot.
 */
export const changedInputFields = (
  input: Record<string, unknown>,
  base: Snapshot | null,
  attributes: SnapshotSchema,
  schemaOf: SchemaOf,
): string[] =>
  Object.keys(input).filter((field) => {
    const attribute = attributes[field];
    if (!attribute || SYSTEM_ATTRIBUTES.has(field)) return false;
    const value = input[field];
    if (attribute.type === 'relation' && value && typeof value === 'object' && !Array.isArray(value)) {
      const {
        connect = [],
        disconnect = [],
        set,
      } = value as { connect?: unknown[]; disconnect?: unknown[]; set?: unknown[] };
      if (set)
        return stableStringify(set.map((item) => refOf(item, 'documentId'))) !== stableStringify(base?.[field] ?? null);
      return connect.length > 0 || disconnect.length > 0;
    }
    const next = snapshotOf({ [field]: value }, { [field]: attribute }, schemaOf)[field];
    return stableStringify(next) !== stableStringify(base?.[field] ?? null);
  });

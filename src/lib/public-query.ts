/**
 * The public read path's query allow-list: what anonymous clients, the Public role and read-only
 * API tokens (anyone who may not read drafts) may ask of the REST content API. Pure; wired in by
 * src/middlewares/public-api.ts, and by the response cache and read model for the parse itself.
 *
 * Why an allow-list: Strapi joins relations and `localizations` without regard to publication, so
 * a filter or sort through them answers differently depending on unpublished drafts (an oracle),
 * and `publicationFilter` tells which live documents have unpublished edits. Rather than chase
 * spellings, only the query features a front end needs are accepted; everything else is a 400
 * that names the parameter.
 */
import qs from 'qs';

/**
 * Strapi's own query-string settings (@strapi/core dist/middlewares/query.js defaults; our
 * config/middlewares.ts does not change them): the cache key, the preview decision and the
 * allow-list see exactly the query Strapi will run.
 */
export const QS_OPTIONS = { strictNullHandling: true, arrayLimit: 100, depth: 20 } as const;

export type ParsedQuery = Record<string, unknown>;

export const parseQuery = (querystring: string): ParsedQuery => qs.parse(querystring, QS_OPTIONS) as ParsedQuery;

/**
 * A parsed query's canonical form: top-level parameters in name order (Strapi reads them by
 * name), everything inside them as parsed (array and object order can matter: sort=a&sort=b is
 * not sort=b&sort=a). Equal forms ⇔ equal parsed queries.
 */
export const canonicalQuery = (query: ParsedQuery): string => {
  const names = Object.keys(query).sort();
  return names.length ? JSON.stringify(names.map((name) => [name, query[name]])) : '';
};

/** Does the query ask for a preview, in whatever spelling (`%70review`, …)? */
export const asksPreview = (query: ParsedQuery): boolean => Object.prototype.hasOwnProperty.call(query, 'preview');

// --- schemas --------------------------------------------------------------------------------

export interface AttributeSchema {
  type: string;
  private?: boolean;
  relation?: string;
  target?: string;
  component?: string;
  components?: string[];
  enum?: string[];
}

export interface ModelSchema {
  attributes: Record<string, AttributeSchema>;
}

export interface Schemas {
  /** A content type the public may read (api::, with Draft & Publish); undefined for any other. */
  publicType(uid: string): ModelSchema | undefined;
  component(uid: string): ModelSchema | undefined;
}

/** What went wrong, where: `path` as the query spells it (['filters', 'localizations']). */
export interface QueryIssue {
  path: string[];
  message: string;
}

/** `filters[projects][localizations]`: the parameter as a client writes it. */
export const paramName = (path: string[]) =>
  path[0] +
  path
    .slice(1)
    .map((part) => `[${part}]`)
    .join('');

export const issueMessage = ({ path, message }: QueryIssue) => `Invalid parameter ${paramName(path)}: ${message}`;

// --- the allow-list ------------------------------------------------------------------------

export const TOP_LEVEL = [
  'locale',
  'filters',
  'sort',
  'fields',
  'populate',
  'pagination',
  'fallback',
  'preview',
  'near',
  'radius',
  'status',
] as const;

export const OPERATORS = {
  equality: ['$eq', '$eqi', '$ne', '$nei'],
  order: ['$lt', '$lte', '$gt', '$gte'],
  set: ['$in', '$notIn'],
  range: ['$between'],
  text: [
    '$contains',
    '$notContains',
    '$containsi',
    '$notContainsi',
    '$startsWith',
    '$startsWithi',
    '$endsWith',
    '$endsWithi',
  ],
  null: ['$null', '$notNull'],
  logic: ['$and', '$or', '$not'],
} as const;
const ALL_OPERATORS = new Set<string>(Object.values(OPERATORS).flat());

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'time';

const KIND_OF: Record<string, Kind> = {
  string: 'string',
  text: 'string',
  richtext: 'string',
  email: 'string',
  uid: 'string',
  enumeration: 'string',
  integer: 'integer',
  biginteger: 'integer',
  decimal: 'number',
  float: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
  time: 'time',
};

/** Operators per kind of value (text operators only on text). */
const OPERATORS_OF: Record<Kind, Set<string>> = {
  string: new Set([
    ...OPERATORS.equality,
    ...OPERATORS.order,
    ...OPERATORS.set,
    ...OPERATORS.range,
    ...OPERATORS.text,
    ...OPERATORS.null,
  ]),
  integer: new Set(['$eq', '$ne', ...OPERATORS.order, ...OPERATORS.set, ...OPERATORS.range, ...OPERATORS.null]),
  number: new Set(['$eq', '$ne', ...OPERATORS.order, ...OPERATORS.set, ...OPERATORS.range, ...OPERATORS.null]),
  date: new Set(['$eq', '$ne', ...OPERATORS.order, ...OPERATORS.set, ...OPERATORS.range, ...OPERATORS.null]),
  datetime: new Set(['$eq', '$ne', ...OPERATORS.order, ...OPERATORS.set, ...OPERATORS.range, ...OPERATORS.null]),
  time: new Set(['$eq', '$ne', ...OPERATORS.order, ...OPERATORS.set, ...OPERATORS.range, ...OPERATORS.null]),
  boolean: new Set(['$eq', '$ne', ...OPERATORS.set, ...OPERATORS.null]),
};

/** Strapi's own columns on every content type, all public (they are in every response). */
const SYSTEM: Record<string, AttributeSchema> = {
  id: { type: 'integer' },
  documentId: { type: 'string' },
  createdAt: { type: 'datetime' },
  updatedAt: { type: 'datetime' },
  publishedAt: { type: 'datetime' },
  locale: { type: 'string' },
};
/**
 * A content type's own scalar attributes a public query may name, Strapi's system columns
 * included (not relations, components, media, json): what a filter or sort reads from the type's
 * own table. Whether one is public is still the allow-list's to say.
 */
export const scalarAttributes = (schema: ModelSchema): Set<string> =>
  new Set([
    ...Object.keys(SYSTEM),
    ...Object.entries(schema.attributes)
      .filter(([, attribute]) => own(KIND_OF, attribute.type))
      .map(([name]) => name),
  ]);

/** A component's only system column. */
const COMPONENT_SYSTEM: Record<string, AttributeSchema> = { id: { type: 'integer' } };

/** Never public, whatever a schema says: authors, and review-workflow bookkeeping. */
const HIDDEN = new Set(['createdBy', 'updatedBy', 'strapi_stage', 'strapi_assignee']);
const PASSWORD_LIKE = /password|secret|token/i;

/** What a populated media field may select (plugin::upload.file's public columns). */
const FILE_FIELDS = new Set([
  'id',
  'documentId',
  'name',
  'alternativeText',
  'caption',
  'width',
  'height',
  'formats',
  'hash',
  'ext',
  'mime',
  'size',
  'url',
  'previewUrl',
  'createdAt',
  'updatedAt',
]);

const LOCALIZATIONS_ONLY_POPULATE = 'localizations may only be populated, not filtered or sorted on';
/** Relation hops in filters and sort; populate nesting. */
const MAX_DEPTH = 4;
const MAX_LIST = 100;

class Refusal extends Error {
  constructor(
    readonly path: string[],
    message: string,
  ) {
    super(message);
  }
}
const refuse = (path: string[], message: string): never => {
  throw new Refusal(path, message);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

interface Model {
  schema: ModelSchema;
  /** a content type (with Strapi's system columns) or a component */
  component: boolean;
}

/** A record's own entry only (`constructor`, `toString` are names, not Object.prototype's). */
const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

type Resolved =
  | { as: 'scalar'; attribute: AttributeSchema; kind: Kind | undefined }
  | { as: 'relation'; target: Model }
  | { as: 'component'; target: Model; dynamic: false }
  | { as: 'dynamiczone'; components: string[] }
  | { as: 'media' }
  | { as: 'localizations'; target: Model };

/** An attribute a public query may name, or a refusal saying why not. */
const resolve = (model: Model, name: string, path: string[], schemas: Schemas): Resolved => {
  if (name === 'localizations' && !model.component) return { as: 'localizations', target: model };
  const system = own(model.component ? COMPONENT_SYSTEM : SYSTEM, name);
  if (system) return { as: 'scalar', attribute: system, kind: own(KIND_OF, system.type) };
  const attribute = own(model.schema.attributes, name);
  if (!attribute) return refuse(path, `unknown attribute "${name}"`);
  if (attribute.private || HIDDEN.has(name) || attribute.type === 'password' || PASSWORD_LIKE.test(name))
    return refuse(path, `"${name}" is not public`);
  if (attribute.type === 'relation') {
    const schema = attribute.target ? schemas.publicType(attribute.target) : undefined;
    if (!schema || /morph/i.test(attribute.relation ?? '')) return refuse(path, `"${name}" is not a public relation`);
    return { as: 'relation', target: { schema, component: false } };
  }
  if (attribute.type === 'component') {
    const schema = attribute.component ? schemas.component(attribute.component) : undefined;
    if (!schema) return refuse(path, `unknown component "${name}"`);
    return { as: 'component', target: { schema, component: true }, dynamic: false };
  }
  if (attribute.type === 'dynamiczone') return { as: 'dynamiczone', components: attribute.components ?? [] };
  if (attribute.type === 'media') return { as: 'media' };
  return { as: 'scalar', attribute, kind: own(KIND_OF, attribute.type) };
};

// --- values ---------------------------------------------------------------------------------

const INTEGER = /^-?\d{1,18}$/;
const NUMBER = /^-?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})([eE][-+]?\d{1,3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN = new Set(['true', 'false', '1', '0']);
/** A 32-bit `integer` column (PostgreSQL refuses larger literals with an error, not an empty answer). */
const INT32 = 2 ** 31 - 1;

/** A real calendar day (2026-02-30 is not: PostgreSQL would answer with an error). */
const validDate = (text: string) => {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
const validTime = (text: string) => {
  const match = TIME.exec(text);
  return !!match && Number(match[1]) <= 23 && Number(match[2]) <= 59 && Number(match[3] ?? 0) <= 59;
};
const validDateTime = (text: string) => {
  const match = DATETIME.exec(text);
  if (!match || !validDate(match[1]) || (match[2] && !validTime(match[2]))) return false;
  const offset = match[3] && match[3] !== 'Z' ? /^[+-](\d{2}):?(\d{2})$/.exec(match[3]) : undefined;
  return !offset || (Number(offset[1]) <= 14 && Number(offset[2]) <= 59);
};

const validValue = (value: unknown, kind: Kind, attribute: AttributeSchema, operator: string): string | undefined => {
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof text !== 'string') return 'expects a single value';
  if (text.length > 1000) return 'value is too long';
  switch (kind) {
    case 'integer':
      return INTEGER.test(text) && (attribute.type !== 'integer' || Math.abs(Number(text)) <= INT32)
        ? undefined
        : `"${text}" is not a whole number in range`;
    case 'number':
      return NUMBER.test(text) && Number.isFinite(Number(text)) ? undefined : `"${text}" is not a number`;
    case 'boolean':
      return BOOLEAN.has(text) ? undefined : `"${text}" is not true or false`;
    case 'date':
      return validDate(text) ? undefined : `"${text}" is not a date (YYYY-MM-DD)`;
    case 'datetime':
      return validDateTime(text) ? undefined : `"${text}" is not a date and time (ISO 8601)`;
    case 'time':
      return validTime(text) ? undefined : `"${text}" is not a time (HH:MM[:SS])`;
    default: {
      const choices = attribute.enum;
      if (!choices || !['$eq', '$ne', '$eqi', '$nei', '$in', '$notIn'].includes(operator)) return undefined;
      const insensitive = operator === '$eqi' || operator === '$nei';
      const known = choices.some((choice) =>
        insensitive ? choice.toLowerCase() === text.toLowerCase() : choice === text,
      );
      return known ? undefined : `"${text}" is not one of ${choices.join(', ')}`;
    }
  }
};

/** The conditions on one scalar attribute: `filters[title][$eq]=…`, `filters[title]=…`, nested $and/$or/$not. */
const checkCondition = (value: unknown, attribute: AttributeSchema, kind: Kind, path: string[]): void => {
  if (value === null || typeof value !== 'object') {
    const problem = value === null ? undefined : validValue(value, kind, attribute, '$eq');
    if (problem) refuse(path, problem);
    return;
  }
  if (Array.isArray(value)) return checkOperator('$in', value, attribute, kind, path);
  const entries = Object.entries(value);
  if (!entries.length) refuse(path, 'expects an operator');
  for (const [operator, operand] of entries) checkOperator(operator, operand, attribute, kind, [...path, operator]);
};

const listOf = (value: unknown, path: string[], exactly?: number): unknown[] => {
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_LIST) refuse(path, `at most ${MAX_LIST} values`);
  if (exactly !== undefined && items.length !== exactly) refuse(path, `expects exactly ${exactly} values`);
  if (!items.length) refuse(path, 'expects at least one value');
  return items;
};

const checkOperator = (
  operator: string,
  operand: unknown,
  attribute: AttributeSchema,
  kind: Kind,
  path: string[],
): void => {
  if (operator === '$and' || operator === '$or') {
    listOf(operand, path).forEach((item, i) => checkCondition(item, attribute, kind, [...path, String(i)]));
    return;
  }
  if (operator === '$not') return checkCondition(operand, attribute, kind, path);
  if (!ALL_OPERATORS.has(operator)) return refuse(path, `unknown operator; use ${[...ALL_OPERATORS].join(' ')}`);
  if (!OPERATORS_OF[kind].has(operator)) return refuse(path, `${operator} does not apply to this attribute`);
  if (operator === '$null' || operator === '$notNull') {
    if (typeof operand === 'boolean' || (typeof operand === 'string' && BOOLEAN.has(operand))) return;
    return refuse(path, 'expects true or false');
  }
  const items =
    operator === '$in' || operator === '$notIn'
      ? listOf(operand, path)
      : operator === '$between'
        ? listOf(operand, path, 2)
        : [operand];
  for (const item of items) {
    // `filters[title][$eq]` (no value) is Strapi's IS NULL.
    if (item === null && (operator === '$eq' || operator === '$ne')) continue;
    const problem = validValue(item, kind, attribute, operator);
    if (problem) refuse(path, problem);
  }
};

/** A filters object on a model: attributes, relations to public types, components, $and/$or/$not. */
const checkFilters = (value: unknown, model: Model, path: string[], schemas: Schemas, depth: number) => {
  if (!isObject(value)) return refuse(path, 'expects an object of conditions');
  if (depth > MAX_DEPTH) return refuse(path, `nested more than ${MAX_DEPTH} levels deep`);
  for (const [key, item] of Object.entries(value)) {
    const here = [...path, key];
    if (key === '$and' || key === '$or') {
      listOf(item, here).forEach((each, i) => checkFilters(each, model, [...here, String(i)], schemas, depth));
      continue;
    }
    if (key === '$not') {
      checkFilters(item, model, here, schemas, depth);
      continue;
    }
    if (key.startsWith('$')) return refuse(here, `${key} applies to an attribute, not here`);
    const resolved = resolve(model, key, here, schemas);
    switch (resolved.as) {
      case 'scalar':
        if (!resolved.kind) return refuse(here, `"${key}" cannot be filtered on`);
        checkCondition(item, resolved.attribute, resolved.kind, here);
        break;
      case 'relation':
      case 'component':
        checkFilters(item, resolved.target, here, schemas, depth + 1);
        break;
      case 'localizations':
        return refuse(here, LOCALIZATIONS_ONLY_POPULATE);
      default:
        return refuse(here, `"${key}" cannot be filtered on`);
    }
  }
};

// --- sort -----------------------------------------------------------------------------------

const SORT_ITEM = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?::(asc|desc))?$/i;

/** One attribute path to sort on (`park.name`): through public relations, to a sortable scalar. */
const checkSortPath = (names: string[], model: Model, path: string[], schemas: Schemas) => {
  if (names.length > MAX_DEPTH) refuse(path, `nested more than ${MAX_DEPTH} levels deep`);
  let current = model;
  names.forEach((name, i) => {
    const resolved = resolve(current, name, path, schemas);
    const last = i === names.length - 1;
    if (resolved.as === 'localizations') refuse(path, LOCALIZATIONS_ONLY_POPULATE);
    if (resolved.as === 'scalar' && last && resolved.kind) return;
    if (resolved.as === 'relation' && !last) {
      current = resolved.target;
      return;
    }
    refuse(path, `cannot sort on "${names.slice(0, i + 1).join('.')}"`);
  });
};

const checkSortObject = (value: Record<string, unknown>, model: Model, path: string[], schemas: Schemas, depth = 0) => {
  if (depth > MAX_DEPTH) refuse(path, `nested more than ${MAX_DEPTH} levels deep`);
  const entries = Object.entries(value);
  if (!entries.length) refuse(path, 'expects an attribute');
  for (const [name, direction] of entries) {
    const here = [...path, name];
    const resolved = resolve(model, name, here, schemas);
    if (resolved.as === 'localizations') refuse(here, LOCALIZATIONS_ONLY_POPULATE);
    if (resolved.as === 'relation' && isObject(direction)) {
      checkSortObject(direction, resolved.target, here, schemas, depth + 1);
      continue;
    }
    if (resolved.as !== 'scalar' || !resolved.kind) refuse(here, `cannot sort on "${name}"`);
    if (typeof direction !== 'string' || !/^(asc|desc)$/i.test(direction)) refuse(here, 'expects asc or desc');
  }
};

const checkSort = (value: unknown, model: Model, path: string[], schemas: Schemas) => {
  if (typeof value === 'string') {
    for (const item of value.split(',')) {
      const match = SORT_ITEM.exec(item.trim());
      if (!match) refuse(path, `"${item}" is not attribute[:asc|:desc]`);
      else checkSortPath(match[1].split('.'), model, path, schemas);
    }
    return;
  }
  if (Array.isArray(value)) {
    listOf(value, path).forEach((item, i) => {
      if (isObject(item)) checkSortObject(item, model, [...path, String(i)], schemas);
      else if (typeof item === 'string') checkSort(item, model, [...path, String(i)], schemas);
      else refuse([...path, String(i)], 'expects attribute[:asc|:desc]');
    });
    return;
  }
  if (isObject(value)) return checkSortObject(value, model, path, schemas);
  refuse(path, 'expects attribute[:asc|:desc]');
};

// --- fields and populate --------------------------------------------------------------------

/** Types a client may select with `fields` (no relations, components, media: those are populated). */
const FIELD_TYPES = new Set([...Object.keys(KIND_OF), 'json', 'blocks']);

const checkFields = (value: unknown, model: Model | 'media', path: string[], schemas: Schemas) => {
  const names: [unknown, string[]][] =
    typeof value === 'string'
      ? value.split(',').map((name) => [name.trim(), path])
      : Array.isArray(value)
        ? listOf(value, path).map((name, i) => [name, [...path, String(i)]])
        : refuse(path, 'expects attribute names');
  for (const [name, here] of names) {
    if (typeof name !== 'string') refuse(here, 'expects an attribute name');
    const text = name as string;
    if (text === '*') continue;
    if (model === 'media') {
      if (!FILE_FIELDS.has(text)) refuse(here, `"${text}" is not a public file field`);
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) refuse(here, `"${text}" is not an attribute name`);
    const resolved = resolve(model, text, here, schemas);
    if (resolved.as !== 'scalar' || !FIELD_TYPES.has(resolved.attribute.type))
      refuse(here, `"${text}" is not a field (populate relations, components and media)`);
  }
};

const TRUE = new Set([true, 'true', '*']);

/** One populated attribute and what it asks of its target (`fields`, nested `populate`, `filters`, `sort`, `on`). */
const checkPopulated = (
  name: string,
  value: unknown,
  model: Model,
  path: string[],
  schemas: Schemas,
  depth: number,
) => {
  if (depth > MAX_DEPTH) refuse(path, `nested more than ${MAX_DEPTH} levels deep`);
  const resolved = resolve(model, name, path, schemas);
  if (resolved.as === 'scalar') return refuse(path, `"${name}" is not a relation, component or media`);
  if (value === undefined || TRUE.has(value as never)) return;
  if (!isObject(value)) return refuse(path, 'expects true or an object of fields, populate, filters, sort, on');
  for (const [key, item] of Object.entries(value)) {
    const here = [...path, key];
    if (resolved.as === 'media') {
      if (key !== 'fields') refuse(here, 'a file allows only fields');
      checkFields(item, 'media', here, schemas);
      continue;
    }
    if (resolved.as === 'dynamiczone') {
      if (key !== 'on' || !isObject(item)) return refuse(here, 'a dynamic zone allows only on[component]');
      for (const [component, inner] of Object.entries(item)) {
        const schema = resolved.components.includes(component) ? schemas.component(component) : undefined;
        if (!schema) refuse([...here, component], `"${component}" is not a component of ${name}`);
        else checkPopulateValue(inner, { schema, component: true }, [...here, component], schemas, depth + 1);
      }
      continue;
    }
    const { target } = resolved;
    const filtersAllowed = resolved.as === 'relation';
    if (key === 'fields') checkFields(item, target, here, schemas);
    else if (key === 'populate') checkPopulate(item, target, here, schemas, depth + 1);
    else if ((key === 'filters' || key === 'sort') && !filtersAllowed)
      refuse(here, resolved.as === 'localizations' ? LOCALIZATIONS_ONLY_POPULATE : `${key} applies to relations`);
    else if (key === 'filters') checkFilters(item, target, here, schemas, depth + 1);
    else if (key === 'sort') checkSort(item, target, here, schemas);
    else refuse(here, 'expects fields, populate, filters or sort');
  }
};

/** A dynamic zone component's populate: like an attribute's (`true` or fields/populate). */
const checkPopulateValue = (value: unknown, model: Model, path: string[], schemas: Schemas, depth: number) => {
  if (value === undefined || TRUE.has(value as never)) return;
  if (!isObject(value)) return refuse(path, 'expects true or an object');
  for (const [key, item] of Object.entries(value)) {
    if (key === 'fields') checkFields(item, model, [...path, key], schemas);
    else if (key === 'populate') checkPopulate(item, model, [...path, key], schemas, depth + 1);
    else refuse([...path, key], 'expects fields or populate');
  }
};

const checkPopulate = (value: unknown, model: Model, path: string[], schemas: Schemas, depth: number) => {
  if (value === '*' || value === true || value === 'true') return;
  if (typeof value === 'string') {
    for (const item of value.split(',')) {
      const names = item.trim().split('.');
      let current = model;
      names.forEach((name, i) => {
        const resolved = resolve(current, name, path, schemas);
        if (resolved.as === 'scalar') refuse(path, `"${name}" is not a relation, component or media`);
        if (i === names.length - 1) return;
        if (resolved.as === 'relation' || resolved.as === 'component' || resolved.as === 'localizations')
          current = resolved.target;
        else refuse(path, `cannot populate through "${name}"`);
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    listOf(value, path).forEach((item, i) => {
      if (typeof item !== 'string') refuse([...path, String(i)], 'expects an attribute name');
      checkPopulate(item, model, [...path, String(i)], schemas, depth);
    });
    return;
  }
  if (!isObject(value)) return refuse(path, 'expects attribute names or an object');
  for (const [name, item] of Object.entries(value)) checkPopulated(name, item, model, [...path, name], schemas, depth);
};

// --- the whole query ------------------------------------------------------------------------

const PAGINATION_NUMBER = /^\d{1,9}$/;

const checkPagination = (value: unknown) => {
  if (!isObject(value)) refuse(['pagination'], 'expects page and pageSize, or start and limit');
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const path = ['pagination', key];
    if (key === 'withCount') {
      if (typeof item !== 'string' || !BOOLEAN.has(item)) refuse(path, 'expects true or false');
    } else if (['page', 'pageSize', 'start', 'limit'].includes(key)) {
      if (typeof item !== 'string' || !PAGINATION_NUMBER.test(item)) refuse(path, 'expects a whole number');
    } else refuse(path, 'expects page, pageSize, start, limit or withCount');
  }
};

const expectText = (name: string, value: unknown, pattern?: RegExp) => {
  if (typeof value !== 'string' || value.length > 2000) refuse([name], 'expects a single value');
  if (pattern && !pattern.test(value as string)) refuse([name], `"${value as string}" is not allowed`);
};

/**
 * Checks a parsed public query against the allow-list for the content type `uid`. Returns the
 * first issue, or undefined when the query may run. `uid` must be a public type (see Schemas).
 */
export const checkPublicQuery = (query: ParsedQuery, uid: string, schemas: Schemas): QueryIssue | undefined => {
  const schema = schemas.publicType(uid);
  if (!schema) return { path: ['*'], message: 'not a public content type' };
  const model: Model = { schema, component: false };
  try {
    for (const [name, value] of Object.entries(query)) {
      switch (name) {
        case 'locale':
          expectText(name, value, /^(\*|[A-Za-z0-9-]{1,35})$/);
          break;
        case 'status':
          // Only published content is served here; `status=draft` is for those who may read drafts.
          expectText(name, value, /^published$/);
          break;
        case 'fallback':
        case 'preview':
        case 'near':
        case 'radius':
          expectText(name, value);
          break;
        case 'pagination':
          checkPagination(value);
          break;
        case 'filters':
          checkFilters(value, model, ['filters'], schemas, 0);
          break;
        case 'sort':
          checkSort(value, model, ['sort'], schemas);
          break;
        case 'fields':
          checkFields(value, model, ['fields'], schemas);
          break;
        case 'populate':
          checkPopulate(value, model, ['populate'], schemas, 0);
          break;
        default:
          refuse([name], `not allowed here; use ${TOP_LEVEL.join(', ')}`);
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return { path: error.path, message: error.message };
    throw error;
  }
  return undefined;
};

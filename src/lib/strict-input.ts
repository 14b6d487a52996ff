/**
 * Strict input: what a write may contain, read from the content-type schema.
 *
 * Strapi 5.54 let these through to the database (a 500 on PostgreSQL) or dropped them silently:
 * NUL bytes (PostgreSQL refuses \u0000 in text and jsonb), request bodies nested thousands of
 * levels deep (a stack overflow in Strapi's traversals), a plain string in a blocks field (stored
 * as null), a `regex` pattern unchecked on drafts, fields that are not attributes (dropped by the
 * Content Manager), an admin update that changes nothing. Each rule returns ValidationIssues
 * naming the field; src/bootstrap/document-rules.ts and src/middlewares/strict-input.ts apply them.
 */
import { SYSTEM_ATTRIBUTES } from './snapshot';
import { issue, type AttributeMap, type ValidationIssue } from './validation';

/**
 * How deep a request body or a written document may nest. Seed-like content nests about 8 levels
 * (request → data → blocks → list → list-item → text); 64 leaves room for deep lists while staying
 * far below the ~2,000 levels at which Strapi's recursive traversals overflow the stack.
 */
export const MAX_DEPTH = 64;

/**
 * The path at which `value` nests deeper than `limit` levels (an object or array is one level),
 * or undefined. Iterative, so that a 100,000-deep body cannot overflow the stack here either.
 */
export const tooDeep = (value: unknown, limit = MAX_DEPTH): string[] | undefined => {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    if (path.length >= limit) return path;
    for (const [key, child] of Object.entries(current))
      if (child && typeof child === 'object') stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
};

export const depthIssue = (path: string[], limit = MAX_DEPTH): ValidationIssue =>
  issue(
    path.slice(0, 4),
    `${path.slice(0, 4).join('.') || 'The request body'} is nested deeper than ${limit} levels`,
    null,
    'validation.too-deep',
    { limit },
  );

/** Every string (or object key) holding a NUL byte, at any depth: PostgreSQL cannot store one. */
export const nulIssues = (value: unknown, path: string[] = []): ValidationIssue[] => {
  const issues: ValidationIssue[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path }];
  while (stack.length) {
    const { value: current, path: here } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000'))
        issues.push(
          issue(
            here,
            `${here.join('.') || 'value'} must not contain a NUL character (\\u0000)`,
            current,
            'validation.nul',
          ),
        );
    } else if (current && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [key, child] = entries[index];
        if (key.includes('\u0000'))
          issues.push(
            issue(
              [...here, key],
              `${[...here, key].join('.')} must not contain a NUL character (\\u0000)`,
              key,
              'validation.nul',
            ),
          );
        else stack.push({ value: child, path: [...here, key] });
      }
    }
  }
  return issues;
};

// Strapi 5's blocks schema (@strapi/core services/entity-validator/blocks-validator): which node
// may contain which. Strapi runs that validator on drafts too, but it crashes (a 500) on a null
// node and never sees a value that is not an array (a string was stored as null).
const BLOCK_TYPES = new Set(['paragraph', 'heading', 'quote', 'code', 'list', 'image']);
const INLINE_TYPES = new Set(['text', 'link']);
const LIST_CHILD_TYPES = new Set(['list-item', 'list']);

const childTypesOf = (type: string): Set<string> | undefined => {
  switch (type) {
    case 'paragraph':
    case 'heading':
    case 'quote':
    case 'list-item':
    case 'image':
      return INLINE_TYPES;
    case 'code':
    case 'link':
      return new Set(['text']);
    case 'list':
      return LIST_CHILD_TYPES;
    default:
      return undefined; // text
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** A blocks value: null, or an array of block nodes of the right shape, recursively. */
export const blocksIssues = (name: string, value: unknown, path: string[] = [name]): ValidationIssue[] => {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value))
    return [issue(path, `${name} must be an array of blocks`, value, 'validation.blocks', { field: name })];
  const issues: ValidationIssue[] = [];
  const check = (node: unknown, allowed: Set<string>, here: string[]) => {
    if (!isObject(node) || typeof node.type !== 'string' || !allowed.has(node.type)) {
      issues.push(
        issue(here, `${name}: expected a node of type ${[...allowed].join(', ')}`, node, 'validation.blocks-node', {
          field: name,
          types: [...allowed].join(', '),
        }),
      );
      return;
    }
    if (node.type === 'text') {
      if (typeof node.text !== 'string')
        issues.push(
          issue([...here, 'text'], `${name}: a text node needs a text`, node.text, 'validation.blocks-text', {
            field: name,
          }),
        );
      return;
    }
    if (node.type === 'heading' && ![1, 2, 3, 4, 5, 6].includes(node.level as number))
      issues.push(
        issue([...here, 'level'], `${name}: a heading level is 1 to 6`, node.level, 'validation.blocks-heading', {
          field: name,
        }),
      );
    if (node.type === 'list' && node.format !== 'ordered' && node.format !== 'unordered')
      issues.push(
        issue(
          [...here, 'format'],
          `${name}: a list format is ordered or unordered`,
          node.format,
          'validation.blocks-list',
          {
            field: name,
          },
        ),
      );
    if (node.type === 'image' && !isObject(node.image))
      issues.push(
        issue([...here, 'image'], `${name}: an image node needs an image`, node.image, 'validation.blocks-image', {
          field: name,
        }),
      );
    if (!Array.isArray(node.children)) {
      issues.push(
        issue(
          [...here, 'children'],
          `${name}: a ${node.type} node needs children`,
          node.children,
          'validation.blocks-children',
          {
            field: name,
            type: node.type,
          },
        ),
      );
      return;
    }
    const allowedChildren = childTypesOf(node.type)!;
    node.children.forEach((child, index) => check(child, allowedChildren, [...here, 'children', String(index)]));
  };
  value.forEach((node, index) => check(node, BLOCK_TYPES, [...path, String(index)]));
  return issues;
};

/** The pattern Strapi applies to a uid without its own `regex`, when publishing. */
const DEFAULT_UID_PATTERN = '^[A-Za-z0-9-_.~]*$';

/** A string or uid value against its `regex` (Strapi checks it on publish only); '' is "not set". */
export const patternIssue = (
  name: string,
  attribute: { type: string; regex?: string },
  value: unknown,
  path: string[] = [name],
): ValidationIssue | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const pattern = attribute.regex ?? (attribute.type === 'uid' ? DEFAULT_UID_PATTERN : undefined);
  if (!pattern || new RegExp(pattern).test(value)) return undefined;
  return issue(path, `${name} must match the pattern ${pattern}`, value, 'validation.pattern', { pattern });
};

const PATTERNED = new Set(['string', 'text', 'richtext', 'email', 'uid']);

/** Keys a write may carry beside the attributes of its type or component. */
export interface ExtraKeys {
  /** at the root of the written data */
  root: readonly string[];
  /** in a component value */
  component: readonly string[];
  /** in a dynamic zone item (besides `component`'s) */
  dynamicZone: readonly string[];
}

/** What the Document Service accepts from code: Strapi's own id fields. */
export const DOCUMENT_EXTRA_KEYS: ExtraKeys = {
  root: ['id', 'documentId'],
  component: ['id'],
  dynamicZone: ['__component'],
};

/**
 * What the Content Manager's edit view sends beside the attributes: the document as it was read
 * (its ids and `status`), `__temp_key__` on each component and dynamic-zone item (the form's
 * React keys). Its sanitizer drops them; anything else it would drop silently is refused.
 */
export const CONTENT_MANAGER_EXTRA_KEYS: ExtraKeys = {
  root: ['id', 'documentId', 'status', 'publishedBy'], // publishedBy: a meta field the admin knows, not an attribute
  component: ['id', '__temp_key__'],
  dynamicZone: ['__component'],
};

/** The REST content API takes attributes only (Strapi refuses `id` and `documentId` in `data`). */
export const REST_EXTRA_KEYS: ExtraKeys = { root: [], component: ['id'], dynamicZone: ['__component'] };

type ComponentAttributes = (uid: string) => AttributeMap | undefined;

/**
 * Keys that are neither attributes nor among `extra`, at the root and inside components and
 * dynamic zones. Relation and media values are Strapi's to check (ids, connect/disconnect/set).
 */
export const unknownFieldIssues = (
  attributes: AttributeMap,
  data: unknown,
  componentAttributes: ComponentAttributes,
  extra: ExtraKeys,
  path: string[] = [],
  allowed: readonly string[] = extra.root,
): ValidationIssue[] => {
  if (!isObject(data)) return [];
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(data)) {
    const attribute = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
    const here = [...path, key];
    if (!attribute) {
      if (!allowed.includes(key))
        issues.push(issue(here, `${key} is not a field of this type`, value, 'validation.unknown-field'));
      continue;
    }
    if (attribute.type === 'component' && attribute.component) {
      const nested = componentAttributes(attribute.component);
      if (!nested) continue;
      if (attribute.repeatable && Array.isArray(value))
        value.forEach((item, index) =>
          issues.push(
            ...unknownFieldIssues(nested, item, componentAttributes, extra, [...here, String(index)], extra.component),
          ),
        );
      else issues.push(...unknownFieldIssues(nested, value, componentAttributes, extra, here, extra.component));
    } else if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
      value.forEach((item, index) => {
        const nested = isObject(item) ? componentAttributes(String(item.__component)) : undefined;
        if (nested)
          issues.push(
            ...unknownFieldIssues(
              nested,
              item,
              componentAttributes,
              extra,
              [...here, String(index)],
              [...extra.component, ...extra.dynamicZone],
            ),
          );
      });
    }
  }
  return issues;
};

/**
 * Blocks shapes and string patterns, at the root and inside components and dynamic zones
 * (numbers are rangeIssues', NUL bytes nulIssues').
 */
export const shapeIssues = (
  attributes: AttributeMap,
  data: unknown,
  componentAttributes: ComponentAttributes,
  path: string[] = [],
): ValidationIssue[] => {
  if (!isObject(data)) return [];
  const issues: ValidationIssue[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = data[name];
    if (value === undefined || value === null) continue;
    const here = [...path, name];
    if (attribute.type === 'blocks') issues.push(...blocksIssues(name, value, here));
    else if (PATTERNED.has(attribute.type)) {
      const found = patternIssue(name, attribute, value, here);
      if (found) issues.push(found);
    } else if (attribute.type === 'component' && attribute.component) {
      const nested = componentAttributes(attribute.component);
      if (!nested) continue;
      if (attribute.repeatable && Array.isArray(value))
        value.forEach((item, index) =>
          issues.push(...shapeIssues(nested, item, componentAttributes, [...here, String(index)])),
        );
      else issues.push(...shapeIssues(nested, value, componentAttributes, here));
    } else if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
      value.forEach((item, index) => {
        const nested = isObject(item) ? componentAttributes(String(item.__component)) : undefined;
        if (nested) issues.push(...shapeIssues(nested, item, componentAttributes, [...here, String(index)]));
      });
    }
  }
  return issues;
};

/**
 * An update that names no attribute at all: `{}` (or only ids) to the Content Manager, `{data: {}}`
 * over REST. The Content Manager's own edit view always sends the whole document, and its Save
 * button is disabled until something changed, so this is only ever a client's mistake.
 */
export const isEmptyUpdate = (attributes: AttributeMap, data: unknown): boolean =>
  !isObject(data) ||
  !Object.keys(data).some(
    (key) => Object.prototype.hasOwnProperty.call(attributes, key) && !SYSTEM_ATTRIBUTES.has(key),
  );

export const emptyUpdateIssue = (path: string[]): ValidationIssue =>
  issue(path, 'Nothing to update: the request names no field of this type', {}, 'validation.empty-update');

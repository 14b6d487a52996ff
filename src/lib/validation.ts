/**
 * Numeric range rules read from the content-type schema (`min` / `max`) and from the column each
 * number type is stored in.
 *
 * Strapi 5 skips `min` for drafts, and every REST write creates a draft, so a negative area
 * would be stored until someone tried to publish it. Strapi checks no column limit at all: an
 * integer of 1e20 or a decimal of 1e30 reached PostgreSQL and came back as a 500. These checks
 * run on every write.
 */
export interface AttributeLike {
  type: string;
  min?: number | string;
  max?: number | string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  regex?: string;
  required?: boolean;
}

export type AttributeMap = Record<string, AttributeLike>;

/** What a message's stable code is filled with: field names (shown as their labels), limits… */
export type MessageParams = Record<string, string | number | string[] | null>;

export interface ValidationIssue {
  path: string[];
  /** English, for API clients. */
  message: string;
  name: 'ValidationError';
  value: unknown;
  /** A stable code the admin renders in its interface language with `params` (field = last path name). */
  code?: string;
  params?: MessageParams;
}

const NUMERIC = new Set(['integer', 'biginteger', 'float', 'decimal']);

/** integer columns are 32-bit signed on PostgreSQL (and the API promises the same on SQLite). */
export const INTEGER_MIN = -2147483648;
export const INTEGER_MAX = 2147483647;
/** bigint columns: 64-bit signed. */
export const BIGINTEGER_MAX = 2n ** 63n - 1n;
/**
 * Strapi stores `decimal` as decimal(10,2) (numeric(10,2) on PostgreSQL): 8 digits before the
 * point, values rounded to cents. Anything that rounds above 99,999,999.99 overflows the column.
 */
export const DECIMAL_MAX = 99999999.99;

export interface RangeProblem {
  message: string;
  code: 'validation.range' | 'validation.finite';
  params: MessageParams;
}

const between = (min: string | number, max: string | number): RangeProblem => ({
  message: `must be between ${min} and ${max}`,
  code: 'validation.range',
  params: { min: String(min), max: String(max) },
});

/** Why a number does not fit its column, or undefined when it does (or is not a number at all). */
export const columnRangeProblem = (type: string, value: unknown): RangeProblem | undefined => {
  if (type === 'biginteger') {
    let big: bigint | undefined;
    if (typeof value === 'bigint') big = value;
    else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) big = BigInt(value.trim());
    else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
    if (big === undefined) return undefined; // not an integer: Strapi's type validation reports it
    return big > BIGINTEGER_MAX || big < -BIGINTEGER_MAX
      ? between(`-${BIGINTEGER_MAX}`, `${BIGINTEGER_MAX}`)
      : undefined;
  }
  const number = toNumber(value);
  if (number === undefined) return undefined;
  if (!Number.isFinite(number)) return { message: 'must be a finite number', code: 'validation.finite', params: {} };
  if (type === 'integer' && (number < INTEGER_MIN || number > INTEGER_MAX)) return between(INTEGER_MIN, INTEGER_MAX);
  if (type === 'decimal' && Math.round(Math.abs(number) * 100) / 100 > DECIMAL_MAX)
    return between(`-${DECIMAL_MAX}`, `${DECIMAL_MAX}`);
  return undefined;
};

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
};

export const issue = (
  path: string[],
  message: string,
  value: unknown,
  code?: string,
  params: MessageParams = {},
): ValidationIssue => ({
  path,
  message,
  name: 'ValidationError',
  value,
  ...(code ? { code, params: { field: fieldOf(path), ...params } } : {}),
});

/** The field an issue is about: the last name in its path (not a list index). */
const fieldOf = (path: string[]) => [...path].reverse().find((part) => !/^\d+$/.test(part)) ?? null;

/**
 * The `message` and `details` of a ValidationError for `issues`: the English message for API
 * clients, and the first issue's code and params in `details` (each issue keeps its own), so
 * the admin can say it in the editor's language.
 */
export const validationDetails = (issues: ValidationIssue[]) => {
  const single = issues.length === 1;
  return {
    message: single ? issues[0].message : `${issues.length} errors occurred`,
    details: {
      code: single ? (issues[0].code ?? 'validation.invalid') : 'validation.several',
      params: single ? (issues[0].params ?? {}) : { count: issues.length },
      errors: issues,
    },
  };
};

/**
 * Lists every numeric value in `data` that is outside its attribute's min/max, descending into
 * components and dynamic zones. `componentAttributes` resolves a component uid to its attributes.
 */
export const rangeIssues = (
  attributes: AttributeMap,
  data: Record<string, unknown> | null | undefined,
  componentAttributes: (uid: string) => AttributeMap | undefined,
  path: string[] = [],
): ValidationIssue[] => {
  if (!data || typeof data !== 'object') return [];
  const issues: ValidationIssue[] = [];

  for (const [name, attribute] of Object.entries(attributes)) {
    const value = data[name];
    if (value === undefined || value === null) continue;
    const here = [...path, name];

    if (NUMERIC.has(attribute.type)) {
      const number = toNumber(value);
      if (number === undefined) {
        const problem = columnRangeProblem(attribute.type, value); // a biginteger beyond Number
        if (problem) issues.push(issue(here, `${name} ${problem.message}`, value, problem.code, problem.params));
        continue; // not a number: Strapi's type validation reports it
      }
      const min = toNumber(attribute.min);
      const max = toNumber(attribute.max);
      if (min !== undefined && number < min)
        issues.push(issue(here, `${name} must be greater than or equal to ${min}`, value, 'validation.min', { min }));
      if (max !== undefined && number > max)
        issues.push(issue(here, `${name} must be less than or equal to ${max}`, value, 'validation.max', { max }));
      const problem = issues.some((found) => found.path === here)
        ? undefined
        : columnRangeProblem(attribute.type, value);
      if (problem) issues.push(issue(here, `${name} ${problem.message}`, value, problem.code, problem.params));
    } else if (attribute.type === 'component' && attribute.component) {
      const nested = componentAttributes(attribute.component);
      if (!nested) continue;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) =>
        issues.push(
          ...rangeIssues(
            nested,
            item as Record<string, unknown>,
            componentAttributes,
            attribute.repeatable ? [...here, String(index)] : here,
          ),
        ),
      );
    } else if (attribute.type === 'dynamiczone' && Array.isArray(value)) {
      value.forEach((item, index) => {
        const nested =
          item && typeof item === 'object'
            ? componentAttributes(String((item as { __component?: string }).__component))
            : undefined;
        if (nested)
          issues.push(
            ...rangeIssues(nested, item as Record<string, unknown>, componentAttributes, [...here, String(index)]),
          );
      });
    }
  }
  return issues;
};

/**
 * Numeric range rules read from the content-type schema (`min` / `max`).
 *
 * Strapi 5 skips `min` for drafts, and every REST write creates a draft, so a negative area
 * would be stored until someone tried to publish it. These checks run on every write.
 */
export interface AttributeLike {
  type: string;
  min?: number | string;
  max?: number | string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
}

export type AttributeMap = Record<string, AttributeLike>;

export interface ValidationIssue {
  path: string[];
  message: string;
  name: 'ValidationError';
  value: unknown;
}

const NUMERIC = new Set(['integer', 'biginteger', 'float', 'decimal']);

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
};

const issue = (path: string[], message: string, value: unknown): ValidationIssue => ({
  path,
  message,
  name: 'ValidationError',
  value,
});

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
      if (number === undefined) continue; // not a number: Strapi's type validation reports it
      const min = toNumber(attribute.min);
      const max = toNumber(attribute.max);
      if (min !== undefined && number < min)
        issues.push(issue(here, `${name} must be greater than or equal to ${min}`, value));
      if (max !== undefined && number > max)
        issues.push(issue(here, `${name} must be less than or equal to ${max}`, value));
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

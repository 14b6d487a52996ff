/**
 * The adversarial read-path suite's generator: pure functions from the content-type and component
 * schemas (as the running app reports them) to planted values and probes. No Strapi import.
 *
 * The world it plants for every draft & publish collection type T:
 * - A and D, "twins": published in zh-Hans and en with the same public values (only uid/unique
 *   attributes differ, by a suffix that sorts A before D) and the same published relations (to
 *   the target types' A). A alone also carries the private root attributes (e.g. project
 *   `contact`) in its published version, and A's drafts (both locales) are then edited so that
 *   every attribute, component field and relation holds a marker value no published version has.
 * - B: never published, a draft in both locales with marker values.
 * A public answer scoped to {A, D, B} that treats A and D differently, or shows B, or shows a
 * marker, depends on draft or private data. Single types have one document: there a probe on the
 * marker is compared with the same probe on a control value that matches nothing.
 */

export interface AttrDef {
  type: string;
  enum?: string[];
  min?: number | string;
  max?: number | string;
  private?: boolean;
  unique?: boolean;
  required?: boolean;
  default?: unknown;
  component?: string;
  repeatable?: boolean;
  target?: string;
  relation?: string;
  mappedBy?: string;
  inversedBy?: string;
  maxLength?: number;
  multiple?: boolean;
}

export interface ModelDef {
  uid: string;
  kind?: string;
  info?: { singularName: string; pluralName: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, AttrDef>;
}

export interface Schema {
  contentTypes: Record<string, ModelDef>;
  components: Record<string, ModelDef>;
}

type Kind = 'string' | 'number' | 'date' | 'boolean';

const KINDS: Record<string, Kind> = {
  string: 'string',
  text: 'string',
  richtext: 'string',
  email: 'string',
  uid: 'string',
  enumeration: 'string',
  integer: 'number',
  biginteger: 'number',
  decimal: 'number',
  float: 'number',
  date: 'date',
  datetime: 'date',
  boolean: 'boolean',
};

export const kindOf = (def: AttrDef): Kind | undefined => KINDS[def.type];

/** Timestamps and bookkeeping differ between any two documents; they are not content. */
const SYSTEM = new Set(['createdAt', 'updatedAt', 'publishedAt', 'locale', 'documentId', 'id']);

export const OPERATORS = [
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$in',
  '$notIn',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
  '$null',
  '$notNull',
  '$between',
] as const;
export type Operator = (typeof OPERATORS)[number];

const NEGATIVE = new Set<Operator>(['$ne', '$nei', '$notIn', '$notContains', '$notContainsi']);
const STRING_ONLY = new Set<Operator>([
  '$eqi',
  '$nei',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
]);
const ORDERED = new Set<Operator>(['$lt', '$lte', '$gt', '$gte', '$between']);

export const managedTypes = (schema: Schema): string[] =>
  Object.values(schema.contentTypes)
    .filter(({ uid, options }) => uid.startsWith('api::') && options?.draftAndPublish)
    .map(({ uid }) => uid)
    .sort();

const isUnique = (def: AttrDef) => def.type === 'uid' || !!def.unique;

/** Attributes of a model that are content (not timestamps, not admin users, not media). */
const contentAttributes = (model: ModelDef) => Object.entries(model.attributes).filter(([name]) => !SYSTEM.has(name));

/**
 * A component can be planted when each required field is a plain value, a single media file (the
 * world uploads one image for them: shared.image's alt text, caption and credit are probed too) or
 * a plantable component.
 */
export const plantableComponent = (schema: Schema, uid: string): boolean => {
  const component = schema.components[uid];
  return (
    !!component &&
    contentAttributes(component).every(
      ([, def]) =>
        !def.required ||
        !!kindOf(def) ||
        (def.type === 'media' && !def.multiple) ||
        (def.type === 'component' && plantableComponent(schema, def.component!)),
    )
  );
};

export interface Leaf {
  /** the content type or component that holds the attribute */
  owner: string;
  attr: string;
  def: AttrDef;
  inComponent: boolean;
}

export type Hop = 'component' | 'localizations' | 'owning' | 'inverse';

export interface AttrPath {
  root: string;
  segments: string[];
  hops: Hop[];
  leaf: Leaf;
  /** a private attribute on the way */
  private: boolean;
  /**
   * A and D see the same published data along this path: no inverse relation before the first
   * owning one (park A has projects A and D; park D has none).
   */
  symmetric: boolean;
  /** the twins' published values differ here (unique attributes before any shared node) */
  twinsDiffer: boolean;
  /** the published rows on the path hold a value (required or defaulted), not null */
  publishedValue: boolean;
}

const isRelationToManaged = (schema: Schema, def: AttrDef) =>
  def.type === 'relation' && !!def.target && managedTypes(schema).includes(def.target);

/** Every filterable attribute path from a type: its own, its components', one or two relation hops. */
export const attributePaths = (schema: Schema, root: string, maxHops: number): AttrPath[] => {
  const out: AttrPath[] = [];
  const walk = (
    model: ModelDef,
    isComponent: boolean,
    segments: string[],
    hops: Hop[],
    relationHops: number,
    cameBy: string | undefined,
    priv: boolean,
  ) => {
    for (const [name, def] of contentAttributes(model)) {
      const here = [...segments, name];
      const isPrivate = priv || !!def.private;
      if (kindOf(def)) {
        const shared = hops.includes('owning');
        const firstInverse = hops.indexOf('inverse');
        const firstOwning = hops.indexOf('owning');
        const symmetric = firstInverse === -1 || (firstOwning !== -1 && firstOwning < firstInverse);
        out.push({
          root,
          segments: here,
          hops,
          leaf: { owner: model.uid, attr: name, def, inComponent: isComponent },
          private: isPrivate,
          symmetric,
          twinsDiffer: !shared && (isUnique(def) || isPrivate),
          publishedValue: !isComponent && (!!def.required || def.default !== undefined),
        });
      } else if (def.type === 'component' && plantableComponent(schema, def.component!)) {
        walk(schema.components[def.component!], true, here, [...hops, 'component'], relationHops, undefined, isPrivate);
      } else if (
        relationHops < maxHops &&
        (name === 'localizations' || isRelationToManaged(schema, def)) &&
        name !== cameBy &&
        !(name === 'localizations' && hops[hops.length - 1] === 'localizations')
      ) {
        const hop: Hop = name === 'localizations' ? 'localizations' : def.mappedBy ? 'inverse' : 'owning';
        const back = def.mappedBy ?? def.inversedBy;
        const target = name === 'localizations' ? model.uid : def.target!;
        walk(schema.contentTypes[target], false, here, [...hops, hop], relationHops + 1, back, isPrivate);
      }
    }
  };
  walk(schema.contentTypes[root], false, [], [], 0, undefined, false);
  return out;
};

/** Which instance of a document a value is for: unique attributes get a distinct value in each. */
export type Instance = 'A' | 'Aen' | 'B' | 'Ben' | 'D' | 'Den';
const SUFFIX: Record<Instance, string> = { A: 'a', Aen: 'ae', B: 'b', Ben: 'be', D: 'd', Den: 'de' };

export type Scalar = string | number | boolean;

/**
 * The values planted and probed. Markers look like `zq<tag><id>x` (strings), so any occurrence of
 * `zq<tag>` in a public answer that the request did not itself contain is a leak; public values
 * start with the tag (a digit first) so that they sort before every marker.
 */
export class Values {
  private ids = new Map<string, number>();
  constructor(
    readonly tag: string,
    /** values already stored in a column (of any version), which markers and controls avoid */
    private readonly taken: (owner: string, attr: string) => Set<string>,
    /** the uploaded file that components' required media fields point at */
    readonly mediaId?: number,
  ) {}

  private id(key: string) {
    if (!this.ids.has(key)) this.ids.set(key, this.ids.size + 1);
    return this.ids.get(key)!;
  }

  /** The twins' shared published value for required/defaulted attributes (unique ones per instance). */
  published(owner: string, attr: string, def: AttrDef, instance: Instance): Scalar | null {
    if (def.default !== undefined && !def.required) return def.default as Scalar;
    if (!def.required) return null;
    if (def.default !== undefined) return def.default as Scalar;
    const id = this.id(`${owner}.${attr}`).toString(36);
    switch (def.type) {
      case 'enumeration':
        return def.enum![0];
      case 'email':
        return `${this.tag}p${id}@example.com`;
      case 'date':
        return '2020-01-15';
      case 'datetime':
        return '2020-01-15T08:00:00.000Z';
      case 'boolean':
        return false;
      case 'integer':
      case 'biginteger':
      case 'decimal':
      case 'float':
        return Number(def.min ?? 1);
      default:
        return `${this.tag}p${id}${isUnique(def) ? SUFFIX[instance] : ''}`;
    }
  }

  /** A draft (or private) value that no published version has: `variant` 0 is the marker, 1 a control. */
  value(owner: string, attr: string, def: AttrDef, instance: Instance = 'A', variant = 0): Scalar {
    const id = this.id(`${owner}.${attr}`) * 2 + variant;
    const taken = this.taken(owner, attr);
    const published = this.published(owner, attr, def, 'A');
    const unused = (candidates: Scalar[]) =>
      candidates.find((value) => !taken.has(String(value)) && value !== published) ?? candidates[0];
    const suffix = isUnique(def) && instance !== 'A' ? SUFFIX[instance] : '';
    switch (def.type) {
      case 'enumeration': {
        const choices = def.enum!.filter((value) => value !== published);
        return choices[variant % choices.length];
      }
      case 'boolean':
        return published !== true;
      case 'email':
        return `zq${this.tag}${id.toString(36)}${suffix}x@example.com`;
      case 'date':
      case 'datetime': {
        const day = `20${60 + (id % 39)}-${String(1 + (id % 12)).padStart(2, '0')}-${String(1 + (id % 27)).padStart(2, '0')}`;
        return def.type === 'date' ? day : `${day}T10:30:00.000Z`;
      }
      case 'integer':
      case 'biginteger': {
        const min = def.min === undefined ? 0 : Number(def.min);
        const max = def.max === undefined ? min + 900000 : Number(def.max);
        const candidates = [];
        for (let step = 0; step < 60; step += 1) candidates.push(max - ((id * 7 + step * 13) % (max - min + 1)));
        // Probes bracket the marker by ±1: its neighbours must be free too.
        const free = candidates.filter((value) => !taken.has(String(value - 1)) && !taken.has(String(value + 1)));
        return unused(free.length ? free : candidates);
      }
      case 'decimal':
      case 'float': {
        const min = def.min === undefined ? 0 : Number(def.min);
        const max = def.max === undefined ? min + 90000 : Number(def.max);
        const span = Math.floor(max - min) - 1;
        const candidates = [];
        for (let step = 0; step < 60; step += 1)
          candidates.push(Number((max - 1 - ((id * 37 + step * 11) % span) + 0.37).toFixed(2)));
        return unused(candidates.filter((value) => value <= max && value >= min));
      }
      default:
        return `zq${this.tag}${id.toString(36)}${suffix}x`;
    }
  }
}

type Data = Record<string, unknown>;

/** A component's value with every field set (markers, or `published` values when `forPublished`). */
const componentData = (schema: Schema, values: Values, uid: string, instance: Instance): Data => {
  const data: Data = {};
  for (const [name, def] of contentAttributes(schema.components[uid])) {
    if (kindOf(def)) data[name] = values.value(uid, name, def, instance);
    else if (def.type === 'media' && def.required) data[name] = values.mediaId;
    else if (def.type === 'component' && plantableComponent(schema, def.component!)) {
      const inner = componentData(schema, values, def.component!, instance);
      data[name] = def.repeatable ? [inner] : inner;
    }
  }
  return data;
};

/**
 * A document's data for one instance. `published`: the public version (required and defaulted
 * values; private root attributes on A only). Otherwise the draft: markers everywhere.
 */
export const documentData = (
  schema: Schema,
  values: Values,
  uid: string,
  instance: Instance,
  published: boolean,
): Data => {
  const data: Data = {};
  for (const [name, def] of contentAttributes(schema.contentTypes[uid])) {
    const withPrivate = def.private && (instance === 'A' || instance === 'Aen' || !published);
    if (kindOf(def)) {
      if (published && !withPrivate) {
        const value = values.published(uid, name, def, instance);
        if (value !== null && def.default === undefined) data[name] = value;
      } else data[name] = values.value(uid, name, def, instance);
    } else if (def.type === 'component' && plantableComponent(schema, def.component!)) {
      if (published && !withPrivate) continue;
      const component = componentData(schema, values, def.component!, instance);
      data[name] = def.repeatable ? [component] : component;
    }
  }
  return data;
};

/** Owning relations to other managed types: set on the twins (published) and drafts. */
export const owningRelations = (schema: Schema, uid: string) =>
  contentAttributes(schema.contentTypes[uid])
    .filter(([name, def]) => name !== 'localizations' && isRelationToManaged(schema, def) && !def.mappedBy)
    .map(([name, def]) => ({ name, target: def.target!, toMany: /ToMany$/.test(def.relation ?? '') }));

// ---------------------------------------------------------------------------------------------
// Probes

export interface FilterProbe {
  /** e.g. `$lt`; with `partner`, a second operator that brackets the marker */
  operator: Operator;
  /** the filter on the leaf: { $lt: 5, $gt: 4 } */
  condition: Record<string, unknown>;
  /** the control condition (single types only) */
  control?: Record<string, unknown>;
}

const upper = (value: Scalar) => (typeof value === 'string' ? value.toUpperCase() : value);
const core = (value: Scalar) => String(value).replace(/@example\.com$/, '');

/** Neighbours of a value: lo < value < hi, nothing public in between. */
const bracket = (def: AttrDef, value: Scalar): [Scalar, Scalar] | undefined => {
  const kind = kindOf(def);
  if (kind === 'number') {
    // Integer columns take integer bounds (PostgreSQL refuses 2099.5 for an integer).
    const step = def.type === 'integer' || def.type === 'biginteger' ? 1 : 0.005;
    return [Number((Number(value) - step).toFixed(3)), Number((Number(value) + step).toFixed(3))];
  }
  if (kind === 'date') {
    const time = Date.parse(String(value));
    const day = 86400000;
    const iso = (at: number) => new Date(at).toISOString();
    return def.type === 'date'
      ? [iso(time - day).slice(0, 10), iso(time + day).slice(0, 10)]
      : [iso(time - 60000), iso(time + 60000)];
  }
  if (kind === 'string') return [String(value).slice(0, -1), `${String(value)}~`];
  return undefined;
};

/** The probes of one operator on a leaf: marker-valued, and for negative operators a value that the draft differs from. */
export const conditionsFor = (
  path: AttrPath,
  values: Values,
  operator: Operator,
  publishedValue: Scalar | null,
  variant = 0,
): Record<string, unknown>[] => {
  const { def, owner, attr } = path.leaf;
  const kind = kindOf(def)!;
  if (STRING_ONLY.has(operator) && kind !== 'string') return [];
  if (ORDERED.has(operator) && kind === 'boolean') return [];
  const marker = values.value(owner, attr, def, 'A', variant);
  const other = values.value(owner, attr, def, 'A', variant + 1);
  // Negative operators match the draft when the value is not the marker: the published value
  // (which the published rows then fail), or another value when the published rows hold null.
  const alternative = publishedValue !== null && !path.twinsDiffer ? publishedValue : other;
  const m = core(marker);
  const range = bracket(def, marker);
  const partner = (op: '$lt' | '$gt') =>
    path.publishedValue && range ? { [op]: op === '$lt' ? range[1] : range[0] } : {};
  switch (operator) {
    case '$eq':
      return [{ $eq: marker }];
    case '$eqi':
      return [{ $eqi: upper(marker) }];
    case '$ne':
      return [{ $ne: marker }, { $ne: alternative }];
    case '$nei':
      return [{ $nei: upper(marker) }, { $nei: upper(alternative) }];
    case '$in':
      return [{ $in: [marker] }];
    case '$notIn':
      return [{ $notIn: [marker] }, { $notIn: [alternative] }];
    case '$contains':
      return [{ $contains: m.slice(1, -1) }];
    case '$containsi':
      return [{ $containsi: m.slice(1, -1).toUpperCase() }];
    case '$notContains':
      return [{ $notContains: m.slice(1, -1) }, { $notContains: core(alternative) }];
    case '$notContainsi':
      return [{ $notContainsi: m.slice(1, -1).toUpperCase() }, { $notContainsi: core(alternative).toUpperCase() }];
    case '$startsWith':
      return [{ $startsWith: String(marker).slice(0, -1) }];
    case '$startsWithi':
      return [{ $startsWithi: String(marker).slice(0, -1).toUpperCase() }];
    case '$endsWith':
      return [{ $endsWith: String(marker).slice(1) }];
    case '$endsWithi':
      return [{ $endsWithi: String(marker).slice(1).toUpperCase() }];
    case '$null':
      return path.publishedValue ? [] : [{ $null: false }];
    case '$notNull':
      return path.publishedValue ? [] : [{ $notNull: true }];
    case '$between':
      return range ? [{ $between: range }] : [];
    case '$gt':
      return range ? [{ $gt: range[0], ...partner('$lt') }] : [];
    case '$gte':
      return [{ $gte: marker, ...partner('$lt') }];
    case '$lt':
      return range ? [{ $lt: range[1], ...partner('$gt') }] : [];
    case '$lte':
      return [{ $lte: marker, ...partner('$gt') }];
  }
};

export const isNegative = (operator: Operator) => NEGATIVE.has(operator);

/** Nests a leaf condition under its path: ['park', 'name'] → { park: { name: condition } }. */
export const nest = (segments: string[], condition: unknown): Record<string, unknown> =>
  segments.reduceRight<Record<string, unknown>>((inner, segment) => ({ [segment]: inner }), condition as never);

/** A path's pattern, for grouping failures: `localizations.relation` (attribute names left out). */
export const shapeOf = (path: AttrPath) =>
  [
    ...path.hops.map((hop) => (hop === 'owning' ? 'relation' : hop === 'inverse' ? 'inverse-relation' : hop)),
    path.private ? '<private>' : '<attribute>',
  ].join('.');

/** Deterministic selection of about `budget` items from groups, round-robin so every group is covered. */
export const spread = <T>(groups: T[][], budget: number): T[] => {
  const out: T[] = [];
  const cursors = groups.map(() => 0);
  let added = true;
  while (out.length < budget && added) {
    added = false;
    groups.forEach((group, index) => {
      if (out.length < budget && cursors[index] < group.length) {
        out.push(group[cursors[index]]);
        cursors[index] += 1;
        added = true;
      }
    });
  }
  return out;
};

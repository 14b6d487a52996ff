/**
 * Turns the planted world into HTTP probes (REST and GraphQL), runs them a few at a time and
 * judges each answer. See generate.ts for the oracles.
 */
import qs from 'qs';
import {
  attributePaths,
  conditionsFor,
  isNegative,
  kindOf,
  nest,
  OPERATORS,
  shapeOf,
  spread,
  type AttrPath,
  type ModelDef,
} from './generate';
import type { Locale, Planted, World } from './world';

export type Transport = 'rest' | 'graphql';
export type Auth = 'anonymous' | 'read-only';
export const COMBOS: [Transport, Auth][] = [
  ['rest', 'anonymous'],
  ['rest', 'read-only'],
  ['graphql', 'anonymous'],
  ['graphql', 'read-only'],
];

/** Something to ask: REST (a path with its query) or GraphQL (a query document). */
interface Ask {
  url: string;
  graphql?: string;
  /** GraphQL: the root field answering */
  field?: string;
}

export interface Probe extends Ask {
  type: string;
  transport: Transport;
  auth: Auth;
  /** what is probed, for grouping failures: "filter localizations.<string> $startsWith" */
  feature: string;
  /** the operator or variant and the attribute type, listed per failing class */
  detail?: string;
  /**
   * twins: A and D listed alike, B never; order: A and D in the expected order; absent: no
   * document answered; pair: answered like the control (the same documents for a single type,
   * as many for a document A whose control asks for its twin D); scan: only the marker scan.
   */
  oracle: 'twins' | 'order' | 'absent' | 'pair' | 'scan';
  expected?: string[];
  control?: Ask;
  twins?: { A: string; D?: string; B?: string };
}

/** Modes of Strapi's `publicationFilter` (@strapi/utils publication-filter.js). */
export const PUBLICATION_FILTERS = [
  'never-published',
  'has-published-version',
  'modified',
  'unmodified',
  'never-published-document',
  'has-published-version-document',
  'published-without-draft',
  'published-with-draft',
];
/** Complementary modes: a single type's one document is in exactly one of each pair if the filter is obeyed. */
const COMPLEMENTS = [
  ['modified', 'unmodified'],
  ['published-with-draft', 'published-without-draft'],
];

// ---------------------------------------------------------------------------------------------
// GraphQL schema facts, read by introspection from the running app

export interface GraphqlFacts {
  /** content type uid → root list field, single field and type name */
  roots: Record<string, { list?: string; one?: string; type: string; args: Set<string> }>;
  /** operators each filter input type supports: StringFilterInput → {eq, …} */
  operators: Record<string, Set<string>>;
  /** a type's fields: name → named type and whether it takes required args */
  fields: Record<string, { name: string; type: string; kind: string }[]>;
  /** enum values by type (PublicationStatus, publication filter enum) */
  enums: Record<string, string[]>;
  argTypes: Record<string, string>;
}

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}
const named = (ref: TypeRef): TypeRef => (ref.ofType ? named(ref.ofType) : ref);
const isList = (ref: TypeRef): boolean => ref.kind === 'LIST' || (!!ref.ofType && isList(ref.ofType));

export const INTROSPECTION = `{ __schema { queryType { name } types { name kind
  fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
    type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
  inputFields { name } enumValues { name } } } }`;

export const graphqlTypeName = (model: ModelDef) =>
  model
    .info!.singularName.split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

interface IntrospectedType {
  name: string;
  kind: string;
  fields?: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
  inputFields?: { name: string }[] | null;
  enumValues?: { name: string }[] | null;
}

export const graphqlFacts = (
  schema: { __schema: { queryType: { name: string }; types: IntrospectedType[] } },
  models: ModelDef[],
): GraphqlFacts => {
  const types = Object.fromEntries(schema.__schema.types.map((type) => [type.name, type]));
  const query = types[schema.__schema.queryType.name];
  const roots: GraphqlFacts['roots'] = {};
  const argTypes: Record<string, string> = {};
  for (const model of models) {
    const type = graphqlTypeName(model);
    const list = query.fields!.find((field) => named(field.type).name === type && isList(field.type));
    const one = query.fields!.find((field) => named(field.type).name === type && !isList(field.type));
    const args = new Set([...(list?.args ?? []), ...(one?.args ?? [])].map(({ name }) => name));
    for (const arg of [...(list?.args ?? []), ...(one?.args ?? [])]) argTypes[arg.name] = named(arg.type).name!;
    roots[model.uid] = { list: list?.name, one: one?.name, type, args };
  }
  const operators: GraphqlFacts['operators'] = {};
  const enums: GraphqlFacts['enums'] = {};
  const fields: GraphqlFacts['fields'] = {};
  for (const type of schema.__schema.types) {
    if (type.kind === 'INPUT_OBJECT' && type.name.endsWith('FilterInput') && type.inputFields)
      operators[type.name] = new Set(type.inputFields.map(({ name }) => name));
    if (type.kind === 'ENUM' && type.enumValues) enums[type.name] = type.enumValues.map(({ name }) => name);
    if (type.kind === 'OBJECT' && type.fields)
      fields[type.name] = type.fields
        .filter((field) => !field.args.some((arg) => arg.type.kind === 'NON_NULL'))
        .map((field) => ({ name: field.name, type: named(field.type).name!, kind: named(field.type).kind }));
  }
  return { roots, operators, fields, enums, argTypes };
};

/** Every scalar field of a type, and `depth` levels of its objects (relations, components, localizations). */
export const selection = (facts: GraphqlFacts, type: string, depth: number): string => {
  const parts: string[] = [];
  for (const field of facts.fields[type] ?? []) {
    if (field.name.endsWith('_connection') || field.name.startsWith('__')) continue;
    if (field.kind === 'SCALAR' || field.kind === 'ENUM') parts.push(field.name);
    else if (field.kind === 'OBJECT' && depth > 0) {
      const inner = selection(facts, field.type, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
};

const ENUM = Symbol('enum');
type EnumValue = { [ENUM]: string };
const enumValue = (name: string): EnumValue => ({ [ENUM]: name });

/** A JS value as a GraphQL literal; `$eq` keys become `eq`. */
const literal = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    if (ENUM in value) return (value as EnumValue)[ENUM];
    return `{ ${Object.entries(value)
      .map(([key, inner]) => `${key.replace(/^\$/, '')}: ${literal(inner)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
};

const graphqlCall = (field: string, args: Record<string, unknown>, fields: string): string => {
  const list = Object.entries(args).filter(([, value]) => value !== undefined);
  const rendered = list.length ? `(${list.map(([key, value]) => `${key}: ${literal(value)}`).join(', ')})` : '';
  return `{ ${field}${rendered} { ${fields} } }`;
};

// ---------------------------------------------------------------------------------------------
// Generation

export interface Options {
  full: boolean;
  /** normal runs: about this many filter and sort probes (the specials come on top) */
  budget: number;
  graphql: GraphqlFacts;
}

const restBase = (model: ModelDef) =>
  `/api/${model.kind === 'singleType' ? model.info!.singularName : model.info!.pluralName}`;

const restUrl = (base: string, query: Record<string, unknown>) => {
  const search = qs.stringify(query, { encodeValuesOnly: true });
  return search ? `${base}?${search}` : base;
};

/** The GraphQL filter input type of a leaf (for the operators it supports). */
const filterInputOf = (path: AttrPath) => {
  const kind = kindOf(path.leaf.def);
  if (kind === 'number')
    return path.leaf.def.type === 'integer'
      ? 'IntFilterInput'
      : path.leaf.def.type === 'biginteger'
        ? 'LongFilterInput'
        : 'FloatFilterInput';
  if (kind === 'date') return path.leaf.def.type === 'date' ? 'DateFilterInput' : 'DateTimeFilterInput';
  if (kind === 'boolean') return 'BooleanFilterInput';
  return 'StringFilterInput';
};

interface Logical {
  type: string;
  feature: string;
  detail: string;
  path: AttrPath;
  operator?: string;
  /** the leaf filter condition, or a sort direction */
  condition?: Record<string, unknown>;
  sort?: 'asc' | 'desc';
  control?: Record<string, unknown>;
}

/** The filter and sort probes of every type, before they are given a transport and auth. */
const logicalProbes = (world: World): Logical[][] => {
  const groups: Logical[][] = [];
  for (const planted of Object.values(world.types)) {
    const paths = attributePaths(world.schema, planted.uid, planted.single ? 1 : 2);
    paths.forEach((path, index) => {
      const group: Logical[] = [];
      const { owner, attr, def, inComponent } = path.leaf;
      const published = inComponent ? null : world.values.published(owner, attr, def, 'A');
      const shape = shapeOf(path);
      // Rotated so that a normal run's first picks cover every operator.
      const operators = OPERATORS.map((_, at) => OPERATORS[(at + index) % OPERATORS.length]);
      for (const operator of operators) {
        if (isNegative(operator) && !path.symmetric) continue;
        // A single type's one document has public values too: two-valued or enumerated attributes
        // leave no control value that surely matches nothing.
        if (
          planted.single &&
          (kindOf(def) === 'boolean' || def.type === 'enumeration' || operator === '$null' || operator === '$notNull')
        )
          continue;
        const conditions = conditionsFor(path, world.values, operator, published);
        const controls = planted.single ? conditionsFor(path, world.values, operator, published, 1) : [];
        conditions.forEach((condition, at) =>
          group.push({
            type: planted.uid,
            feature: `filter ${shape}`,
            detail: `${operator}${at ? '(other value)' : ''} <${def.type}>`,
            path,
            operator,
            condition,
            control: controls[at],
          }),
        );
      }
      if (path.symmetric && !planted.single)
        for (const sort of ['asc', 'desc'] as const)
          group.splice(index % (group.length + 1), 0, {
            type: planted.uid,
            feature: `sort ${shape}`,
            detail: `${sort} <${def.type}>`,
            path,
            sort,
          });
      groups.push(group);
    });
  }
  return groups;
};

const scopeFilter = (planted: Planted, locale: Locale) => ({ [planted.scopeAttr]: { $in: planted.scope[locale] } });

/** One logical filter/sort probe on one transport with one auth (undefined: GraphQL cannot say it). */
const concrete = (
  world: World,
  options: Options,
  logical: Logical,
  transport: Transport,
  auth: Auth,
): Probe | undefined => {
  const planted = world.types[logical.type];
  const model = world.schema.contentTypes[logical.type];
  const locale: Locale = 'zh-Hans';
  const { path } = logical;
  // Ties are broken by the scope attribute descending (D before A): A's draft values, which sort
  // after every public value, would put A first when sorting descending.
  const order = logical.sort
    ? path.twinsDiffer && !path.private && logical.sort === 'asc'
      ? [planted.A, planted.D!]
      : [planted.D!, planted.A]
    : undefined;
  const sort = logical.sort ? [`${path.segments.join('.')}:${logical.sort}`, `${planted.scopeAttr}:desc`] : undefined;
  const filterOf = (condition: Record<string, unknown> | undefined) => condition && nest(path.segments, condition);
  const oracle = planted.single ? 'pair' : logical.sort ? 'order' : 'twins';
  const base = {
    type: logical.type,
    transport,
    auth,
    feature: logical.feature,
    detail: logical.detail,
    oracle,
    expected: order,
    twins: planted,
  } as const;

  if (transport === 'rest') {
    const ask = (condition: Record<string, unknown> | undefined): Ask => ({
      url: restUrl(
        restBase(model),
        planted.single
          ? { filters: filterOf(condition) }
          : {
              filters: condition
                ? { $and: [scopeFilter(planted, locale), filterOf(condition)] }
                : scopeFilter(planted, locale),
              sort,
              pagination: { pageSize: 100 },
            },
      ),
    });
    return { ...base, ...ask(logical.condition), control: logical.control ? ask(logical.control) : undefined };
  }

  const root = options.graphql.roots[logical.type];
  const field = planted.single ? root.one : root.list;
  if (!field || (planted.single && !root.args.has('filters'))) return undefined;
  if (logical.operator) {
    const supported = options.graphql.operators[filterInputOf(path)];
    const used = Object.keys(logical.condition!).map((key) => key.replace(/^\$/, ''));
    if (!supported || used.some((op) => !supported.has(op))) return undefined;
  }
  const ask = (condition: Record<string, unknown> | undefined): Ask => ({
    url: '/graphql',
    field,
    graphql: graphqlCall(
      field,
      planted.single
        ? { filters: filterOf(condition) }
        : {
            filters: condition
              ? { and: [scopeFilter(planted, locale), filterOf(condition)] }
              : scopeFilter(planted, locale),
            sort,
            pagination: { pageSize: 100 },
          },
      'documentId',
    ),
  });
  return { ...base, ...ask(logical.condition), control: logical.control ? ask(logical.control) : undefined };
};

/** Query features other than filters and sort, on lists (scoped to the planted documents) and documents. */
const specialProbes = (world: World, options: Options, transport: Transport, auth: Auth): Probe[] => {
  const probes: Probe[] = [];
  for (const planted of Object.values(world.types)) {
    const model = world.schema.contentTypes[planted.uid];
    const attributes = Object.entries(model.attributes);
    const relations = attributes.filter(
      ([name, def]) => def.type === 'relation' && name !== 'localizations' && !!def.target?.startsWith('api::'),
    );
    const components = attributes.filter(([, def]) => def.type === 'component');
    const scalars = attributes.filter(([, def]) => kindOf(def) || def.type === 'blocks');
    const base = { type: planted.uid, transport, auth, twins: planted } as const;

    if (transport === 'rest') {
      // [name, query, wide]: wide ones also run in English and on the documents A and B.
      const extras: [string, Record<string, unknown>, boolean][] = [
        ['status=draft', { status: 'draft' }, true],
        ['status[]=draft', { status: ['draft'] }, true],
        ['locale=*', { locale: '*' }, true],
        ['populate=*', { populate: '*' }, true],
        ['populate[localizations]=*', { populate: { localizations: '*' } }, true],
        ['populate[localizations]=true', { populate: { localizations: true } }, true],
        ['populate[0]=localizations', { populate: ['localizations'] }, true],
        ['populate[localizations][populate]=*', { populate: { localizations: { populate: '*' } } }, true],
        ['populate[localizations]+status=draft', { populate: { localizations: true }, status: 'draft' }, true],
        ['hasPublishedVersion=false', { hasPublishedVersion: 'false' }, true],
        ['hasPublishedVersion=true', { hasPublishedVersion: 'true' }, true],
        ...PUBLICATION_FILTERS.map((mode): [string, Record<string, unknown>, boolean] => [
          `publicationFilter=${mode}`,
          { publicationFilter: mode },
          true,
        ]),
        ...relations.flatMap(([name]): [string, Record<string, unknown>, boolean][] => [
          [`populate[<relation>]=true`, { populate: { [name]: true } }, true],
          [`populate[<relation>][populate]=*`, { populate: { [name]: { populate: '*' } } }, false],
          [
            `populate[<relation>][populate][localizations]=*`,
            { populate: { [name]: { populate: { localizations: '*' } } } },
            false,
          ],
          [`populate[<relation>]+status=draft`, { populate: { [name]: true }, status: 'draft' }, false],
        ]),
        ...components.flatMap(([name, def]): [string, Record<string, unknown>, boolean][] => [
          [`populate[<${def.private ? 'private ' : ''}component>]=*`, { populate: { [name]: '*' } }, false],
          [`populate[<${def.private ? 'private ' : ''}component>]=true`, { populate: { [name]: true } }, !!def.private],
        ]),
        ...scalars.map(([name, def]): [string, Record<string, unknown>, boolean] => [
          `fields[]=<${def.private ? 'private ' : ''}${def.type}>`,
          { fields: [name] },
          false,
        ]),
        [
          'populate[localizations][fields]=<every attribute>',
          { populate: { localizations: { fields: scalars.map(([name]) => name) } } },
          true,
        ],
      ];
      for (const [name, query, wide] of extras) {
        if (planted.single) {
          probes.push({ ...base, feature: `single ?${name}`, oracle: 'scan', url: restUrl(restBase(model), query) });
          continue;
        }
        for (const locale of wide ? LOCALE_LIST : LOCALE_LIST.slice(0, 1))
          probes.push({
            ...base,
            feature: `list ?${name}`,
            oracle: 'twins',
            url: restUrl(restBase(model), {
              ...query,
              locale: query.locale ?? locale,
              filters: scopeFilter(planted, locale),
              pagination: { pageSize: 100 },
            }),
          });
        if (wide)
          for (const [who, documentId] of [
            ['A', planted.A],
            ['B', planted.B!],
          ])
            probes.push({
              ...base,
              feature: `document ${who} ?${name}`,
              oracle: who === 'B' ? 'absent' : 'pair',
              url: restUrl(`${restBase(model)}/${documentId}`, query),
              control: who === 'B' ? undefined : { url: restUrl(`${restBase(model)}/${planted.D}`, query) },
            });
      }
      // Malformed values: a refusal is fine, a 500 is not.
      const numeric = scalars.filter(([, def]) => kindOf(def) === 'number' || kindOf(def) === 'date');
      const malformed: [string, string][] = [
        ...[
          'fields[0]=__proto__',
          'fields[0]=constructor',
          'sort=__proto__',
          'sort[0]=__proto__:asc',
          'sort=localizations:asc',
          'populate[__proto__]=*',
          'populate[localizations][populate][__proto__]=*',
          'filters[__proto__][x]=1',
          'filters[constructor][prototype][x]=1',
          'filters[localizations][__proto__][x]=1',
          'filters[$or]=x',
          'pagination[pageSize]=abc',
          'pagination[page]=-1',
          'locale[$ne]=x',
        ].map((query): [string, string] => [query, query]),
        ...numeric.flatMap(([name, def]) =>
          [
            `filters[${name}][$gt]=abc`,
            `filters[${name}][$in][0]=abc`,
            `filters[${name}][$between]=abc`,
            `filters[localizations][${name}][$lt]=abc`,
            `filters[${name}][$lt]=1.5`,
          ].map((query): [string, string] => [query.replace(`[${name}]`, `[<${def.type}>]`), query]),
        ),
        ...scalars
          .slice(0, 1)
          .map(([name]): [string, string] => ['filters[<attribute>][$nope]=1', `filters[${name}][$nope]=1`]),
      ];
      for (const [label, query] of malformed)
        probes.push({ ...base, feature: `malformed ?${label}`, oracle: 'scan', url: `${restBase(model)}?${query}` });
      if (planted.single)
        for (const [mode, complement] of COMPLEMENTS)
          probes.push({
            ...base,
            feature: `single ?publicationFilter=${mode} vs ${complement}`,
            oracle: 'pair',
            url: restUrl(restBase(model), { publicationFilter: mode }),
            control: { url: restUrl(restBase(model), { publicationFilter: complement }) },
          });
      continue;
    }

    const root = options.graphql.roots[planted.uid];
    const full = selection(options.graphql, root.type, 2);
    const statusType = options.graphql.argTypes.status;
    const draft = statusType && options.graphql.enums[statusType]?.includes('DRAFT') ? enumValue('DRAFT') : 'DRAFT';
    const filterEnum = options.graphql.argTypes.publicationFilter;
    const modes = (filterEnum && options.graphql.enums[filterEnum]) || [];
    const variants: [string, Record<string, unknown>][] = [
      ['status: DRAFT', { status: draft }],
      ['(no arguments)', {}],
      ...modes.map((mode): [string, Record<string, unknown>] => [
        `publicationFilter: ${mode}`,
        { publicationFilter: enumValue(mode) },
      ]),
      ...(root.args.has('hasPublishedVersion')
        ? [
            ['hasPublishedVersion: false', { hasPublishedVersion: false }] as [string, Record<string, unknown>],
            ['hasPublishedVersion: true', { hasPublishedVersion: true }] as [string, Record<string, unknown>],
          ]
        : []),
    ];
    variants.forEach(([name, args], index) => {
      if (planted.single) {
        if (root.one)
          probes.push({
            ...base,
            feature: `single (${name})`,
            oracle: 'scan',
            url: '/graphql',
            field: root.one,
            graphql: graphqlCall(root.one, args, full),
          });
        return;
      }
      for (const locale of LOCALE_LIST)
        if (root.list)
          probes.push({
            ...base,
            feature: `list (${name})`,
            oracle: 'twins',
            url: '/graphql',
            field: root.list,
            graphql: graphqlCall(
              root.list,
              { ...args, locale, filters: scopeFilter(planted, locale), pagination: { pageSize: 100 } },
              full,
            ),
          });
      // The documents only with `status: DRAFT` and without arguments.
      if (root.one && index < 2)
        for (const [who, documentId] of [
          ['A', planted.A],
          ['B', planted.B!],
        ])
          probes.push({
            ...base,
            feature: `document ${who} (${name})`,
            oracle: who === 'B' ? 'absent' : 'pair',
            url: '/graphql',
            field: root.one,
            graphql: graphqlCall(root.one, { ...args, documentId }, full),
            control:
              who === 'B'
                ? undefined
                : {
                    url: '/graphql',
                    field: root.one,
                    graphql: graphqlCall(root.one, { ...args, documentId: planted.D }, full),
                  },
          });
    });
    if (planted.single && root.one && modes.length)
      for (const [mode, complement] of COMPLEMENTS) {
        const [one, other] = [mode, complement].map((value) =>
          modes.find((name) => name.toLowerCase().replace(/_/g, '-') === value),
        );
        if (one && other)
          probes.push({
            ...base,
            feature: `single (publicationFilter: ${one} vs ${other})`,
            oracle: 'pair',
            url: '/graphql',
            field: root.one,
            graphql: graphqlCall(root.one, { publicationFilter: enumValue(one) }, 'documentId'),
            control: {
              url: '/graphql',
              field: root.one,
              graphql: graphqlCall(root.one, { publicationFilter: enumValue(other) }, 'documentId'),
            },
          });
      }
  }
  return probes;
};

const LOCALE_LIST: Locale[] = ['zh-Hans', 'en'];

/**
 * All probes of a run. `full`: every logical probe on every transport with every auth. Otherwise
 * `budget` probes in all: the special ones, and filter/sort probes spread over every path, each on
 * a transport and auth taken in turn (REST twice as often).
 */
export const generateProbes = (world: World, options: Options): Probe[] => {
  const probes = COMBOS.flatMap(([transport, auth]) => specialProbes(world, options, transport, auth));
  const groups = logicalProbes(world);
  if (options.full) {
    for (const logical of groups.flat())
      for (const [transport, auth] of COMBOS) {
        const probe = concrete(world, options, logical, transport, auth);
        if (probe) probes.push(probe);
      }
    return probes;
  }
  const turns: [Transport, Auth][] = [COMBOS[0], COMBOS[2], COMBOS[1], COMBOS[0], COMBOS[3], COMBOS[1]];
  spread(groups, Math.max(0, options.budget - probes.length)).forEach((logical, turn) => {
    const [transport, auth] = turns[turn % turns.length];
    probes.push(concrete(world, options, logical, transport, auth) ?? concrete(world, options, logical, 'rest', auth)!);
  });
  return probes;
};

import {
  asksPreview,
  canonicalQuery,
  checkPublicQuery,
  issueMessage,
  parseQuery,
  scalarAttributes,
  type ModelSchema,
  type Schemas,
} from '../../src/lib/public-query';

const types: Record<string, ModelSchema> = {
  'api::project.project': {
    attributes: {
      title: { type: 'string' },
      slug: { type: 'uid' },
      body: { type: 'blocks' },
      stage: { type: 'enumeration', enum: ['open', 'negotiating', 'signed'] },
      landAreaMu: { type: 'decimal' },
      parkingSpaces: { type: 'integer' },
      coordinatesApproximate: { type: 'boolean' },
      signedOn: { type: 'date' },
      contact: { type: 'component', component: 'people.contact', private: true },
      location: { type: 'component', component: 'place.location' },
      cover: { type: 'component', component: 'shared.image' },
      park: { type: 'relation', relation: 'manyToOne', target: 'api::park.park' },
      terms: { type: 'relation', relation: 'manyToMany', target: 'api::glossary.glossary-term' },
      createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
      localizations: { type: 'relation', relation: 'oneToMany', target: 'api::project.project' },
      apiPassword: { type: 'string' },
    },
  },
  'api::park.park': {
    attributes: {
      name: { type: 'string' },
      slug: { type: 'uid' },
      projects: { type: 'relation', relation: 'oneToMany', target: 'api::project.project' },
      localizations: { type: 'relation', relation: 'oneToMany', target: 'api::park.park' },
    },
  },
};
const components: Record<string, ModelSchema> = {
  'people.contact': { attributes: { phone: { type: 'string' } } },
  'place.location': { attributes: { address: { type: 'string' }, district: { type: 'string' } } },
  'shared.image': { attributes: { image: { type: 'media' }, alt: { type: 'string' } } },
};
const schemas: Schemas = {
  publicType: (uid) => types[uid], // no glossary: not a public type
  component: (uid) => components[uid],
};

const check = (querystring: string, uid = 'api::project.project') => {
  const issue = checkPublicQuery(parseQuery(querystring), uid, schemas);
  return issue && issueMessage(issue);
};

describe('the public query allow-list', () => {
  it("accepts what front ends send (README's examples, the example site)", () => {
    for (const query of [
      '',
      'locale=en',
      'locale=en&pagination[page]=2&pagination[pageSize]=10&pagination[withCount]=false',
      'pagination[start]=0&pagination[limit]=5',
      'filters[slug][$eq]=a-b',
      'filters[title]=plain',
      'filters[stage][$in][0]=open&filters[stage][$in][1]=signed',
      'filters[stage][$eqi]=OPEN',
      'filters[landAreaMu][$gt]=1.5&filters[landAreaMu][$lte]=100',
      'filters[landAreaMu][$between][0]=1&filters[landAreaMu][$between][1]=2',
      'filters[parkingSpaces][$gte]=-3',
      'filters[coordinatesApproximate][$eq]=true',
      'filters[signedOn][$lt]=2026-01-31',
      'filters[signedOn][$lt]=2024-02-29',
      'filters[publishedAt][$lt]=2026-01-31T23:59:59.999%2B08:00',
      'filters[publishedAt][$lt]=2026-01-31 08:00',
      'filters[id][$eq]=2147483647',
      'filters[publishedAt][$gte]=2026-01-01T00:00:00.000Z&filters[publishedAt][$notNull]=true',
      'filters[$or][0][title][$containsi]=x&filters[$or][1][slug][$startsWith]=y',
      'filters[$not][stage][$eq]=open',
      'filters[title][$not][$contains]=x',
      'filters[title][$eq]',
      'filters[park][slug][$eq]=p',
      'filters[park][projects][title][$eq]=t',
      'filters[location][district][$eq]=d',
      'filters[documentId][$in][0]=abc',
      'sort=title',
      'sort=title:desc,slug:asc',
      'sort[0]=stage&sort[1]=title:DESC',
      'sort=park.name:asc',
      'sort[title]=asc',
      'sort[park][name]=desc',
      'sort=publishedAt:desc',
      'fields=title,slug',
      'fields[0]=title&fields[1]=body&fields[2]=documentId',
      'populate=*',
      'populate=park,cover',
      'populate=park.projects',
      'populate[0]=park&populate[1]=localizations',
      'populate[park]=true',
      'populate[park][fields][0]=name&populate[park][filters][slug][$eq]=x&populate[park][sort]=name',
      'populate[park][populate][projects][fields][0]=title',
      'populate[cover][populate][image][fields][0]=url&populate[cover][populate][image][fields][1]=formats',
      'populate[localizations][fields][0]=title',
      'populate[location]=*',
      'fallback=true&preview=abc&near=34.7,112.4&radius=5',
      'status=published',
    ])
      expect([query, check(query)]).toEqual([query, undefined]);
  });

  it('refuses localizations in filters and sort at any depth, in every spelling', () => {
    for (const [query, message] of [
      ['filters[localizations][title][$startsWith]=a', 'filters[localizations]'],
      ['filters[$or][0][localizations][title][$eq]=a', 'filters[$or][0][localizations]'],
      ['filters[$not][localizations][title][$eq]=a', 'filters[$not][localizations]'],
      ['filters[park][localizations][name][$eq]=a', 'filters[park][localizations]'],
      ['sort=localizations.title', 'sort'],
      ['sort=title,localizations.title:desc', 'sort'],
      ['sort[0]=localizations.title', 'sort[0]'],
      ['sort[localizations][title]=asc', 'sort[localizations]'],
      ['sort=park.localizations.name', 'sort'],
      ['populate[localizations][filters][title][$eq]=a', 'populate[localizations][filters]'],
      ['populate[localizations][sort]=title', 'populate[localizations][sort]'],
      ['populate[park][filters][localizations][name][$eq]=a', 'populate[park][filters][localizations]'],
    ])
      expect([query, check(query)]).toEqual([query, expect.stringMatching(`^Invalid parameter ${escape(message)}: `)]);
    expect(check('filters[projects][localizations][title][$eq]=x', 'api::park.park')).toMatch(
      /^Invalid parameter filters\[projects\]\[localizations\]: localizations may only be populated/,
    );
  });

  it('refuses publicationFilter, status other than published, and unknown parameters', () => {
    expect(check('publicationFilter=modified')).toMatch(/^Invalid parameter publicationFilter: not allowed here/);
    expect(check('hasPublishedVersion=true')).toMatch(/^Invalid parameter hasPublishedVersion/);
    expect(check('status=draft')).toMatch(/^Invalid parameter status/);
    expect(check('foo=1')).toMatch(/^Invalid parameter foo/);
    expect(check('locale[0]=en')).toMatch(/^Invalid parameter locale/);
    expect(check('q=x')).toMatch(/^Invalid parameter q/);
  });

  it('refuses private, author and password-like attributes, non-public relations and unknown names', () => {
    for (const [query, message] of [
      ['filters[contact][phone][$eq]=1', 'filters[contact]'],
      ['filters[createdBy][email][$startsWith]=a', 'filters[createdBy]'],
      ['filters[apiPassword][$eq]=a', 'filters[apiPassword]'],
      ['filters[terms][term][$eq]=a', 'filters[terms]'],
      ['filters[nope][$eq]=a', 'filters[nope]'],
      ['sort=contact.phone', 'sort'],
      ['sort=createdBy.email', 'sort'],
      ['sort=park', 'sort'],
      ['fields[0]=contact', 'fields[0]'],
      ['fields[0]=__proto__', 'fields[0]'],
      ['fields[0]=park', 'fields[0]'],
      ['fields=title,constructor', 'fields'],
      ['sort=constructor', 'sort'],
      ['sort=hasOwnProperty:asc', 'sort'],
      ['populate=toString', 'populate'],
      ['populate=contact', 'populate'],
      ['populate[createdBy]=true', 'populate[createdBy]'],
      ['populate[terms]=true', 'populate[terms]'],
      ['populate[title]=true', 'populate[title]'],
      ['populate[park][fields][0]=nope', 'populate[park][fields][0]'],
      ['populate[cover][populate][image][fields][0]=provider_metadata', 'populate[cover][populate][image][fields][0]'],
      ['populate[cover][populate][image][populate]=*', 'populate[cover][populate][image][populate]'],
    ])
      expect([query, check(query)]).toEqual([query, expect.stringMatching(`^Invalid parameter ${escape(message)}: `)]);
  });

  it('refuses unknown operators and values of the wrong type (400, not 500)', () => {
    for (const [query, message] of [
      ['filters[landAreaMu][$gt]=abc', 'filters[landAreaMu][$gt]'],
      ['filters[landAreaMu][$eq]=1e999', 'filters[landAreaMu][$eq]'],
      ['filters[parkingSpaces][$eq]=1.5', 'filters[parkingSpaces][$eq]'],
      ['filters[coordinatesApproximate][$eq]=maybe', 'filters[coordinatesApproximate][$eq]'],
      ['filters[signedOn][$gt]=tomorrow', 'filters[signedOn][$gt]'],
      ['filters[signedOn][$gt]=2026-02-30', 'filters[signedOn][$gt]'],
      ['filters[publishedAt][$gt]=2026-01-01T25:00', 'filters[publishedAt][$gt]'],
      ['filters[parkingSpaces][$eq]=99999999999', 'filters[parkingSpaces][$eq]'],
      ['filters[id][$in][0]=1&filters[id][$in][1]=2147483648', 'filters[id][$in]'],
      ['filters[publishedAt][$lt]=2026-13-45T00:00', 'filters[publishedAt][$lt]'],
      ['filters[stage][$eq]=nonsense', 'filters[stage][$eq]'],
      ['filters[stage][$in][0]=open&filters[stage][$in][1]=x', 'filters[stage][$in]'],
      ['filters[title][$regex]=a', 'filters[title][$regex]'],
      ['filters[title][$jsonSupersetOf]=a', 'filters[title][$jsonSupersetOf]'],
      ['filters[landAreaMu][$contains]=1', 'filters[landAreaMu][$contains]'],
      ['filters[landAreaMu][$between][0]=1', 'filters[landAreaMu][$between]'],
      ['filters[title][$null]=maybe', 'filters[title][$null]'],
      ['filters[title][$eq][x]=1', 'filters[title][$eq]'],
      ['filters[body][$contains]=x', 'filters[body]'],
      ['filters[$eq]=x', 'filters[$eq]'],
      ['filters=x', 'filters'],
      ['sort=title:sideways', 'sort'],
      ['sort[title]=up', 'sort[title]'],
      ['pagination[pageSize]=ten', 'pagination[pageSize]'],
      ['pagination[page]=-1', 'pagination[page]'],
      ['pagination[withCount]=sometimes', 'pagination[withCount]'],
      ['pagination[offset]=1', 'pagination[offset]'],
    ])
      expect([query, check(query)]).toEqual([query, expect.stringMatching(`^Invalid parameter ${escape(message)}: `)]);
  });

  it('caps relation depth', () => {
    expect(check('filters[park][projects][park][projects][park][title][$eq]=x')).toMatch(/nested more than/);
  });
});

describe('parsing, cache keys and previews', () => {
  it('parses like Strapi (qs): encoded names, repeated and indexed arrays, bare names as null', () => {
    // Names on Object.prototype are dropped by qs, for Strapi as for us.
    expect(parseQuery('%70review=x&sort=a&sort=b&fields[1]=b&fields[0]=a&x&toString=1&__proto__[a]=1')).toEqual({
      preview: 'x',
      sort: ['a', 'b'],
      fields: ['a', 'b'],
      x: null,
    });
  });

  it('recognises a preview in any spelling', () => {
    expect(asksPreview(parseQuery('%70review=x'))).toBe(true);
    expect(asksPreview(parseQuery('pre%76iew=x&locale=en'))).toBe(true);
    expect(asksPreview(parseQuery('previewx=1'))).toBe(false);
  });

  it('keys equal parsed queries alike, and different ones apart (array order kept)', () => {
    const key = (q: string) => canonicalQuery(parseQuery(q));
    expect(key('locale=en&sort=code')).toBe(key('sort=code&locale=en'));
    expect(key('sort=a&sort=b')).toBe(key('sort[0]=a&sort[1]=b'));
    expect(key('sort=a&sort=b')).not.toBe(key('sort=b&sort=a'));
    expect(key('sort[a]=asc&sort[b]=asc')).not.toBe(key('sort[b]=asc&sort[a]=asc'));
    expect(key('filters[title]')).not.toBe(key('filters[title]='));
    expect(key('')).toBe('');
  });
});

describe('scalarAttributes', () => {
  it("names a type's own scalar columns and Strapi's system ones, no relations, components or media", () => {
    expect([...scalarAttributes(types['api::project.project'])].sort()).toEqual(
      [
        'id',
        'documentId',
        'createdAt',
        'updatedAt',
        'publishedAt',
        'locale',
        'title',
        'slug',
        'stage',
        'landAreaMu',
        'parkingSpaces',
        'coordinatesApproximate',
        'signedOn',
        'apiPassword', // named, and refused by the allow-list (password-like)
      ].sort(),
    );
  });
});

function escape(text: string) {
  return text.replace(/[[\]$]/g, (c) => `\\${c}`);
}

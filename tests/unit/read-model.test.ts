import {
  advanceCursor,
  detailBody,
  listBody,
  listEntryOf,
  matchesFirst,
  matchesText,
  MATCHES_READ_WHOLE,
  parseDetailQuery,
  parseListQuery,
  plainDocumentId,
  renderVersion,
} from '../../src/lib/read-model';

const limits = { defaultLimit: 25, maxLimit: 100 };

describe('parseListQuery', () => {
  it('takes a locale and plain pagination', () => {
    expect(parseListQuery('locale=en', limits)).toEqual({ locale: 'en', page: 1, pageSize: 25 });
    expect(parseListQuery('locale=zh-Hans&pagination[page]=3&pagination[pageSize]=100', limits)).toEqual({
      locale: 'zh-Hans',
      page: 3,
      pageSize: 100,
    });
    expect(parseListQuery('pagination%5BpageSize%5D=5&locale=en', limits)).toEqual({
      locale: 'en',
      page: 1,
      pageSize: 5,
    });
  });

  it('leaves anything else to Strapi', () => {
    for (const query of [
      '',
      'pagination[page]=1',
      'locale=',
      'locale=en&sort=id',
      'locale=en&populate=*',
      'locale=en&locale=fr',
      'locale=en&pagination[page]=0',
      'locale=en&pagination[page]=01',
      'locale=en&pagination[page]=1.5',
      'locale=en&pagination[page]=-1',
      'locale=en&pagination[pageSize]=101',
      'locale=en&pagination[pageSize]=abc',
      'locale=en&pagination[start]=0',
      'locale=en&pagination[page]=1&pagination[page]=2',
      'locale=en&status=published',
      'locale=en&fallback=true',
      'locale=e%22n',
    ])
      expect([query, parseListQuery(query, limits)]).toEqual([query, undefined]);
  });
});

describe('listBody', () => {
  it('writes what JSON.stringify writes for the same list', () => {
    const entries = [
      { id: 1, documentId: 'a', title: 'x "y"' },
      { id: 3, documentId: 'b' },
    ];
    const meta = { pagination: { page: 2, pageSize: 2, pageCount: 3, total: 5 } };
    expect(
      listBody(
        entries.map((entry) => JSON.stringify(entry)),
        { locale: 'en', page: 2, pageSize: 2 },
        5,
      ),
    ).toBe(JSON.stringify({ data: entries, meta }));
    expect(listBody([], { locale: 'en', page: 1, pageSize: 25 }, 0)).toBe(
      JSON.stringify({ data: [], meta: { pagination: { page: 1, pageSize: 25, pageCount: 0, total: 0 } } }),
    );
  });
});

describe('parseListQuery with a filter', () => {
  it('takes one slug or documentId equality, with pagination', () => {
    expect(parseListQuery('locale=en&filters[slug][$eq]=a-b', limits, { slugged: true })).toEqual({
      locale: 'en',
      page: 1,
      pageSize: 25,
      filter: { field: 'slug', value: 'a-b' },
    });
    expect(
      parseListQuery('locale=en&filters[documentId][$eq]=abc&pagination[pageSize]=1', limits, { slugged: false }),
    ).toEqual({ locale: 'en', page: 1, pageSize: 1, filter: { field: 'documentId', value: 'abc' } });
    // An empty value is a filter on the empty string, as in Strapi.
    expect(parseListQuery('locale=en&filters[slug][$eq]=', limits, { slugged: true })?.filter).toEqual({
      field: 'slug',
      value: '',
    });
  });

  it('leaves every other filter to Strapi', () => {
    for (const query of [
      'locale=en&filters[slug][$eq]=a', // the type has no slug
      'locale=en&filters[slug]=a',
      'locale=en&filters[slug][$eqi]=a',
      'locale=en&filters[slug][$eq]', // null: IS NULL
      'locale=en&filters[slug][$eq][0]=a',
      'locale=en&filters[slug][$eq]=a&filters[slug][$ne]=b',
      'locale=en&filters[documentId][$eq]=a&filters[title][$eq]=b',
      'locale=en&filters[title][$eq]=a',
      'locale=en&filters[$or][0][documentId][$eq]=a',
      `locale=en&filters[documentId][$eq]=${'x'.repeat(1001)}`,
      'locale=en&filters=a',
    ])
      expect([query, parseListQuery(query, limits)]).toEqual([query, undefined]);
    expect(parseListQuery('locale=en&filters[documentId][$eq]=a&sort=id', limits, { slugged: true })).toBeUndefined();
  });
});

describe('parseListQuery with filters and sort on own columns', () => {
  const columns = new Set(['id', 'documentId', 'locale', 'title', 'kind', 'landAreaMu', 'slug']);
  const own = (query: string) => parseListQuery(query, limits, { slugged: true, columns })?.query;

  it("takes filters and a sort that name only the type's own columns", () => {
    expect(own('locale=en&sort=title:asc')).toEqual({ sort: 'title:asc' });
    expect(own('locale=en&sort=landAreaMu:DESC,title')).toEqual({ sort: 'landAreaMu:DESC,title' });
    expect(own('locale=en&sort[0]=kind&sort[1]=id:desc')).toEqual({ sort: ['kind', 'id:desc'] });
    expect(own('locale=en&filters[title][$containsi]=xyz')).toEqual({ filters: { title: { $containsi: 'xyz' } } });
    expect(own('locale=en&filters[title]=x&filters[kind][$in][0]=a&filters[kind][$in][1]=b')).toEqual({
      filters: { title: 'x', kind: { $in: ['a', 'b'] } },
    });
    expect(own('locale=en&filters[$or][0][kind][$eq]=a&filters[$or][1][title][$not][$eq]=b&sort=id')).toEqual({
      filters: { $or: [{ kind: { $eq: 'a' } }, { title: { $not: { $eq: 'b' } } }] },
      sort: 'id',
    });
    // The slug lookup with a sort is a filtered list like any other.
    expect(own('locale=en&filters[slug][$eq]=a&sort=title')).toEqual({
      filters: { slug: { $eq: 'a' } },
      sort: 'title',
    });
    expect(parseListQuery('locale=en&sort=title&pagination[page]=2', limits, { columns })).toMatchObject({
      page: 2,
      pageSize: 25,
    });
  });

  it('leaves relations, components, other shapes and types without known columns to Strapi', () => {
    for (const query of [
      'locale=en&sort=park.name',
      'locale=en&sort=cover',
      'locale=en&sort=title:sideways',
      'locale=en&sort[0][title]=asc',
      'locale=en&sort=',
      'locale=en&filters[park][slug][$eq]=a',
      'locale=en&filters[location][city][$eq]=a',
      'locale=en&filters[title][$eq][name]=a',
      'locale=en&filters[$or][0][park][name][$eq]=a',
      'locale=en&filters[$or]=a',
      'locale=en&filters[$or][0]=a',
      'locale=en&filters[$nope][title]=a',
      'locale=en&filters=a',
      'locale=en&filters[title][$containsi]=x&populate=*',
      'locale=en&sort=title&fields[0]=title',
      `locale=en${'&filters[$not]'.repeat(1)}${'[$not]'.repeat(10)}[title][$eq]=a`,
    ])
      expect([query, own(query)]).toEqual([query, undefined]);
    expect(parseListQuery('locale=en&sort=title', limits)).toBeUndefined();
    expect(parseListQuery('locale=en&filters[title][$eq]=a', limits, { slugged: true })).toBeUndefined();
  });
});

describe('matchesText', () => {
  it('finds a text-matching operator at any depth, and nothing else', () => {
    expect(matchesText({ title: { $containsi: 'x' } })).toBe(true);
    expect(matchesText({ $or: [{ kind: { $eq: 'a' } }, { title: { $not: { $startsWith: 'b' } } }] })).toBe(true);
    expect(matchesText({ code: { $endsWithi: 'x' } })).toBe(true);
    for (const filters of [undefined, {}, { title: { $eq: 'x' } }, { title: 'contains' }, { $containsx: 1 }])
      expect([filters, matchesText(filters)]).toEqual([filters, false]);
  });
});

describe('matchesFirst', () => {
  it("reads a text filter's matches whole while they are few, or not many more than the page reaches", () => {
    expect(matchesFirst(0, 25)).toBe(true);
    expect(matchesFirst(MATCHES_READ_WHOLE, 25)).toBe(true);
    expect(matchesFirst(MATCHES_READ_WHOLE + 1, 25)).toBe(false); // dense: the walk in order stops early
    expect(matchesFirst(3000, 1000)).toBe(true); // a deep page reads that far anyway
    expect(matchesFirst(5000, 1000)).toBe(false);
  });
});

describe('parseDetailQuery', () => {
  it('takes a locale and nothing else', () => {
    expect(parseDetailQuery('locale=zh-Hans')).toEqual({ locale: 'zh-Hans' });
    for (const query of ['', 'locale=en&populate=*', 'locale=en&fields[0]=title', 'locale=en&locale=fr', 'locale=']) {
      expect([query, parseDetailQuery(query)]).toEqual([query, undefined]);
    }
  });

  it('knows a plain documentId', () => {
    expect(plainDocumentId('p4x2k9q8w7e6r5t4y3u2i1o0')).toBe(true);
    for (const id of [undefined, '', 'a b', 'a%20b', 'a/b', 'x'.repeat(65)]) expect(plainDocumentId(id)).toBe(false);
  });
});

describe('detailBody and listEntryOf', () => {
  it('writes what JSON.stringify writes for a findOne answer', () => {
    const entry = { id: 3, documentId: 'b', title: 'x' };
    expect(detailBody(JSON.stringify(entry))).toBe(JSON.stringify({ data: entry, meta: {} }));
  });

  it('takes the detail-only keys off, keeping the order of the rest', () => {
    const detail = { id: 1, title: 't', cover: { a: 1 }, gallery: [1], seo: null, park: { name: 'p' } };
    expect(JSON.stringify(listEntryOf(detail, ['gallery', 'seo']))).toBe(
      JSON.stringify({ id: 1, title: 't', cover: { a: 1 }, park: { name: 'p' } }),
    );
    expect(listEntryOf(detail, [])).toBe(detail);
    expect(detail).toHaveProperty('gallery'); // not changed in place
  });
});

describe('renderVersion', () => {
  it('is the same for the same inputs in any key order, and changes with them', () => {
    const a = renderVersion({
      types: [{ uid: 'x', attributes: { title: { type: 'string' }, slug: { type: 'uid' } } }],
    });
    const b = renderVersion({
      types: [{ attributes: { slug: { type: 'uid' }, title: { type: 'string' } }, uid: 'x' }],
    });
    const c = renderVersion({ types: [{ uid: 'x', attributes: { title: { type: 'text' }, slug: { type: 'uid' } } }] });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('advanceCursor', () => {
  it('moves to the last event of an applied run, and stops below the first one not applied', () => {
    expect(advanceCursor(10, [])).toBe(10);
    expect(
      advanceCursor(10, [
        { id: 12, applied: true },
        { id: 11, applied: true },
      ]),
    ).toBe(12);
    expect(
      advanceCursor(10, [
        { id: 11, applied: true },
        { id: 13, applied: false },
        { id: 14, applied: true },
      ]),
    ).toBe(11);
    expect(advanceCursor(10, [{ id: 11, applied: false }])).toBe(10);
  });

  it('never moves back, whatever it is shown below it', () => {
    expect(
      advanceCursor(10, [
        { id: 5, applied: false },
        { id: 12, applied: true },
      ]),
    ).toBe(12);
    expect(advanceCursor(10, [{ id: 9, applied: true }])).toBe(10);
  });
});

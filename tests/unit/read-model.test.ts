import { listBody, parseListQuery } from '../../src/lib/read-model';

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

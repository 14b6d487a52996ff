import { entryData, seedIssues, textToBlocks, type SeedSchema } from '../../src/lib/seed';

const L = { i18n: { localized: true } };
const N = { i18n: { localized: false } };
const schemas: Record<string, SeedSchema> = {
  'api::park.park': {
    kind: 'collectionType',
    attributes: { name: { type: 'string', required: true, pluginOptions: L }, slug: { type: 'uid' } },
  },
  'api::project.project': {
    kind: 'collectionType',
    attributes: {
      title: { type: 'string', required: true, pluginOptions: L },
      slug: { type: 'uid' },
      body: { type: 'blocks', pluginOptions: L },
      kind: { type: 'enumeration', enum: ['hotel', 'land_parcel'], pluginOptions: N },
      landAreaMu: { type: 'decimal', pluginOptions: N },
      park: { type: 'relation', relation: 'manyToOne', target: 'api::park.park' },
    },
  },
};

describe('textToBlocks', () => {
  it('turns paragraphs and "## " headings into Strapi blocks', () => {
    expect(textToBlocks(['## 标题', '段落'])).toEqual([
      { type: 'heading', level: 2, children: [{ type: 'text', text: '标题' }] },
      { type: 'paragraph', children: [{ type: 'text', text: '段落' }] },
    ]);
  });
});

describe('seedIssues', () => {
  const park = {
    type: 'api::park.park',
    entries: [{ slug: 'p1', locales: { 'zh-Hans': { name: '园' }, en: { name: 'Park' } } }],
  };

  it('accepts a well-formed file whose relations point at earlier entries', () => {
    const known = new Map<string, Set<string>>();
    expect(seedIssues(park, schemas, known)).toEqual([]);
    const project = {
      type: 'api::project.project',
      entries: [
        {
          slug: 'hotel',
          data: { kind: 'hotel', landAreaMu: 1 },
          relations: { park: 'p1' },
          locales: { 'zh-Hans': { title: '酒店', body: ['段落'] }, en: { title: 'Hotel', body: ['Text'] } },
        },
      ],
    };
    expect(seedIssues(project, schemas, known)).toEqual([]);
  });

  it('names every mistake', () => {
    const known = new Map<string, Set<string>>();
    seedIssues(park, schemas, known);
    const issues = seedIssues(
      {
        type: 'api::project.project',
        entries: [
          {
            slug: 'Bad Slug',
            data: { kind: 'castle', title: 'x' },
            relations: { park: 'nowhere' },
            locales: { 'zh-Hans': { landAreaMu: 3, colour: 'red', body: 'not a list' }, en: { title: 'Hotel' } },
          },
        ],
      },
      schemas,
      known,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('slug must be lower-case'),
        expect.stringContaining('"kind" must be one of hotel, land_parcel'),
        expect.stringContaining('"title" is localized; move it to "locales"'),
        expect.stringContaining('"landAreaMu" is not localized; move it to "data"'),
        expect.stringContaining('unknown attribute "colour"'),
        expect.stringContaining('"body" must be a list of paragraphs'),
        expect.stringContaining('park → "nowhere" is not a api::park.park seeded earlier'),
        expect.stringContaining('"title" is required (zh-Hans)'),
      ]),
    );
  });
});

describe('entryData', () => {
  it('merges shared and localized values, sets the slug, resolves relations and builds blocks', () => {
    const data = entryData(
      {
        slug: 'hotel',
        data: { kind: 'hotel' },
        relations: { park: 'p1' },
        locales: { en: { title: 'Hotel', body: ['Text'], _comment: 'ignored' } },
      },
      schemas['api::project.project'],
      'en',
      (uid, slug) => `${uid}:${slug}`,
    );
    expect(data).toEqual({
      kind: 'hotel',
      title: 'Hotel',
      body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Text' }] }],
      slug: 'hotel',
      park: 'api::park.park:p1',
    });
  });
});

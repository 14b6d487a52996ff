import {
  changedInputFields,
  diffSnapshots,
  snapshotOf,
  snapshotPopulate,
  stableStringify,
  summarizeChanges,
  versionOf,
  type SnapshotSchema,
} from '../../src/lib/snapshot';

const schemas: Record<string, SnapshotSchema> = {
  'shared.key-figure': { label: { type: 'string' }, value: { type: 'decimal' } },
  'place.location': { address: { type: 'string' } },
};
const schemaOf = (uid: string) => schemas[uid];
const project: SnapshotSchema = {
  title: { type: 'string' },
  landAreaMu: { type: 'decimal' },
  location: { type: 'component', component: 'place.location' },
  highlights: { type: 'component', component: 'shared.key-figure' },
  park: { type: 'relation' },
  industries: { type: 'relation' },
  cover: { type: 'media' },
  publicationDate: { type: 'date' },
};

const stored = {
  id: 12,
  documentId: 'abc',
  locale: 'zh-Hans',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: null,
  title: '凤凰谷',
  landAreaMu: '280.00',
  location: { id: 3, address: '衡山路95号' },
  highlights: [{ id: 7, label: '占地', value: 280 }],
  park: { id: 4, documentId: 'park1', name: '园' },
  industries: [
    { id: 1, documentId: 'i1' },
    { id: 2, documentId: 'i2' },
  ],
  cover: { id: 9, url: '/x.png' },
  publicationDate: '2024-03-29',
};

describe('snapshotOf', () => {
  it('keeps content and drops ids, timestamps and publication state', () => {
    expect(snapshotOf(stored, project, schemaOf)).toEqual({
      title: '凤凰谷',
      landAreaMu: 280,
      location: { address: '衡山路95号' },
      highlights: [{ label: '占地', value: 280 }],
      park: 'park1',
      industries: ['i1', 'i2'],
      cover: 9,
      publicationDate: '2024-03-29',
    });
  });

  it('gives the same version to a re-saved copy (new row ids, new timestamps)', () => {
    const resaved = {
      ...stored,
      id: 99,
      updatedAt: '2027-01-01',
      location: { id: 30, address: '衡山路95号' },
      landAreaMu: 280,
    };
    expect(versionOf(snapshotOf(resaved, project, schemaOf))).toBe(versionOf(snapshotOf(stored, project, schemaOf)));
  });

  it('gives a different version when content changes, including relation order', () => {
    const base = versionOf(snapshotOf(stored, project, schemaOf));
    expect(versionOf(snapshotOf({ ...stored, title: '凤凰谷产业园' }, project, schemaOf))).not.toBe(base);
    expect(
      versionOf(snapshotOf({ ...stored, industries: [...stored.industries].reverse() }, project, schemaOf)),
    ).not.toBe(base);
  });
});

describe('snapshotPopulate', () => {
  it('loads components deeply and relations and media by reference', () => {
    expect(snapshotPopulate(project, schemaOf)).toEqual({
      location: true,
      highlights: true,
      park: { select: ['id', 'documentId'] },
      industries: { select: ['id', 'documentId'] },
      cover: { select: ['id'] },
    });
  });
});

describe('diffSnapshots and summarizeChanges', () => {
  it('lists changed fields with old and new values', () => {
    const before = snapshotOf(stored, project, schemaOf);
    const after = { ...before, title: '新标题', landAreaMu: 300 };
    expect(diffSnapshots(before, after)).toEqual([
      { field: 'title', before: '凤凰谷', after: '新标题' },
      { field: 'landAreaMu', before: 280, after: 300 },
    ]);
    expect(summarizeChanges(diffSnapshots(before, after))).toBe('title and landAreaMu changed');
    expect(diffSnapshots(before, before)).toEqual([]);
    expect(summarizeChanges([])).toBe('no content change');
  });

  it('treats a new document as every field changing', () => {
    expect(diffSnapshots(null, { title: 'x', summary: null }).map(({ field }) => field)).toEqual(['title']);
  });

  it('summarizes long lists', () => {
    const changes = ['a', 'b', 'c', 'd', 'e', 'f'].map((field) => ({ field, before: 1, after: 2 }));
    expect(summarizeChanges(changes)).toBe('a, b, c, d and 2 more changed');
  });

  it('orders object keys in stable JSON', () => {
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('changedInputFields', () => {
  const base = snapshotOf(stored, project, schemaOf);

  it('finds what a whole-form save really changes', () => {
    const input = {
      title: '凤凰谷',
      landAreaMu: '300',
      location: { id: 99, __temp_key__: 'a0', address: '衡山路95号' },
      highlights: [{ id: 8, label: '占地', value: 280 }],
      park: { connect: [], disconnect: [] },
      industries: { connect: [{ id: 3, documentId: 'i3' }], disconnect: [] },
      cover: { id: 9, url: '/x.png' },
      locale: 'zh-Hans',
      updatedBy: 5,
    };
    expect(changedInputFields(input, base, project, schemaOf)).toEqual(['landAreaMu', 'industries']);
  });

  it('compares relation sets and components content', () => {
    expect(changedInputFields({ industries: { set: ['i1', 'i2'] } }, base, project, schemaOf)).toEqual([]);
    expect(changedInputFields({ industries: { set: ['i2'] } }, base, project, schemaOf)).toEqual(['industries']);
    expect(changedInputFields({ location: { address: '解放路25号' } }, base, project, schemaOf)).toEqual(['location']);
  });
});

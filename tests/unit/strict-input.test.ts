import {
  blocksIssues,
  CONTENT_MANAGER_EXTRA_KEYS,
  depthIssue,
  DOCUMENT_EXTRA_KEYS,
  isEmptyUpdate,
  MAX_DEPTH,
  nulIssues,
  patternIssue,
  REST_EXTRA_KEYS,
  shapeIssues,
  tooDeep,
  unknownFieldIssues,
} from '../../src/lib/strict-input';
import type { AttributeMap } from '../../src/lib/validation';

const components: Record<string, AttributeMap> = {
  'shared.key-figure': { label: { type: 'string' }, value: { type: 'decimal' } },
  'place.location': { address: { type: 'string' }, code: { type: 'string', regex: '^[0-9]+$' } },
};
const project: AttributeMap = {
  title: { type: 'string' },
  slug: { type: 'uid' },
  code: { type: 'string', regex: '^[A-Za-z0-9][A-Za-z0-9_-]*$' },
  body: { type: 'blocks' },
  createdAt: { type: 'datetime' },
  updatedBy: { type: 'relation' },
  location: { type: 'component', component: 'place.location' },
  highlights: { type: 'component', component: 'shared.key-figure', repeatable: true },
  sections: { type: 'dynamiczone', components: ['shared.key-figure'] },
  industries: { type: 'relation' },
};
const componentOf = (uid: string) => components[uid];
const paths = (issues: { path: string[] }[]) => issues.map(({ path }) => path.join('.'));

const deep = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { a: value };
  return value;
};

describe('tooDeep', () => {
  it('accepts nesting up to the limit and names the path beyond it', () => {
    expect(tooDeep(deep(MAX_DEPTH))).toBeUndefined();
    const path = tooDeep(deep(MAX_DEPTH + 1));
    expect(path).toHaveLength(MAX_DEPTH);
    expect(path?.slice(0, 3)).toEqual(['a', '0', 'a']);
    expect(tooDeep({ a: { b: { c: 1 } } }, 2)).toEqual(['a', 'b']);
    expect(tooDeep('text')).toBeUndefined();
    expect(tooDeep(null)).toBeUndefined();
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(tooDeep(deep(100000))).toHaveLength(MAX_DEPTH);
  });

  it('reports the first levels of the path and the limit', () => {
    expect(depthIssue(['data', 'body', '0', '0', '0', '0'])).toMatchObject({
      path: ['data', 'body', '0', '0'],
      message: 'data.body.0.0 is nested deeper than 64 levels',
      name: 'ValidationError',
    });
  });
});

describe('nulIssues', () => {
  it('finds NUL bytes in strings and keys at any depth, with their paths', () => {
    const issues = nulIssues({
      title: 'a\u0000b',
      ok: 'fine',
      body: [{ type: 'paragraph', children: [{ type: 'text', text: '\u0000' }] }],
      json: { 'k\u0000': 1 },
    });
    expect(paths(issues)).toEqual(['title', 'body.0.children.0.text', 'json.k\u0000']);
    expect(issues[0].message).toBe('title must not contain a NUL character (\\u0000)');
  });

  it('accepts other control characters and non-strings', () => {
    expect(nulIssues({ a: '\t\n\u0001', b: 1, c: null, d: true })).toEqual([]);
  });
});

describe('blocksIssues', () => {
  const text = (value: string) => ({ type: 'text', text: value });

  it('accepts null and the node types of Strapi 5 blocks', () => {
    expect(blocksIssues('body', null)).toEqual([]);
    expect(
      blocksIssues('body', [
        { type: 'paragraph', children: [text('a'), { type: 'link', url: 'https://x', children: [text('b')] }] },
        { type: 'heading', level: 3, children: [text('h')] },
        { type: 'quote', children: [text('q')] },
        { type: 'code', language: 'ts', children: [text('x')] },
        {
          type: 'list',
          format: 'ordered',
          children: [
            { type: 'list-item', children: [text('i')] },
            { type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [text('j')] }] },
          ],
        },
        { type: 'image', image: { url: '/uploads/a.png' }, children: [text('')] },
      ]),
    ).toEqual([]);
  });

  it('refuses anything but an array', () => {
    for (const value of ['plain text', { type: 'paragraph', children: [] }, 3])
      expect(blocksIssues('body', value)).toEqual([
        {
          path: ['body'],
          message: 'body must be an array of blocks',
          name: 'ValidationError',
          value,
          code: 'validation.blocks',
          params: { field: 'body' },
        },
      ]);
  });

  it('refuses malformed nodes with their paths', () => {
    const issues = blocksIssues('body', [
      null,
      'text',
      { type: 'paragraph' },
      { type: 'heading', level: 7, children: [text('h')] },
      { type: 'list', format: 'dotted', children: [text('not a list item')] },
      { type: 'paragraph', children: [{ type: 'text' }, { type: 'paragraph', children: [] }] },
      { type: 'video', children: [] },
    ]);
    expect(paths(issues)).toEqual([
      'body.0',
      'body.1',
      'body.2.children',
      'body.3.level',
      'body.4.format',
      'body.4.children.0',
      'body.5.children.0.text',
      'body.5.children.1',
      'body.6',
    ]);
  });
});

describe('patternIssue', () => {
  it('checks a regex and the default uid pattern; empty means unset', () => {
    expect(patternIssue('code', project.code, 'XG-01')).toBeUndefined();
    expect(patternIssue('code', project.code, '')).toBeUndefined();
    expect(patternIssue('code', project.code, 'bad code!')).toMatchObject({
      path: ['code'],
      message: 'code must match the pattern ^[A-Za-z0-9][A-Za-z0-9_-]*$',
    });
    expect(patternIssue('slug', project.slug, 'a-b_c.d~e')).toBeUndefined();
    expect(patternIssue('slug', project.slug, 'a b')).toMatchObject({ path: ['slug'] });
    expect(patternIssue('title', project.title, 'anything at all!')).toBeUndefined();
  });
});

describe('shapeIssues', () => {
  it('checks blocks and patterns at the root and inside components', () => {
    const issues = shapeIssues(
      project,
      { body: 'x', code: 'bad code!', location: { code: 'abc' }, highlights: [{ label: 'x' }], title: 'ok' },
      componentOf,
    );
    expect(paths(issues)).toEqual(['code', 'body', 'location.code']);
  });
});

describe('unknownFieldIssues', () => {
  it('names keys that are not attributes, at the root and in components and dynamic zones', () => {
    const issues = unknownFieldIssues(
      project,
      {
        title: 'x',
        nonsense: 1,
        location: { address: 'a', extra: 2 },
        highlights: [{ label: 'a' }, { label: 'b', bogus: true }],
        sections: [{ __component: 'shared.key-figure', label: 'c', odd: 1 }],
        industries: { connect: [{ documentId: 'x', position: { start: true } }] }, // Strapi's to check
      },
      componentOf,
      DOCUMENT_EXTRA_KEYS,
    );
    expect(paths(issues)).toEqual(['nonsense', 'location.extra', 'highlights.1.bogus', 'sections.0.odd']);
    expect(issues[0]).toEqual({
      path: ['nonsense'],
      message: 'nonsense is not a field of this type',
      name: 'ValidationError',
      value: 1,
      code: 'validation.unknown-field',
      params: { field: 'nonsense' },
    });
  });

  it("accepts each path's own extras only", () => {
    const form = { id: 3, documentId: 'd', status: 'draft', location: { id: 1, __temp_key__: 'a0', address: 'x' } };
    expect(unknownFieldIssues(project, form, componentOf, CONTENT_MANAGER_EXTRA_KEYS)).toEqual([]);
    expect(paths(unknownFieldIssues(project, form, componentOf, DOCUMENT_EXTRA_KEYS))).toEqual([
      'status',
      'location.__temp_key__',
    ]);
    expect(paths(unknownFieldIssues(project, form, componentOf, REST_EXTRA_KEYS))).toEqual([
      'id',
      'documentId',
      'status',
      'location.__temp_key__',
    ]);
  });

  it('does not take inherited properties for attributes', () => {
    expect(
      paths(unknownFieldIssues(project, { constructor: 1, toString: 2 }, componentOf, DOCUMENT_EXTRA_KEYS)),
    ).toEqual(['constructor', 'toString']);
  });
});

describe('isEmptyUpdate', () => {
  it('is an update naming no content attribute', () => {
    expect(isEmptyUpdate(project, {})).toBe(true);
    expect(isEmptyUpdate(project, { id: 1, documentId: 'd', status: 'draft' })).toBe(true);
    expect(isEmptyUpdate(project, { createdAt: 'x', updatedBy: 1 })).toBe(true);
    expect(isEmptyUpdate(project, null)).toBe(true);
    expect(isEmptyUpdate(project, { title: 'x' })).toBe(false);
    expect(isEmptyUpdate(project, { id: 1, body: null })).toBe(false);
  });
});

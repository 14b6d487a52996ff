import { blocksText, diffRefs, diffText, tokens } from '../../src/lib/text-diff';

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

describe('blocksText', () => {
  it('reads paragraphs, headings and list items as lines of text', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [{ type: 'text', text: 'Phoenix Valley' }] },
      paragraph('Land of 120 mu.'),
      {
        type: 'list',
        format: 'unordered',
        children: [
          { type: 'list-item', children: [{ type: 'text', text: 'water' }] },
          {
            type: 'list-item',
            children: [{ type: 'link', url: 'https://x', children: [{ type: 'text', text: 'power' }] }],
          },
        ],
      },
    ];
    expect(blocksText(blocks)).toBe('Phoenix Valley\nLand of 120 mu.\n• water\n• power');
  });

  it('is empty for no content and keeps a plain string', () => {
    expect(blocksText(null)).toBe('');
    expect(blocksText('plain')).toBe('plain');
  });
});

describe('diffText', () => {
  it('marks the changed word only', () => {
    expect(diffText('Land of 120 mu.', 'Land of 150 mu.')).toEqual([
      { op: 'same', text: 'Land of ' },
      { op: 'del', text: '120' },
      { op: 'add', text: '150' },
      { op: 'same', text: ' mu.' },
    ]);
  });

  it('diffs Chinese character by character', () => {
    expect(tokens('西工区')).toEqual(['西', '工', '区']);
    expect(tokens('占地120亩')).toEqual(['占', '地', '120', '亩']);
    expect(diffText('地块占地120亩，紧邻洛河。', '地块占地150亩，紧邻洛河。')).toEqual([
      { op: 'same', text: '地块占地' },
      { op: 'del', text: '120' },
      { op: 'add', text: '150' },
      { op: 'same', text: '亩，紧邻洛河。' },
    ]);
    expect(diffText('占地一百亩', '占地一百五十亩')).toEqual([
      { op: 'same', text: '占地一百' },
      { op: 'add', text: '五十' },
      { op: 'same', text: '亩' },
    ]);
  });

  it('rebuilds both texts from its parts', () => {
    const before = 'The park hosts 40 firms and two labs.';
    const after = 'The district park hosts 45 firms, two labs and a pilot base.';
    const parts = diffText(before, after);
    expect(
      parts
        .filter(({ op }) => op !== 'add')
        .map(({ text }) => text)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter(({ op }) => op !== 'del')
        .map(({ text }) => text)
        .join(''),
    ).toBe(after);
  });

  it('handles empty sides', () => {
    expect(diffText('', 'new')).toEqual([{ op: 'add', text: 'new' }]);
    expect(diffText('old', '')).toEqual([{ op: 'del', text: 'old' }]);
    expect(diffText('', '')).toEqual([]);
  });
});

describe('diffRefs', () => {
  it('lists removed, kept and added relations or media', () => {
    expect(diffRefs(['a', 'b'], ['b', 'c'])).toEqual([
      { op: 'del', id: 'a' },
      { op: 'same', id: 'b' },
      { op: 'add', id: 'c' },
    ]);
    expect(diffRefs(7, null)).toEqual([{ op: 'del', id: '7' }]);
  });
});

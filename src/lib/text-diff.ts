/**
 * Diffs for people: rich text (Strapi blocks) as its text with insertions and deletions marked,
 * instead of two JSON dumps. Pure; the editorial admin's history compare uses it.
 */

export type DiffOp = 'same' | 'add' | 'del';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

interface BlockNode {
  type?: string;
  text?: unknown;
  children?: unknown;
  image?: { alternativeText?: unknown; name?: unknown } | null;
}

const inlineText = (node: BlockNode): string => {
  if (typeof node.text === 'string') return node.text;
  if (node.type === 'image') return `[${String(node.image?.alternativeText ?? node.image?.name ?? 'image')}]`;
  return Array.isArray(node.children) ? (node.children as BlockNode[]).map(inlineText).join('') : '';
};

/** A blocks value's text, one line per paragraph, heading, quote or list item. */
export const blocksText = (blocks: unknown): string => {
  if (!Array.isArray(blocks)) return typeof blocks === 'string' ? blocks : '';
  const lines: string[] = [];
  const walk = (node: BlockNode, prefix: string) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'list' && Array.isArray(node.children)) {
      (node.children as BlockNode[]).forEach((child) => walk(child, `${prefix}• `));
      return;
    }
    lines.push(prefix + inlineText(node));
  };
  (blocks as BlockNode[]).forEach((node) => walk(node, ''));
  return lines.join('\n');
};

/** Chinese characters one by one, words, runs of spaces, and each other character. */
export const tokens = (text: string): string[] =>
  text.match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}_])+|\s+|[^\p{L}\p{N}_\s]/gu) ?? [];

/** Beyond this many token pairs the diff is "all removed, all added" (it stays fast). */
const MAX_CELLS = 4_000_000;

const push = (parts: DiffPart[], op: DiffOp, text: string) => {
  if (!text) return;
  const last = parts.at(-1);
  if (last?.op === op) last.text += text;
  else parts.push({ op, text });
};

/** What was removed from `before` and added in `after`, in reading order (a longest-common-subsequence diff). */
export const diffText = (before: string, after: string): DiffPart[] => {
  const a = tokens(before);
  const b = tokens(after);
  // Common head and tail first: most edits touch one place of a long text.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail])
    tail += 1;
  const parts: DiffPart[] = [];
  push(parts, 'same', a.slice(0, head).join(''));
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  if (x.length * y.length > MAX_CELLS) {
    push(parts, 'del', x.join(''));
    push(parts, 'add', y.join(''));
  } else {
    // lengths[i][j]: the longest common subsequence of x[i..] and y[j..].
    const lengths = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
    for (let i = x.length - 1; i >= 0; i -= 1)
      for (let j = y.length - 1; j >= 0; j -= 1)
        lengths[i][j] = x[i] === y[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        push(parts, 'same', x[i]);
        i += 1;
        j += 1;
      } else if (i < x.length && (j === y.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
        push(parts, 'del', x[i]); // deletions before insertions: "old → new" reads naturally
        i += 1;
      } else {
        push(parts, 'add', y[j]);
        j += 1;
      }
    }
  }
  push(parts, 'same', a.slice(a.length - tail).join(''));
  return parts;
};

/** Ids of the related documents or media files a relation or media value holds (null: none). */
export const refsIn = (value: unknown): string[] =>
  ([] as unknown[])
    .concat(value ?? [])
    .filter((item) => typeof item === 'string' || typeof item === 'number')
    .map(String);

/** A relation or media field's change: which ids were removed, which kept, which added. */
export const diffRefs = (before: unknown, after: unknown): { op: DiffOp; id: string }[] => {
  const old = refsIn(before);
  const now = refsIn(after);
  return [
    ...old.filter((id) => !now.includes(id)).map((id) => ({ op: 'del' as const, id })),
    ...now.map((id) => ({ op: old.includes(id) ? ('same' as const) : ('add' as const), id })),
  ];
};

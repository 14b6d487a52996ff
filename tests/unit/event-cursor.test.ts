import { createEventCursor } from '../../src/lib/event-cursor';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const ids = (list: { id: number }[]) => list.map(({ id }) => id);

describe('the event cursor', () => {
  it('hands out nothing that was in the table when following started', () => {
    const cursor = createEventCursor([7, 9, 8], 5);
    expect(cursor.last).toBe(9);
    expect(cursor.after).toBe(4);
    expect(cursor.seen).toEqual([7, 8, 9]);
    expect(ids(cursor.take(rows(7, 8, 9)))).toEqual([]);
    expect(ids(cursor.take(rows(5, 6, 10)))).toEqual([5, 6, 10]); // committed late, and new
  });

  it('hands out each id once, in ascending order, whatever the order and repeats of the rows', () => {
    const cursor = createEventCursor([], 10);
    expect(ids(cursor.take(rows(3, 1, 2, 2)))).toEqual([1, 2, 3]);
    expect(ids(cursor.take(rows(1, 2, 3, 4)))).toEqual([4]);
    expect(cursor.last).toBe(4);
  });

  it('still hands out a row that commits after higher ids were read, within the window', () => {
    const cursor = createEventCursor([100], 20);
    expect(ids(cursor.take(rows(102, 103)))).toEqual([102, 103]);
    // 101's transaction commits late: asked for again (above `after`, not among the seen ids).
    expect(cursor.after).toBe(83);
    expect(cursor.seen).toEqual([100, 102, 103]);
    expect(ids(cursor.take(rows(101, 102, 103)))).toEqual([101]);
    expect(ids(cursor.take(rows(101)))).toEqual([]);
  });

  it('gives up on a row more than the window behind the highest id seen', () => {
    const cursor = createEventCursor([], 5);
    cursor.take(rows(1, 2, 10));
    expect(cursor.after).toBe(5);
    expect(ids(cursor.take(rows(3, 4, 5, 6)))).toEqual([6]);
  });

  it('keeps only the window of seen ids (bounded memory)', () => {
    const cursor = createEventCursor([], 3);
    cursor.take(rows(...Array.from({ length: 1000 }, (_, i) => i + 1)));
    expect(cursor.seen).toEqual([998, 999, 1000]);
    expect(cursor.after).toBe(997);
  });

  it('starts at zero on an empty table and refuses a nonsensical window', () => {
    const cursor = createEventCursor();
    expect([cursor.after, cursor.last, cursor.seen]).toEqual([0, 0, []]);
    expect(ids(cursor.take(rows(1)))).toEqual([1]);
    expect(() => createEventCursor([], 0)).toThrow(/window/);
  });
});

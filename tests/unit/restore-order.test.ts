/** The order `npm run restore` inserts tables in (PostgreSQL's foreign keys are checked per row). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { insertOrder } = require('../../scripts/restore') as {
  insertOrder: (
    tables: string[],
    keys: { from: string; to: string; columns: string[] }[],
  ) => { order: string[]; deferred: Map<string, Set<string>> };
};

describe('restore insert order', () => {
  it('puts referenced tables before the tables that refer to them', () => {
    const { order, deferred } = insertOrder(
      ['projects_park_lnk', 'projects', 'parks', 'admin_users'],
      [
        { from: 'projects_park_lnk', to: 'projects', columns: ['project_id'] },
        { from: 'projects_park_lnk', to: 'parks', columns: ['park_id'] },
        { from: 'projects', to: 'admin_users', columns: ['created_by_id'] },
      ],
    );
    expect(order.indexOf('admin_users')).toBeLessThan(order.indexOf('projects'));
    expect(order.indexOf('projects')).toBeLessThan(order.indexOf('projects_park_lnk'));
    expect(order.indexOf('parks')).toBeLessThan(order.indexOf('projects_park_lnk'));
    expect(deferred.size).toBe(0);
  });

  it('sets a reference to the same table afterwards (an admin updated by a later admin)', () => {
    const { order, deferred } = insertOrder(
      ['admin_users'],
      [{ from: 'admin_users', to: 'admin_users', columns: ['updated_by_id'] }],
    );
    expect(order).toEqual(['admin_users']);
    expect([...(deferred.get('admin_users') ?? [])]).toEqual(['updated_by_id']);
  });

  it('breaks a cycle between tables at one of them and keeps every table once', () => {
    const { order, deferred } = insertOrder(
      ['a', 'b', 'c'],
      [
        { from: 'a', to: 'b', columns: ['b_id'] },
        { from: 'b', to: 'a', columns: ['a_id'] },
        { from: 'c', to: 'a', columns: ['a_id'] },
      ],
    );
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('a'));
    expect([...deferred.values()].flatMap((columns) => [...columns])).toHaveLength(1);
  });

  it('ignores tables the backup does not hold', () => {
    const { order } = insertOrder(['a'], [{ from: 'a', to: 'gone', columns: ['gone_id'] }]);
    expect(order).toEqual(['a']);
  });
});

import { createIndexSql, indexName, uniqueIndexes, violatedIndex } from '../../src/lib/unique';

const projects = uniqueIndexes({
  table: 'projects',
  localized: true,
  draftAndPublish: true,
  attributes: {
    title: { type: 'string', column: 'title' },
    slug: { type: 'uid', column: 'slug' },
    code: { type: 'string', unique: true, column: 'code' },
  },
});

describe('uniqueIndexes', () => {
  it('covers uid and unique attributes, once for drafts and once for published rows', () => {
    expect(projects.map(({ name, attribute, state }) => [name, attribute, state])).toEqual([
      ['projects_slug_d_uq', 'slug', 'draft'],
      ['projects_slug_p_uq', 'slug', 'published'],
      ['projects_code_d_uq', 'code', 'draft'],
      ['projects_code_p_uq', 'code', 'published'],
    ]);
  });

  it('writes partial indexes scoped by locale', () => {
    expect(createIndexSql(projects[0])).toBe(
      'CREATE UNIQUE INDEX IF NOT EXISTS "projects_slug_d_uq" ON "projects" ("slug", "locale") WHERE "published_at" IS NULL',
    );
    expect(createIndexSql(projects[1])).toMatch(/WHERE "published_at" IS NOT NULL$/);
  });

  it('covers every row of a type without Draft & Publish or i18n', () => {
    const [index] = uniqueIndexes({
      table: 'tags',
      localized: false,
      draftAndPublish: false,
      attributes: { slug: { type: 'uid', column: 'slug' } },
    });
    expect(createIndexSql(index)).toBe('CREATE UNIQUE INDEX IF NOT EXISTS "tags_slug_a_uq" ON "tags" ("slug")');
  });

  it('keeps index names within PostgreSQL identifier length', () => {
    const long = indexName('a_very_long_table_name_for_components_of_something', 'an_even_longer_column_name', 'draft');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(
      indexName('a_very_long_table_name_for_components_of_something', 'an_even_longer_column_name', 'published'),
    );
  });
});

describe('violatedIndex', () => {
  it('recognises PostgreSQL unique violations by constraint name', () => {
    expect(violatedIndex({ code: '23505', constraint: 'projects_code_p_uq' }, projects)?.attribute).toBe('code');
    expect(violatedIndex({ code: '23505', constraint: 'other_index' }, projects)).toBeUndefined();
  });

  it('recognises SQLite unique violations by column list', () => {
    const error = {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
      message: 'insert into … - UNIQUE constraint failed: projects.slug, projects.locale',
    };
    expect(violatedIndex(error, projects)?.attribute).toBe('slug');
  });

  it('ignores other errors', () => {
    expect(violatedIndex(new Error('boom'), projects)).toBeUndefined();
    expect(violatedIndex({ code: '23502' }, projects)).toBeUndefined();
    expect(violatedIndex(null, projects)).toBeUndefined();
  });
});

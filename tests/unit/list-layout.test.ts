import { contentTypeSchemas } from '../helpers/schemas';
import { LIST_COLUMNS, listColumnsToStore } from '../../src/lib/list-layout';

describe('default list columns', () => {
  const wanted = ['title', 'kind', 'stage'];

  it("replace Strapi's generated default the first time", () => {
    expect(listColumnsToStore(['id', 'title', 'slug', 'code'], undefined, wanted)).toEqual(wanted);
  });

  it('leave columns that are already ours', () => {
    expect(listColumnsToStore(wanted, undefined, wanted)).toBeUndefined();
    expect(listColumnsToStore(wanted, wanted, wanted)).toBeUndefined();
  });

  it('replace an earlier version of ours', () => {
    expect(listColumnsToStore(['title', 'kind'], ['title', 'kind'], wanted)).toEqual(wanted);
  });

  it('keep the columns an editor chose in the view settings', () => {
    expect(listColumnsToStore(['title', 'code'], ['title', 'kind'], wanted)).toBeUndefined();
  });

  it('name only fields of the types they configure', () => {
    const schemas = new Map(contentTypeSchemas().map((schema) => [schema.uid, schema]));
    for (const [uid, columns] of Object.entries(LIST_COLUMNS)) {
      expect(schemas.get(uid)?.kind).toBe('collectionType');
      for (const column of columns)
        expect([uid, column, schemas.get(uid)!.attributes[column]?.type]).not.toContain(undefined);
    }
  });
});

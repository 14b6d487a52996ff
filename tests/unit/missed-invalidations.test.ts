import { createMissedInvalidations } from '../../src/lib/missed-invalidations';

describe('missed invalidations', () => {
  it('collects the tags to replay, once each', () => {
    const missed = createMissedInvalidations();
    expect(missed.dirty).toBe(false);
    expect(missed.take()).toBeUndefined();
    missed.note(['doc:a', 'any']);
    missed.note(['doc:b', 'any']);
    expect(missed.dirty).toBe(true);
    expect(missed.take()).toEqual({ all: false, tags: ['doc:a', 'any', 'doc:b'] });
    expect(missed.dirty).toBe(false);
  });

  it('turns into a full flush for a missed clear, and stays one', () => {
    const missed = createMissedInvalidations();
    missed.note(['doc:a']);
    missed.note('all');
    missed.note(['doc:b']);
    expect(missed.take()).toEqual({ all: true, tags: [] });
  });

  it('turns into a full flush rather than keep more tags than its bound', () => {
    const missed = createMissedInvalidations(3);
    missed.note(['a', 'b']);
    missed.note(['c']);
    expect(missed.take()).toEqual({ all: false, tags: ['a', 'b', 'c'] });
    missed.note(['a', 'b']);
    missed.note(['c', 'd']);
    expect(missed.take()).toEqual({ all: true, tags: [] });
  });

  it('gets back what a failed replay took, with what was missed meanwhile', () => {
    const missed = createMissedInvalidations();
    missed.note(['a']);
    const taken = missed.take()!;
    missed.note(['b']);
    missed.restore(taken);
    expect(missed.take()).toEqual({ all: false, tags: ['b', 'a'] });
    missed.note('all');
    const flush = missed.take()!;
    missed.restore(flush);
    expect(missed.take()).toEqual({ all: true, tags: [] });
  });
});

import { followsTitle, fromTitle, nextSlug, slugChanged, type SlugFollowState } from '../../src/lib/slug-follow';

const fresh: SlugFollowState = { machine: undefined, byHand: false };

describe('slug following the title', () => {
  it('takes Strapi’s first fill of an empty field as the machine’s, and follows', () => {
    const filled = slugChanged(fresh, undefined, 'project');
    expect(filled).toEqual({ machine: 'project', byHand: false });
    expect(followsTitle(false, filled)).toBe(true);
  });

  it('stops following once the editor changes the slug, even back to empty', () => {
    const ours = { machine: 'xi-gong-qu', byHand: false };
    expect(slugChanged(ours, 'xi-gong-qu', 'xi-gong-qu')).toBe(ours);
    const typed = slugChanged(ours, 'xi-gong-qu', 'xigongqu');
    expect(typed.byHand).toBe(true);
    expect(followsTitle(false, typed)).toBe(false);
    expect(slugChanged(ours, 'xi-gong-qu', '').byHand).toBe(true);
    // Once theirs, a later "fill" does not make it the machine's again.
    expect(slugChanged(typed, undefined, 'x')).toEqual({ machine: 'xi-gong-qu', byHand: true });
  });

  it('keeps following its own changes', () => {
    const ours = { machine: 'xi', byHand: false };
    const followed = { ...ours, machine: 'xi-gong' };
    expect(slugChanged(followed, 'xi', 'xi-gong')).toBe(followed);
  });

  it('never follows for a published document', () => {
    expect(followsTitle(true, fresh)).toBe(false);
    expect(followsTitle(true, { machine: 'a', byHand: false })).toBe(false);
  });
});

describe('nextSlug and fromTitle', () => {
  it('keeps a saved slug that generation only suffixed because it is its own', () => {
    expect(nextSlug('xi-gong-qu', 'xi-gong-qu-1')).toBe('xi-gong-qu');
    expect(nextSlug('xi-gong-qu', 'xi-gong-qu')).toBe('xi-gong-qu');
    expect(nextSlug('xi-gong-qu', 'dong-gong-qu')).toBe('dong-gong-qu');
    expect(nextSlug('room-101', 'room-5')).toBe('room-5'); // numbers in titles are not suffixes
    expect(nextSlug('xi-gong-qu', 'xi-gong-qu-park')).toBe('xi-gong-qu-park');
    expect(nextSlug(undefined, 'a')).toBe('a');
    expect(nextSlug('', 'a')).toBe('a');
  });

  it('tells a slug made from the title from one typed by hand', () => {
    expect(fromTitle('xi-gong-qu', 'xi-gong-qu-1')).toBe(true);
    expect(fromTitle('', 'xi-gong-qu')).toBe(true);
    expect(fromTitle(undefined, 'xi-gong-qu')).toBe(true);
    expect(fromTitle('west-district', 'xi-gong-qu')).toBe(false);
  });
});

/**
 * Whether the slug in the edit form follows the title as it is typed. It does for a document
 * nobody can reach yet (never published) until the editor changes the slug themselves; a
 * published document's slug is someone's link, so it changes only when asked (the field's
 * regenerate button).
 *
 * Pure: no Strapi, no React; the admin's edit view and the unit tests call it.
 */

export interface SlugFollowState {
  /** The last slug the machine put in the form (Strapi's first fill, or a follow). */
  machine: string | undefined;
  /** The editor changed the slug themselves: it is theirs now. */
  byHand: boolean;
}

/**
 * What a change of the slug in the form means. Strapi fills an empty (undefined) field once when a
 * new document opens; a value equal to the machine's last is ours; anything else was the editor.
 */
export const slugChanged = (
  state: SlugFollowState,
  previous: string | undefined,
  next: string | undefined,
): SlugFollowState => {
  if (next === state.machine || next === previous) return state;
  if (previous === undefined && !state.byHand) return { ...state, machine: next };
  return { ...state, byHand: true };
};

/** The slug follows the title: never published, and not changed by hand. */
export const followsTitle = (published: boolean, state: SlugFollowState): boolean => !published && !state.byHand;

/**
 * The slug to show for a freshly generated one. Generation sees the document's own saved slug as
 * taken and adds a suffix (xi-gong-qu → xi-gong-qu-1), so the slug it was made from stays.
 */
export const nextSlug = (current: string | undefined, generated: string): string =>
  current &&
  (generated === current || (generated.startsWith(`${current}-`) && /^\d+$/.test(generated.slice(current.length + 1))))
    ? current
    : generated;

/**
 * Whether a saved slug came from the title (the generated one, give or take the suffix): a saved
 * draft's slug keeps following only then, as the editor cannot have changed it.
 */
export const fromTitle = (slug: string | undefined, generated: string): boolean =>
  !slug || nextSlug(slug, generated) === slug;

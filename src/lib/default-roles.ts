/**
 * Strapi's own default roles, named "Author" and "Editor", sat in the role picker beside ours
 * ("Author 撰稿人"): two "Author"s with different rights, and nothing to tell them apart. Nothing
 * of ours uses them, so a fresh install drops them while nobody holds them; an existing install
 * keeps them (someone may rely on them) under names that say what they are.
 */
export const DEFAULT_ROLE_NAMES: Record<string, { from: string; to: string }> = {
  'strapi-editor': { from: 'Editor', to: 'Strapi Editor: all content 编辑（Strapi 默认，全部内容）' },
  'strapi-author': { from: 'Author', to: 'Strapi Author: own content 作者（Strapi 默认，仅本人内容）' },
};

export const defaultRoleFate = (
  role: { code: string; name: string; users: number },
  fresh: boolean,
): 'delete' | 'rename' | 'keep' => {
  const known = DEFAULT_ROLE_NAMES[role.code];
  if (!known) return 'keep';
  if (fresh && role.users === 0) return 'delete';
  return role.name === known.from ? 'rename' : 'keep'; // an administrator's own name stays
};

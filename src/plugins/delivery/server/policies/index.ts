/**
 * Route policies. `super-admin`: only Super Admins manage sites (the rule of
 * src/lib/write-rules.ts mayChangeAccess, which the Document Service enforces again on the write).
 */
import { errors } from '@strapi/utils';
import { mayChangeAccess } from '../../../../lib/write-rules';

interface PolicyContext {
  state: { user?: { roles?: { code?: string }[] } };
}

export default {
  'super-admin': (ctx: PolicyContext) => {
    // No user (isAuthenticatedAdmin runs first) means no roles: refused like anyone else.
    const roles = (ctx.state.user?.roles ?? []).map(({ code }) => code ?? '');
    const verdict = mayChangeAccess({ kind: 'user', roles });
    if (!verdict.ok) throw new errors.PolicyError(verdict.reason, { code: verdict.code });
    return true;
  },
};

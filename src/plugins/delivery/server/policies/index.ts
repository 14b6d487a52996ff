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
    const user = ctx.state.user;
    const verdict = mayChangeAccess({ kind: 'user', roles: (user?.roles ?? []).map(({ code }) => code ?? '') });
    if (!user || !verdict.ok)
      throw new errors.PolicyError(verdict.ok ? 'Forbidden' : verdict.reason, {
        code: verdict.ok ? 'write.access-needs-super-admin' : verdict.code,
      });
    return true;
  },
};

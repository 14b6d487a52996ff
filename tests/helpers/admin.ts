/** Admin users with editorial roles, logged in through the real /admin/login. */
import type { Core } from '@strapi/strapi';
import { http } from './strapi';

export interface AdminSession {
  id: number;
  email: string;
  auth: { Authorization: string };
}

export const ADMIN_PASSWORD = 'Wutong-test-1234';

let count = 0;

export const createAdmin = async (app: Core.Strapi, roleCodes: string[], name: string): Promise<AdminSession> => {
  count += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}.${Date.now()}.${count}@example.com`;
  const password = ADMIN_PASSWORD;
  const roles = [];
  for (const code of roleCodes) {
    const role = await app.service('admin::role').findOne({ code });
    if (!role) throw new Error(`no admin role ${code}`);
    roles.push(role.id);
  }
  const user = await app.service('admin::user').create({
    email,
    firstname: name,
    lastname: 'Test',
    password,
    isActive: true,
    registrationToken: null,
    roles,
  });
  const login = await http(app).post('/admin/login').send({ email, password }).expect(200);
  return { id: user.id, email, auth: { Authorization: `Bearer ${login.body.data.token}` } };
};

export const SUPER_ADMIN = 'strapi-super-admin';

/** Content Manager routes for one collection type. */
export const cm = (uid: string) => {
  const base = `/content-manager/collection-types/${uid}`;
  return {
    create: (locale: string) => `${base}?locale=${locale}`,
    list: (locale: string, pageSize = 10) => `${base}?locale=${locale}&page=1&pageSize=${pageSize}`,
    one: (documentId: string, locale: string) => `${base}/${documentId}?locale=${locale}`,
    publish: (documentId: string, locale: string) => `${base}/${documentId}/actions/publish?locale=${locale}`,
    unpublish: (documentId: string, locale: string) => `${base}/${documentId}/actions/unpublish?locale=${locale}`,
    bulkPublish: (locale: string) => `${base}/actions/bulkPublish?locale=${locale}`,
  };
};

/** The editorial plugin's admin API for one document-locale. */
export const editorial = (uid: string, documentId: string, locale: string) => ({
  view: `/editorial/documents/${uid}/${documentId}?locale=${locale}`,
  transitions: `/editorial/documents/${uid}/${documentId}/transitions?locale=${locale}`,
  assignment: `/editorial/documents/${uid}/${documentId}/assignment?locale=${locale}`,
  comments: `/editorial/documents/${uid}/${documentId}/comments?locale=${locale}`,
});

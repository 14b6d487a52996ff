/**
 * Contact details are private: no query parameter may read them or use them as an oracle.
 */
import type { Core } from '@strapi/strapi';
import { apiToken, asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

let app: Core.Strapi;
let readOnly: string;
let documentId: string;
const PHONE = '13912345678';
const EMAIL = 'zhang.san@example.cn';
const marker = `private-test-${Date.now()}`;

beforeAll(async () => {
  app = await startStrapi();
  readOnly = await apiToken(app, 'read-only');
  const project = await asSystem(() =>
    app.documents('api::project.project').create({
      locale: 'zh-Hans',
      status: 'published',
      data: {
        title: `联系方式测试 ${marker}`,
        slug: marker,
        kind: 'hotel',
        stage: 'open',
        contact: {
          name: '张三',
          organisation: '西工区投资促进中心',
          phone: PHONE,
          email: EMAIL,
          wechat: 'zhangsan-wx',
        },
      },
    } as never),
  );
  documentId = (project as { documentId: string }).documentId;
});

afterAll(async () => {
  await app.documents('api::project.project').delete({ documentId, locale: '*' } as never);
  await stopStrapi(app);
});

const leaks = (body: unknown) => {
  const text = JSON.stringify(body);
  return [PHONE, EMAIL, 'zhangsan-wx', '张三', '投资促进中心'].filter((secret) => text.includes(secret));
};

const QUERIES = [
  '',
  'populate=*',
  'populate=contact',
  'populate[contact]=true',
  'populate[contact][fields][0]=phone',
  'populate[0]=contact',
  'fields[0]=contact',
  'fields[0]=title&fields[1]=contact',
  `filters[contact][phone][$startsWith]=139`,
  `filters[contact][phone][$eq]=${PHONE}`,
  `filters[$or][0][contact][email][$contains]=zhang`,
  'sort=contact.phone',
  'sort[0]=contact.phone:asc',
  'populate[park][populate][projects][populate]=contact',
];

describe('private contact details', () => {
  it.each(QUERIES)('never appear in a list response: ?%s', async (query) => {
    const response = await http(app).get(`/api/projects?filters[slug][$eq]=${marker}&${query}`);
    expect([200, 400]).toContain(response.status);
    expect(leaks(response.body)).toEqual([]);
    if (response.status === 400) expect(response.body.error.name).toBe('ValidationError');
  });

  it.each(QUERIES)('never appear in a detail response: ?%s', async (query) => {
    const response = await http(app).get(`/api/projects/${documentId}?${query}`);
    expect([200, 400]).toContain(response.status);
    expect(leaks(response.body)).toEqual([]);
  });

  it('cannot be probed through filters: a matching and a non-matching prefix answer alike', async () => {
    const hit = await http(app).get(
      `/api/projects?filters[slug][$eq]=${marker}&filters[contact][phone][$startsWith]=139`,
    );
    const miss = await http(app).get(
      `/api/projects?filters[slug][$eq]=${marker}&filters[contact][phone][$startsWith]=000`,
    );
    expect(hit.status).toBe(miss.status);
    expect(hit.body).toEqual(miss.body);
  });

  it('are not given to a read-only token either', async () => {
    for (const query of ['populate=*', 'populate=contact', 'fields[0]=contact']) {
      const response = await http(app)
        .get(`/api/projects/${documentId}?${query}`)
        .set('Authorization', `Bearer ${readOnly}`);
      expect(leaks(response.body)).toEqual([]);
    }
  });

  it('are stored and readable by the CMS itself', async () => {
    const stored = await app
      .documents('api::project.project')
      .findOne({ documentId, locale: 'zh-Hans', populate: ['contact'] } as never);
    expect((stored as unknown as { contact: { phone: string } }).contact.phone).toBe(PHONE);
  });
});

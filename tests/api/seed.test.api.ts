/**
 * The seed holds every entity and figure of the source page (shared/seed/000_a9e866992146b0dd.txt),
 * published in Chinese and English. Expectations here are read off the page itself, not the
 * seed files, so a wrong or missing seed entry fails.
 */
import type { Core } from '@strapi/strapi';
import { fromDist } from '../helpers/paths';
import { asSystem, http, startStrapi, stopStrapi } from '../helpers/strapi';

let app: Core.Strapi;

beforeAll(async () => {
  app = await startStrapi();
});

afterAll(async () => {
  await stopStrapi(app);
});

const list = async (type: string, locale: string, query = '') => {
  const response = await http(app).get(`/api/${type}?locale=${locale}&pagination[pageSize]=100&${query}`).expect(200);
  return response.body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const CJK = /[\u3400-\u9fff]/;

// The eleven key projects (西工区重点推介项目), in page order, with every number the page gives.
const PROJECTS = [
  { code: 'XG-01', title: '智能装备产业园项目', landAreaMu: 500, airportMinutes: 10, industry: '智能装备' },
  { code: 'XG-02', title: '五星级酒店招商项目', floorAreaM2: 40000, address: '王城大道', en: 'Wangcheng Avenue' },
  {
    code: 'XG-03',
    title: '凤凰谷产业园招商项目',
    landAreaMu: 280,
    address: '衡山路95号',
    en: 'Hengshan Road',
    park: '凤凰谷产业园',
    industry: '高端装备',
  },
  {
    code: 'XG-04',
    title: '百脑汇商业综合体招商项目',
    commercialAreaM2: 20000,
    address: '中州中路',
    en: 'Zhongzhou Middle Road',
  },
  { code: 'XG-05', title: '西工硅巷项目', address: '玄武门大街', en: 'Xuanwumen Street', industry: '数字经济' },
  { code: 'XG-06', title: '总部经济基地项目', industry: '总部经济' },
  { code: 'XG-07', title: '名门万象项目', commercialAreaM2: 50000, address: '上阳路', en: 'Shangyang Road' },
  { code: 'XG-08', title: '洛阳解放硅巷项目', address: '解放路25号', en: 'Jiefang Road', industry: '电子信息' },
  {
    code: 'XG-09',
    title: '贵隆园底商项目',
    availableAreaM2: 21000,
    parkingSpaces: 280,
    address: '周山大道',
    en: 'Zhoushan Avenue',
  },
  { code: 'XG-10', title: '中储801仓库地块', landAreaMu: 120, address: '玄武门大街', en: 'Jiayumen Street' },
  { code: 'XG-11', title: '哈斯曼地块', landAreaMu: 60, floorAreaM2: 20000, address: '纱厂东路', en: 'Jinguyuan Road' },
];
const NUMBERS = [
  'landAreaMu',
  'floorAreaM2',
  'commercialAreaM2',
  'availableAreaM2',
  'parkingSpaces',
  'airportMinutes',
] as const;

describe('the eleven key projects', () => {
  it('are all published in Chinese and in English', async () => {
    for (const locale of ['zh-Hans', 'en']) {
      const codes = (await list('projects', locale, 'filters[code][$startsWith]=XG-&sort=code')).map(
        ({ code }) => code,
      );
      expect(codes).toEqual(PROJECTS.map(({ code }) => code));
    }
  });

  it.each(PROJECTS)(
    '$code $title has its figures, location, industries and park in both languages',
    async (expected) => {
      const [zh] = await list('projects', 'zh-Hans', `filters[code][$eq]=${expected.code}`);
      const [en] = await list('projects', 'en', `filters[code][$eq]=${expected.code}`);
      expect(zh.title).toBe(expected.title);
      expect(en.documentId).toBe(zh.documentId);
      expect(en.title).toMatch(/[A-Za-z]{3}/);
      expect(en.title).not.toBe(zh.title);
      for (const field of NUMBERS) {
        const value = (expected as Record<string, unknown>)[field];
        if (value !== undefined) {
          expect(Number(zh[field])).toBe(value);
          expect(Number(en[field])).toBe(value); // numbers are not localized
        }
      }
      expect(zh.summary).toBeTruthy();
      expect(en.summary).toBeTruthy();
      expect(CJK.test(en.summary)).toBe(false);
      // projects the page gives numbers for show them as highlights
      if (NUMBERS.some((field) => field in expected)) expect(zh.highlights.length).toBeGreaterThan(0);
      expect(en.highlights).toHaveLength(zh.highlights.length);
      if (expected.address) {
        expect(JSON.stringify(zh.location)).toContain(expected.address);
        expect(JSON.stringify(en.location)).toContain(expected.en);
      }
      if (expected.industry)
        expect(zh.industries.map(({ name }: { name: string }) => name)).toContain(expected.industry);
      expect(en.industries).toHaveLength(zh.industries.length);
      if (expected.park) expect(zh.park?.name).toBe(expected.park);
    },
  );

  it('XG-01 is about 500 mu, 10 minutes from the airport, near planned Metro Line 3', async () => {
    const [zh] = await list('projects', 'zh-Hans', 'filters[code][$eq]=XG-01');
    const [en] = await list('projects', 'en', 'filters[code][$eq]=XG-01');
    expect(JSON.stringify(zh)).toMatch(/3号线/);
    expect(JSON.stringify(en)).toMatch(/Line 3/);
    expect(zh.highlights.find(({ value }: { value: number }) => Number(value) === 500)?.qualifier).toBe('about');
  });

  it('XG-03 lists its factory units: 550–2,800 m² standard, 4,200 m² standalone, 13 buildings in phase I', async () => {
    const [zh] = await list('projects', 'zh-Hans', 'filters[code][$eq]=XG-03');
    const values = zh.highlights.map(({ value }: { value: number }) => Number(value));
    expect(values).toEqual(expect.arrayContaining([550, 2800, 4200, 13]));
  });
});

describe('parks, platforms and talent programmes', () => {
  it('has every park named on the page, with glossary English names', async () => {
    const zh = await list('parks', 'zh-Hans');
    const en = await list('parks', 'en');
    const names = Object.fromEntries(
      zh.map(({ documentId, name }) => [name, en.find((park) => park.documentId === documentId)?.name]),
    );
    expect(names).toMatchObject({
      洛阳西工经济技术开发区: 'Luoyang Xigong Economic and Technological Development Zone',
      凤凰谷产业园: 'Fenghuanggu (Phoenix Valley) Industrial Park',
      洛阳智能科技产业园: 'Luoyang Intelligent Technology Industrial Park',
      西工硅巷数字经济产业园: expect.stringContaining('Xigong Silicon Alley'),
      洛阳生物医药产业园: expect.stringMatching(/Biomedicine|Biomedical|Biopharma/),
      中国一拖工业园: expect.stringContaining('YTO Group'),
    });
  });

  it('records the parks’ figures and accreditations', async () => {
    const parks = await list('parks', 'zh-Hans');
    const park = (name: string) => parks.find((entry) => entry.name === name) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const figures = (name: string) => park(name).keyFigures.map(({ value }: { value: number }) => Number(value));
    expect(figures('凤凰谷产业园')).toContain(50);
    expect(figures('洛阳智能科技产业园')).toContain(40);
    expect(figures('西工硅巷数字经济产业园')).toContain(60);
    expect(JSON.stringify(park('洛阳智能科技产业园').accreditations)).toMatch(/省级科技企业孵化器/);
    expect(JSON.stringify(park('西工硅巷数字经济产业园').accreditations)).toMatch(/省级科技企业孵化器/);
  });

  it('has the innovation platforms with their levels, partners and fields', async () => {
    const zh = await list('platforms', 'zh-Hans');
    const en = await list('platforms', 'en');
    expect(en).toHaveLength(zh.length);
    const text = JSON.stringify(zh);
    for (const name of [
      '合成生物',
      '生物酶催化数据库',
      '算力平台',
      '机器视觉光学实验室',
      '寒武纪',
      '北师大智能科教',
      '磁悬浮',
      '智慧医疗',
      '千歌',
    ]) {
      expect(text).toContain(name);
    }
    const base = zh.find(({ name }) => name.includes('合成生物'));
    expect(base?.partners.map(({ name }: { name: string }) => name)).toContain('国家合成生物技术创新中心');
  });

  it('has the talent policies, programmes and honours with their figures', async () => {
    const zh = await list('talents', 'zh-Hans', 'populate[keyFigures]=true&populate[benefits]=true');
    const en = await list('talents', 'en');
    expect(en).toHaveLength(zh.length);
    expect(new Set(zh.map(({ kind }) => kind))).toEqual(new Set(['policy', 'programme', 'honour']));
    const text = JSON.stringify(zh);
    expect(text).toContain('西工区重点领域高层次人才引进和认定支持办法');
    expect(text).toContain('青年友好型城区');
    expect(text).toContain('金十条');
    const benefits = zh.flatMap(({ benefits: items }) => items.map(({ category }: { category: string }) => category));
    expect(benefits).toEqual(expect.arrayContaining(['housing', 'schooling', 'health_care', 'spouse_employment']));
    const figures = zh.flatMap(({ keyFigures }) => keyFigures.map(({ value }: { value: number }) => Number(value)));
    // people recognised in each honour, the first batch (260+) and its awards (8 million+ yuan), the fund,
    // apartments, rental homes and Youth Homes
    expect(figures).toEqual(expect.arrayContaining([2, 4, 8, 6, 19, 260, 800, 3000, 56, 1000, 12]));
  });
});

describe('the district profile', () => {
  // Every district-level figure of the page: value as printed in Chinese.
  const FIGURES = [131, 3.4, 278, 2.1, 470, 396, 51, 871, 11, 6, 24.2, 35.5, 1200, 8, 3, 62, 206, 5, 34, 500, 100];

  it('holds every headline figure, with year and source, in both languages', async () => {
    const zh = (await http(app).get('/api/district-profile?locale=zh-Hans').expect(200)).body.data;
    const en = (await http(app).get('/api/district-profile?locale=en').expect(200)).body.data;
    expect(zh.name).toBe('洛阳市西工区');
    expect(en.name).toBe('Xigong District, Luoyang');
    const values = zh.figures.map(({ value }: { value: number }) => Number(value));
    expect(values).toEqual(expect.arrayContaining(FIGURES));
    expect(en.figures).toHaveLength(zh.figures.length);
    expect(zh.figures.every(({ source }: { source: string }) => !!source)).toBe(true);
    expect(zh.figures.find(({ value }: { value: number }) => Number(value) === 131)?.year).toBe(2023);
    expect(zh.actions.length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(zh.actions)).toContain('筑梦西工');
    expect(JSON.stringify(zh.achievements)).toMatch(/国家科技进步/);
    expect(en.achievements).toHaveLength(zh.achievements.length);
  });
});

describe('the source page as a news article', () => {
  it('is published in both languages with byline, photo credits, date and every related entry', async () => {
    const [zh] = await list('news', 'zh-Hans', 'populate=*');
    const [en] = await list('news', 'en');
    expect(zh.title).toContain('西工区');
    expect(en.documentId).toBe(zh.documentId);
    expect(zh.publicationDate).toBe('2024-03-29');
    expect(zh.byline).toContain('赵普');
    expect(zh.photoCredits).toContain('郜晓鹏');
    expect(en.byline).toContain('Zhao Pu');
    expect(zh.relatedProjects).toHaveLength(11);
    const body = JSON.stringify(zh.body);
    for (const phrase of [
      '栽下梧桐树，引得凤凰来',
      '高新技术企业增长3.4倍',
      '技术合同登记额突破11亿元',
      '青年人才公寓56套',
    ]) {
      expect(body).toContain(phrase);
    }
    expect(CJK.test(JSON.stringify(en.body).replace(/Buynow \(百脑汇\)/g, ''))).toBe(false);
    expect(JSON.stringify(en.body)).toContain('Plant the wutong tree');
  });
});

describe('npm run seed, run again', () => {
  it('changes nothing, says so, and keeps editors’ changes', async () => {
    const [project] = await list('projects', 'zh-Hans', 'filters[code][$eq]=XG-02');
    await asSystem(() =>
      app.documents('api::project.project').update({
        documentId: project.documentId,
        locale: 'zh-Hans',
        data: { summary: '编辑修改过的摘要' },
        status: 'published',
      } as never),
    );
    const before = await app.db.query('api::project.project').count({});

    const { runSeed } = fromDist<typeof import('../../src/seed')>('src/seed');
    const lines: string[] = [];
    const report = await runSeed(app, { log: (line: string) => void lines.push(line) });

    expect(report.created).toBe(0);
    expect(lines.at(-1)).toMatch(/nothing to do/);
    expect(await app.db.query('api::project.project').count({})).toBe(before);
    const [after] = await list('projects', 'zh-Hans', 'filters[code][$eq]=XG-02');
    expect(after.summary).toBe('编辑修改过的摘要');
  });
});

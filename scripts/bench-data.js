/**
 * The benchmark's scale data: project n (0, 1, 2…) in Chinese and English, built from the real
 * seed's parks and industries and the vocabulary of its projects, so titles, summaries and bodies
 * read like the real ones and search terms (西工, 产业园, Xigong…) match a realistic share.
 * Deterministic: the same n always gives the same project.
 */

const KINDS = [
  ['industrial_park', '产业园', 'Industrial Park'],
  ['standard_factory', '标准厂房', 'Standard Factory'],
  ['commercial_complex', '商业综合体', 'Commercial Complex'],
  ['retail_space', '临街商铺', 'Street Retail Space'],
  ['hotel', '酒店', 'Hotel'],
  ['headquarters', '总部基地', 'Headquarters Base'],
  ['office_space', '写字楼', 'Office Building'],
  ['land_parcel', '地块', 'Land Parcel'],
  ['culture_creative_park', '文创园', 'Cultural and Creative Park'],
  ['tech_community', '科创社区', 'Tech Community'],
];

// Streets and areas of Xigong District, Luoyang, with their usual English renderings.
const PLACES = [
  ['西工区', 'Xigong District'],
  ['西工经济技术开发区', 'Xigong Economic and Technological Development Zone'],
  ['凤凰谷', 'Fenghuanggu'],
  ['王城大道', 'Wangcheng Avenue'],
  ['中州中路', 'Zhongzhou Middle Road'],
  ['唐宫路', 'Tanggong Road'],
  ['纱厂路', 'Shachang Road'],
  ['九都路', 'Jiudu Road'],
  ['道南路', 'Daonan Road'],
  ['西工硅巷', 'Xigong Silicon Alley'],
  ['解放路', 'Jiefang Road'],
  ['红山乡', 'Hongshan Township'],
];

const TRANSIT = [
  ['紧临地铁1号线', 'next to Metro Line 1'],
  ['紧临规划的地铁3号线', 'next to the planned Metro Line 3'],
  ['距洛阳站约3公里', 'about 3 km from Luoyang Station'],
  ['距洛阳龙门站约15分钟车程', 'a 15-minute drive from Luoyang Longmen Station'],
  ['多条公交线路途经', 'served by several bus lines'],
];

const PHASES = [
  ['一期', 'Phase I'],
  ['二期', 'Phase II'],
  ['三期', 'Phase III'],
  ['四期', 'Phase IV'],
];

const MODES = ['lease', 'sale', 'land_transfer', 'joint_venture', 'operation', 'negotiable'];
const STAGES = ['open', 'open', 'open', 'negotiating', 'signed'];
const SOURCE = ['来源：西工区投资促进中心（2025年）', 'Source: Xigong District Investment Promotion Centre, 2025'];

const pick = (list, n, salt = 0) => list[(n * 7 + salt * 13 + Math.floor(n / list.length)) % list.length];

/**
 * One project's Document Service data: `shared` holds the values common to both languages and the
 * relations (by documentId), `locales` each language's text and components.
 */
const projectData = (n, { parks, industries }) => {
  const [kind, kindZh, kindEn] = pick(KINDS, n);
  const [placeZh, placeEn] = pick(PLACES, n, 1);
  const [transitZh, transitEn] = pick(TRANSIT, n, 2);
  const [phaseZh, phaseEn] = pick(PHASES, n, 3);
  const chosen = [pick(industries, n, 4), pick(industries, n, 5)].filter(
    (one, index, all) => all.findIndex((other) => other.documentId === one.documentId) === index,
  );
  const park = n % 5 === 4 ? undefined : pick(parks, n, 6); // some projects are outside any park
  const lead = chosen[0];
  const mu = 20 + ((n * 37) % 480);
  const floor = 2000 + ((n * 911) % 98000);
  const minutes = 8 + ((n * 3) % 30);
  const number = String(n + 1).padStart(4, '0');
  const code = `BX-${number}`;
  const slug = `bench-${kind.replace(/_/g, '-')}-${number}`;

  const titleZh = `${placeZh}${lead.zh}${kindZh}${phaseZh}项目（${number}号）`;
  const titleEn = `${placeEn} ${lead.en} ${kindEn} Project, ${phaseEn} (No. ${number})`;
  const summaryZh =
    `位于${placeZh}，规划用地约${mu}亩，建筑面积约${floor}平方米，${transitZh}，距离洛阳机场约${minutes}分钟车程。` +
    `拟引进${chosen.map((one) => one.zh).join('、')}领域龙头企业，打造${lead.zh}产业集聚区。`;
  const summaryEn =
    `In ${placeEn}: about ${mu} mu of planned land and about ${floor} m² of floor area, ${transitEn}, ` +
    `about ${minutes} minutes from Luoyang Airport. Seeks leading ${chosen.map((one) => one.en.toLowerCase()).join(' and ')} ` +
    `enterprises to build a ${lead.en.toLowerCase()} cluster.`;
  const paragraphs = (text) => text.map((line) => ({ type: 'paragraph', children: [{ type: 'text', text: line }] }));

  return {
    shared: {
      code,
      slug,
      kind,
      stage: pick(STAGES, n, 7),
      investmentMode: pick(MODES, n, 8),
      landAreaMu: mu,
      floorAreaM2: floor,
      availableAreaM2: Math.round(floor * 0.6),
      parkingSpaces: 50 + ((n * 17) % 800),
      airportMinutes: minutes,
      latitude: 34.64 + ((n * 13) % 120) / 1000,
      longitude: 112.36 + ((n * 29) % 140) / 1000,
      coordinatesApproximate: true,
      industries: chosen.map((one) => one.documentId),
      ...(park ? { park: park.documentId } : {}),
    },
    locales: {
      'zh-Hans': {
        title: titleZh,
        summary: summaryZh,
        body: paragraphs([
          `该项目位于${placeZh}，${transitZh}，周边产业基础良好，配套设施完善。${summaryZh}`,
          `西工区将在土地、人才、金融等方面给予政策支持，为入驻企业提供“一站式”服务。`,
        ]),
        location: {
          address: `洛阳市${placeZh}`,
          district: '西工区',
          nearbyTransit: transitZh,
          airportTravel: `距离洛阳机场约${minutes}分钟车程`,
        },
        seeking: `拟引进${chosen.map((one) => one.zh).join('、')}领域龙头企业。`,
        vision: `打造${lead.zh}产业集聚区。`,
        highlights: [
          { label: '规划用地', value: mu, unit: '亩', qualifier: 'about', source: SOURCE[0] },
          { label: '距洛阳机场车程', value: minutes, unit: '分钟', qualifier: 'about', source: SOURCE[0] },
        ],
        seo: {
          metaTitle: `${titleZh} | 洛阳市西工区`.slice(0, 120),
          metaDescription: summaryZh.slice(0, 320),
          keywords: `${lead.zh}, ${kindZh}, 西工区, 洛阳, 招商`,
        },
      },
      en: {
        title: titleEn,
        summary: summaryEn,
        body: paragraphs([
          `The project is in ${placeEn}, ${transitEn}, with a sound industrial base and good amenities. ${summaryEn}`,
          'Xigong District supports incoming enterprises with land, talent and financing policies and one-stop services.',
        ]),
        location: {
          address: `${placeEn}, Luoyang`,
          district: 'Xigong District',
          nearbyTransit: transitEn,
          airportTravel: `About ${minutes} minutes from Luoyang Airport`,
        },
        seeking: `Leading ${chosen.map((one) => one.en.toLowerCase()).join(' and ')} enterprises.`,
        vision: `A ${lead.en.toLowerCase()} cluster.`,
        highlights: [
          { label: 'Planned land', value: mu, unit: 'mu', qualifier: 'about', source: SOURCE[1] },
          { label: 'Drive to Luoyang Airport', value: minutes, unit: 'minutes', qualifier: 'about', source: SOURCE[1] },
        ],
        seo: {
          metaTitle: `${titleEn} | Xigong District, Luoyang`.slice(0, 120),
          metaDescription: summaryEn.slice(0, 320),
          keywords: `${lead.en.toLowerCase()}, ${kindEn.toLowerCase()}, Xigong District, Luoyang, investment`,
        },
      },
    },
  };
};

module.exports = { projectData };

/**
 * HTML rendering for the consumer site: a label dictionary per site language and one function per page.
 * Everything that comes from the CMS goes through escapeHtml (or safeHref for links): CMS text is
 * editor input, and the site must not become a way to inject script into visitors' browsers.
 */

/** Site language (URL prefix) → CMS locale code. */
const LOCALES = { zh: 'zh-Hans', en: 'en' };
/** The other language, for the switcher. */
const OTHER = { zh: 'en', en: 'zh' };

const LABELS = {
  zh: {
    siteName: '梧桐招商示例站点',
    projects: '招商项目',
    news: '新闻',
    latestNews: '最新新闻',
    noProjects: '暂无项目。',
    noNews: '暂无新闻。',
    switchTo: 'English',
    colon: '：', // full-width in Chinese text
    code: '项目编号',
    kind: '类型',
    stage: '阶段',
    figures: '主要指标',
    location: '位置',
    address: '地址',
    district: '所在区域',
    nearbyTransit: '周边交通',
    landmarks: '周边地标',
    airportTravel: '机场交通',
    highlights: '项目亮点',
    industries: '产业方向',
    park: '所属园区',
    published: '发布日期',
    byline: '作者',
    relatedProjects: '相关项目',
    preview: '预览：未发布的草稿，仅供审阅',
    notFound: '页面不存在',
    notFoundText: '没有找到您要访问的内容，它可能已下线或地址有误。',
    badRequest: '请求无效',
    forbidden: '预览链接无效或已过期',
    cmsError: '内容暂时无法加载，请稍后再试。',
    backHome: '返回首页',
    numbers: {
      landAreaMu: ['用地面积', '亩'],
      floorAreaM2: ['建筑面积', '平方米'],
      commercialAreaM2: ['商业面积', '平方米'],
      availableAreaM2: ['可招商面积', '平方米'],
      parkingSpaces: ['停车位', '个'],
      airportMinutes: ['距机场车程', '分钟'],
    },
    // Prefix words for how exact a key figure is ("exact" has none).
    qualifiers: { about: '约', over: '超过', nearly: '近', up_to: '最高' },
    kinds: {
      industrial_park: '产业园区',
      standard_factory: '标准厂房',
      commercial_complex: '商业综合体',
      retail_space: '商铺',
      hotel: '酒店',
      headquarters: '总部楼宇',
      office_space: '写字楼',
      land_parcel: '地块',
      culture_creative_park: '文创园区',
      tech_community: '科创社区',
      other: '其他',
    },
    stages: { open: '招商中', negotiating: '洽谈中', signed: '已签约' },
  },
  en: {
    siteName: 'Wutong investment demo site',
    projects: 'Projects',
    news: 'News',
    latestNews: 'Latest news',
    noProjects: 'No projects yet.',
    noNews: 'No news yet.',
    switchTo: '中文',
    colon: ': ',
    code: 'Code',
    kind: 'Type',
    stage: 'Stage',
    figures: 'Key figures',
    location: 'Location',
    address: 'Address',
    district: 'District',
    nearbyTransit: 'Nearby transit',
    landmarks: 'Landmarks',
    airportTravel: 'To the airport',
    highlights: 'Highlights',
    industries: 'Industries',
    park: 'Park',
    published: 'Published',
    byline: 'By',
    relatedProjects: 'Related projects',
    preview: 'Preview: unpublished draft, for review only',
    notFound: 'Page not found',
    notFoundText: 'We could not find this page. It may have been unpublished, or the address is wrong.',
    badRequest: 'Bad request',
    forbidden: 'This preview link is invalid or has expired',
    cmsError: 'Content is temporarily unavailable. Please try again later.',
    backHome: 'Back to the home page',
    numbers: {
      landAreaMu: ['Land area', 'mu'],
      floorAreaM2: ['Floor area', 'm²'],
      commercialAreaM2: ['Commercial area', 'm²'],
      availableAreaM2: ['Available area', 'm²'],
      parkingSpaces: ['Parking spaces', ''],
      airportMinutes: ['Drive to the airport', 'min'],
    },
    qualifiers: { about: 'about', over: 'over', nearly: 'nearly', up_to: 'up to' },
    kinds: {
      industrial_park: 'Industrial park',
      standard_factory: 'Standard factory',
      commercial_complex: 'Commercial complex',
      retail_space: 'Retail space',
      hotel: 'Hotel',
      headquarters: 'Headquarters',
      office_space: 'Office space',
      land_parcel: 'Land parcel',
      culture_creative_park: 'Cultural & creative park',
      tech_community: 'Tech community',
      other: 'Other',
    },
    stages: { open: 'Open', negotiating: 'In negotiation', signed: 'Signed' },
  },
};

const CSS = `
body{font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafaf7}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding-top:1rem;padding-bottom:1rem;border-bottom:1px solid #ddd}
header nav a{margin-left:1rem}
a{color:#1f5f3f}
.brand{font-weight:600;text-decoration:none}
.preview-banner{background:#ffb300;color:#000;text-align:center;font-weight:600;padding:.5rem}
.meta{color:#666;font-size:.9rem}
ul.list{list-style:none;padding:0}
ul.list li{padding:.6rem 0;border-bottom:1px solid #eee}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
dt{color:#666}
dd{margin:0;white-space:pre-line}
footer{color:#888;font-size:.8rem;padding-top:2rem;padding-bottom:2rem}
`;

/** Escape text for HTML element content and quoted attribute values. */
function escapeHtml(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only web, mail and site-relative links from rich text: `javascript:` and friends are dropped. */
function safeHref(url) {
  return typeof url === 'string' && /^(https?:|mailto:|\/)/i.test(url.trim()) ? url.trim() : null;
}

const present = (v) => v !== null && v !== undefined && v !== '';

/** Decimals may arrive as numbers or (PostgreSQL) strings; format either with the site locale's separators. */
function formatNumber(value, lang) {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return escapeHtml(value);
  return escapeHtml(new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 }).format(n));
}

/** Dates are shown as the CMS's calendar date (YYYY-MM-DD): no time zone conversion to get wrong. */
function renderDate(value) {
  if (!present(value)) return '';
  const day = String(value).slice(0, 10);
  return `<time datetime="${escapeHtml(day)}">${escapeHtml(day)}</time>`;
}

const projectHref = (lang, slug) => `/${lang}/projects/${encodeURIComponent(slug)}`;
const newsHref = (lang, slug) => `/${lang}/news/${encodeURIComponent(slug)}`;

/** Inline nodes of Strapi blocks: text (with marks) and links. */
function renderInline(nodes) {
  if (!Array.isArray(nodes)) return '';
  return nodes
    .map((node) => {
      if (!node || typeof node !== 'object') return '';
      if (node.type === 'text') {
        let html = escapeHtml(node.text);
        if (node.code) html = `<code>${html}</code>`;
        if (node.bold) html = `<strong>${html}</strong>`;
        if (node.italic) html = `<em>${html}</em>`;
        if (node.underline) html = `<u>${html}</u>`;
        if (node.strikethrough) html = `<s>${html}</s>`;
        return html;
      }
      const inner = renderInline(node.children);
      const href = node.type === 'link' ? safeHref(node.url) : null;
      return href ? `<a href="${escapeHtml(href)}" rel="noopener">${inner}</a>` : inner;
    })
    .join('');
}

/**
 * Strapi blocks → HTML. Paragraphs and headings are what the CMS uses; lists and quotes are cheap to
 * support; anything else (images, unknown types) degrades to its text so no content silently vanishes.
 */
function renderBlocks(blocks) {
  if (!Array.isArray(blocks)) return '';
  return blocks
    .map((block) => {
      if (!block || typeof block !== 'object') return '';
      const inner = renderInline(block.children);
      switch (block.type) {
        case 'heading': {
          // The page title is the only <h1>; body headings start at <h2>.
          const level = Math.min(Math.max(Number(block.level) || 2, 2), 4);
          return `<h${level}>${inner}</h${level}>`;
        }
        case 'list': {
          const tag = block.format === 'ordered' ? 'ol' : 'ul';
          const items = (block.children || []).map((item) => `<li>${renderInline(item.children)}</li>`).join('');
          return `<${tag}>${items}</${tag}>`;
        }
        case 'quote':
          return `<blockquote>${inner}</blockquote>`;
        case 'image':
          return '';
        default:
          return inner ? `<p>${inner}</p>` : '';
      }
    })
    .join('\n');
}

/**
 * The page shell. `alternateHref` is the same page in the other language (the switcher target);
 * `preview` adds the banner and keeps the page out of search engines.
 */
function layout({ lang, title, description, alternateHref, preview = false, body }) {
  const t = LABELS[lang];
  const other = OTHER[lang];
  const switchHref = alternateHref || `/${other}/`;
  return `<!doctype html>
<html lang="${LOCALES[lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title ? `${title} · ${t.siteName}` : t.siteName)}</title>
${description ? `<meta name="description" content="${escapeHtml(description)}">\n` : ''}${preview ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<style>${CSS}</style>
</head>
<body>
${preview ? `<div class="preview-banner" role="status" data-testid="preview-banner">${escapeHtml(t.preview)}</div>\n` : ''}<header>
<a class="brand" href="/${lang}/">${escapeHtml(t.siteName)}</a>
<nav>
<a href="/${lang}/#projects">${escapeHtml(t.projects)}</a>
<a href="/${lang}/#news">${escapeHtml(t.news)}</a>
<a href="${escapeHtml(switchHref)}" hreflang="${LOCALES[other]}" lang="${LOCALES[other]}" data-testid="lang-switch">${escapeHtml(t.switchTo)}</a>
</nav>
</header>
<main>
${body}
</main>
<footer>Wutong · consumer-site example</footer>
</body>
</html>
`;
}

/** Home: project list and latest news. */
function homePage({ lang, projects, news }) {
  const t = LABELS[lang];
  const projectItems = projects
    .map((p) => {
      // Each fact is already HTML (formatNumber escapes its output).
      const facts = [
        p.kind ? escapeHtml(t.kinds[p.kind] || p.kind) : '',
        present(p.landAreaMu) ? `${formatNumber(p.landAreaMu, lang)} ${escapeHtml(t.numbers.landAreaMu[1])}` : '',
        present(p.floorAreaM2) ? `${formatNumber(p.floorAreaM2, lang)} ${escapeHtml(t.numbers.floorAreaM2[1])}` : '',
      ].filter(Boolean);
      return `<li data-testid="project-item">
<a href="${escapeHtml(projectHref(lang, p.slug))}">${escapeHtml(p.title)}</a>${p.code ? ` <span class="meta" data-testid="project-code">${escapeHtml(p.code)}</span>` : ''}
<div class="meta">${facts.join(' · ')}</div>${p.location?.address ? `\n<div>${escapeHtml(p.location.address)}</div>` : ''}
</li>`;
    })
    .join('\n');
  const newsItems = news
    .map(
      (n) => `<li data-testid="news-item">
<a href="${escapeHtml(newsHref(lang, n.slug))}">${escapeHtml(n.title)}</a> <span class="meta">${renderDate(n.publicationDate)}</span>
</li>`,
    )
    .join('\n');
  const body = `<h1>${escapeHtml(t.siteName)}</h1>
<section id="projects">
<h2>${escapeHtml(t.projects)}</h2>
<ul class="list" data-testid="project-list">
${projectItems}
</ul>
${projects.length ? '' : `<p>${escapeHtml(t.noProjects)}</p>`}
</section>
<section id="news">
<h2>${escapeHtml(t.latestNews)}</h2>
<ul class="list" data-testid="news-list">
${newsItems}
</ul>
${news.length ? '' : `<p>${escapeHtml(t.noNews)}</p>`}
</section>`;
  return layout({ lang, title: '', alternateHref: `/${OTHER[lang]}/`, body });
}

/** "about 3,000 mu" / "约 3,000 亩": qualifier words read better than symbols in both languages. */
function renderFigure(h, lang) {
  const q = LABELS[lang].qualifiers[h.qualifier];
  const parts = [q ? escapeHtml(q) : '', formatNumber(h.value, lang), h.unit ? escapeHtml(h.unit) : ''];
  return parts.filter(Boolean).join(' ');
}

/** Project detail; also used by the preview route. */
function projectPage({ lang, project: p, alternateHref, preview = false }) {
  const t = LABELS[lang];
  const numbers = Object.entries(t.numbers)
    .filter(([field]) => present(p[field]))
    .map(
      ([field, [label, unit]]) =>
        `<dt>${escapeHtml(label)}</dt><dd data-field="${field}">${formatNumber(p[field], lang)}${unit ? ` ${escapeHtml(unit)}` : ''}</dd>`,
    );
  const loc = p.location || {};
  const locationRows = ['address', 'district', 'nearbyTransit', 'landmarks', 'airportTravel']
    .filter((field) => present(loc[field]))
    .map((field) => `<dt>${escapeHtml(t[field])}</dt><dd>${escapeHtml(loc[field])}</dd>`);
  const highlights = (p.highlights || []).map(
    (h) => `<li><strong>${renderFigure(h, lang)}</strong> ${escapeHtml(h.label)}</li>`,
  );
  const industries = (p.industries || []).map((i) => `<li>${escapeHtml(i.name)}</li>`);
  const meta = [
    p.code ? `${escapeHtml(t.code)}${t.colon}${escapeHtml(p.code)}` : '',
    p.kind ? `${escapeHtml(t.kind)}${t.colon}${escapeHtml(t.kinds[p.kind] || p.kind)}` : '',
    p.stage ? `${escapeHtml(t.stage)}${t.colon}${escapeHtml(t.stages[p.stage] || p.stage)}` : '',
  ].filter(Boolean);

  const section = (title, testid, html) =>
    html ? `<section data-testid="${testid}">\n<h2>${escapeHtml(title)}</h2>\n${html}\n</section>` : '';
  const body = `<article>
<p class="meta"><a href="/${lang}/#projects">${escapeHtml(t.projects)}</a></p>
<h1 data-testid="project-title">${escapeHtml(p.title)}</h1>
<p class="meta" data-testid="project-meta">${meta.join(' · ')}</p>
${p.summary ? `<p data-testid="project-summary">${escapeHtml(p.summary)}</p>` : ''}
${renderBlocks(p.body)}
${section(t.figures, 'project-figures', numbers.length ? `<dl>${numbers.join('\n')}</dl>` : '')}
${section(t.location, 'project-location', locationRows.length ? `<dl>${locationRows.join('\n')}</dl>` : '')}
${section(t.highlights, 'project-highlights', highlights.length ? `<ul>${highlights.join('\n')}</ul>` : '')}
${section(t.industries, 'project-industries', industries.length ? `<ul>${industries.join('\n')}</ul>` : '')}
${p.park?.name ? `<p data-testid="project-park">${escapeHtml(t.park)}${t.colon}${escapeHtml(p.park.name)}</p>` : ''}
</article>`;
  return layout({
    lang,
    title: p.seo?.metaTitle || p.title,
    description: p.seo?.metaDescription || p.summary,
    alternateHref,
    preview,
    body,
  });
}

/** News article; also used by the preview route. */
function newsPage({ lang, article: a, alternateHref, preview = false }) {
  const t = LABELS[lang];
  const related = (a.relatedProjects || [])
    .filter((p) => p && p.slug)
    .map((p) => `<li><a href="${escapeHtml(projectHref(lang, p.slug))}">${escapeHtml(p.title)}</a></li>`);
  const meta = [
    a.publicationDate ? `${escapeHtml(t.published)}${t.colon}${renderDate(a.publicationDate)}` : '',
    a.byline ? `${escapeHtml(t.byline)}${t.colon}${escapeHtml(a.byline)}` : '',
  ].filter(Boolean);
  const body = `<article>
<p class="meta"><a href="/${lang}/#news">${escapeHtml(t.news)}</a></p>
<h1 data-testid="news-title">${escapeHtml(a.title)}</h1>
<p class="meta" data-testid="news-meta">${meta.join(' · ')}</p>
${a.summary ? `<p><strong>${escapeHtml(a.summary)}</strong></p>` : ''}
<div data-testid="news-body">
${renderBlocks(a.body)}
</div>
${related.length ? `<section data-testid="related-projects">\n<h2>${escapeHtml(t.relatedProjects)}</h2>\n<ul>${related.join('\n')}</ul>\n</section>` : ''}
</article>`;
  return layout({
    lang,
    title: a.seo?.metaTitle || a.title,
    description: a.seo?.metaDescription || a.summary,
    alternateHref,
    preview,
    body,
  });
}

/** 404 / 400 / 403 / 502 pages share one shape; `kind` picks the heading. */
function errorPage({ lang = 'zh', kind = 'notFound', preview = false }) {
  const t = LABELS[lang];
  const text = { notFound: t.notFoundText, cmsError: t.cmsError }[kind] || '';
  const heading = kind === 'cmsError' ? t.cmsError : t[kind];
  const body = `<h1 data-testid="${kind === 'notFound' ? 'not-found' : 'error'}">${escapeHtml(heading)}</h1>
${text && text !== heading ? `<p>${escapeHtml(text)}</p>` : ''}
<p><a href="/${lang}/">${escapeHtml(t.backHome)}</a></p>`;
  return layout({ lang, title: heading, preview, body });
}

module.exports = {
  LOCALES,
  OTHER,
  LABELS,
  escapeHtml,
  safeHref,
  renderBlocks,
  homePage,
  projectPage,
  newsPage,
  errorPage,
};

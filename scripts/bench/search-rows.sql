-- Synthetic search rows for query plans at scale (docs/performance-notes.md, "Scale: query plans (search)"): 2 rows
-- (zh-Hans, en) per project, written straight into the search index, vocabulary after scripts/bench-data.js.
-- In a database whose wutong_search table exists (Wutong started once, or indexSchemaSql's statements):
--   psql -v projects=100000 -f scripts/bench/search-rows.sql <db> && psql -c 'VACUUM ANALYZE wutong_search' <db>
INSERT INTO wutong_search (row_key, type, locale, document_id, title, f1, f2, f3, f4, f5)
SELECT (2 * n + l) * 16 + 1, 1, CASE l WHEN 1 THEN 'zh-Hans' ELSE 'en' END, 'doc' || n,
  lower(CASE l WHEN 1 THEN place_zh || CASE WHEN n % 997 = 5 THEN '贵隆' ELSE '' END || ind_zh || kind_zh || phase_zh || '项目（' || num || '号）'
        ELSE place_en || ' ' || ind_en || ' ' || kind_en || ' project, ' || phase_en || ' (no. ' || num || ')' END),
  lower('bx-' || num),
  lower(CASE l WHEN 1 THEN '位于' || place_zh || CASE WHEN n % 1000 = 7 THEN '，豫西' ELSE '' END || '，规划用地约' || (20 + (n * 37) % 480) || '亩，建筑面积约' || (2000 + (n * 911) % 98000) || '平方米，' || transit_zh || '，距离洛阳机场约' || (8 + (n * 3) % 30) || '分钟车程。拟引进' || ind_zh || '领域龙头企业，打造' || ind_zh || '产业集聚区。'
        ELSE 'in ' || place_en || ': about ' || (20 + (n * 37) % 480) || ' mu of planned land, ' || transit_en || ', about ' || (8 + (n * 3) % 30) || ' minutes from luoyang airport. seeks leading ' || ind_en || ' enterprises.' END),
  lower(CASE l WHEN 1 THEN '拟引进' || ind_zh || '领域龙头企业。' ELSE 'leading ' || ind_en || ' enterprises.' END),
  lower(CASE l WHEN 1 THEN '打造' || ind_zh || '产业集聚区。' ELSE 'a ' || ind_en || ' cluster.' END),
  lower(CASE l WHEN 1 THEN ' 该项目位于' || place_zh || '，' || transit_zh || '，周边产业基础良好，配套设施完善。 西工区将在土地、人才、金融等方面给予政策支持，为入驻企业提供“一站式”服务。'
        ELSE ' the project is in ' || place_en || ', ' || transit_en || ', with a sound industrial base and good amenities. xigong district supports incoming enterprises with land, talent and financing policies and one-stop services.' END)
FROM (
  SELECT n, lpad((n + 1)::text, 4, '0') AS num,
    (ARRAY['西工区','西工经济技术开发区','凤凰谷','王城大道','中州中路','唐宫路','纱厂路','九都路','道南路','西工硅巷','解放路','红山乡'])[1 + (n * 7 + 13 + n / 12) % 12] AS place_zh,
    (ARRAY['Xigong District','Xigong Economic and Technological Development Zone','Fenghuanggu','Wangcheng Avenue','Zhongzhou Middle Road','Tanggong Road','Shachang Road','Jiudu Road','Daonan Road','Xigong Silicon Alley','Jiefang Road','Hongshan Township'])[1 + (n * 7 + 13 + n / 12) % 12] AS place_en,
    (ARRAY['产业园','标准厂房','商业综合体','临街商铺','酒店','总部基地','写字楼','地块','文创园','科创社区'])[1 + (n * 7 + n / 10) % 10] AS kind_zh,
    (ARRAY['Industrial Park','Standard Factory','Commercial Complex','Street Retail Space','Hotel','Headquarters Base','Office Building','Land Parcel','Cultural and Creative Park','Tech Community'])[1 + (n * 7 + n / 10) % 10] AS kind_en,
    (ARRAY['紧临地铁1号线','紧临规划的地铁3号线','距洛阳站约3公里','距洛阳龙门站约15分钟车程','多条公交线路途经'])[1 + (n * 7 + 26 + n / 5) % 5] AS transit_zh,
    (ARRAY['next to Metro Line 1','next to the planned Metro Line 3','about 3 km from Luoyang Station','a 15-minute drive from Luoyang Longmen Station','served by several bus lines'])[1 + (n * 7 + 26 + n / 5) % 5] AS transit_en,
    (ARRAY['一期','二期','三期','四期'])[1 + (n * 7 + 39 + n / 4) % 4] AS phase_zh,
    (ARRAY['Phase I','Phase II','Phase III','Phase IV'])[1 + (n * 7 + 39 + n / 4) % 4] AS phase_en,
    (ARRAY['高端装备制造','新材料','电子信息','生物医药','现代物流','文化旅游','数字经济','新能源','节能环保','现代金融','人工智能','智能制造'])[1 + (n * 7 + 52 + n / 12) % 12] AS ind_zh,
    (ARRAY['High-end Equipment','New Materials','Electronic Information','Biomedicine','Modern Logistics','Culture and Tourism','Digital Economy','New Energy','Energy Conservation','Modern Finance','Artificial Intelligence','Smart Manufacturing'])[1 + (n * 7 + 52 + n / 12) % 12] AS ind_en
  FROM generate_series(0, :projects - 1) n
) p, (VALUES (1), (2)) v(l);

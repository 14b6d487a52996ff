import { rangeIssues, type AttributeMap } from '../../src/lib/validation';

const components: Record<string, AttributeMap> = {
  'shared.key-figure': { value: { type: 'decimal' }, year: { type: 'integer', min: 1900, max: 2100 } },
};
const project: AttributeMap = {
  title: { type: 'string' },
  landAreaMu: { type: 'decimal', min: 0 },
  latitude: { type: 'decimal', min: -90, max: 90 },
  longitude: { type: 'decimal', min: -180, max: 180 },
  parkingSpaces: { type: 'integer', min: 0 },
  highlights: { type: 'component', component: 'shared.key-figure', repeatable: true },
  blocks: { type: 'dynamiczone', components: ['shared.key-figure'] },
};
const check = (data: Record<string, unknown>) => rangeIssues(project, data, (uid) => components[uid]);

describe('rangeIssues', () => {
  it('accepts values inside the ranges, including the bounds', () => {
    expect(check({ landAreaMu: 0, latitude: -90, longitude: 180, parkingSpaces: 280 })).toEqual([]);
  });

  it('reports negative areas and out-of-range coordinates with their paths', () => {
    const issues = check({ landAreaMu: -1, latitude: 90.5, longitude: '-181', parkingSpaces: -3 });
    expect(issues.map(({ path }) => path.join('.'))).toEqual(['landAreaMu', 'latitude', 'longitude', 'parkingSpaces']);
    expect(issues[0]).toEqual({
      path: ['landAreaMu'],
      message: 'landAreaMu must be greater than or equal to 0',
      name: 'ValidationError',
      value: -1,
    });
  });

  it('descends into repeatable components and dynamic zones', () => {
    const issues = check({
      highlights: [
        { value: 1, year: 2023 },
        { value: 2, year: 1800 },
      ],
      blocks: [{ __component: 'shared.key-figure', year: 2200 }],
    });
    expect(issues.map(({ path }) => path.join('.'))).toEqual(['highlights.1.year', 'blocks.0.year']);
  });

  it('leaves missing, null and non-numeric values to Strapi', () => {
    expect(check({ landAreaMu: null, latitude: 'north', title: 'x' })).toEqual([]);
  });
});

import { columnRangeProblem, rangeIssues, type AttributeMap } from '../../src/lib/validation';

const components: Record<string, AttributeMap> = {
  'shared.key-figure': { value: { type: 'decimal' }, year: { type: 'integer', min: 1900, max: 2100 } },
};
const project: AttributeMap = {
  title: { type: 'string' },
  landAreaMu: { type: 'decimal', min: 0 },
  latitude: { type: 'decimal', min: -90, max: 90 },
  longitude: { type: 'decimal', min: -180, max: 180 },
  parkingSpaces: { type: 'integer', min: 0 },
  views: { type: 'biginteger' },
  ratio: { type: 'float' },
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
      code: 'validation.min',
      params: { field: 'landAreaMu', min: 0 },
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

describe('column ranges', () => {
  it('integer: 32-bit signed, as the column is', () => {
    expect(columnRangeProblem('integer', 2147483647)).toBeUndefined();
    expect(columnRangeProblem('integer', -2147483648)).toBeUndefined();
    expect(columnRangeProblem('integer', 2147483648)?.message).toBe('must be between -2147483648 and 2147483647');
    expect(columnRangeProblem('integer', '-2147483649')).toBeDefined();
    expect(columnRangeProblem('integer', 1e20)).toBeDefined();
  });

  it('biginteger: within ±(2^63-1), exactly, also as a string', () => {
    expect(columnRangeProblem('biginteger', '9223372036854775807')).toBeUndefined();
    expect(columnRangeProblem('biginteger', '-9223372036854775807')).toBeUndefined();
    expect(columnRangeProblem('biginteger', '9223372036854775808')?.message).toBe(
      'must be between -9223372036854775807 and 9223372036854775807',
    );
    expect(columnRangeProblem('biginteger', 1e19)).toBeDefined();
    expect(columnRangeProblem('biginteger', 12345)).toBeUndefined();
    expect(columnRangeProblem('biginteger', '12.5')).toBeUndefined(); // not an integer: Strapi's to report
  });

  it('float: finite', () => {
    expect(columnRangeProblem('float', 1e300)).toBeUndefined();
    expect(columnRangeProblem('float', 'Infinity')?.message).toBe('must be a finite number');
    expect(columnRangeProblem('float', '1e400')?.message).toBe('must be a finite number');
    expect(columnRangeProblem('float', Number.NaN)).toBeDefined();
  });

  it('decimal: what decimal(10,2) holds after rounding to cents', () => {
    expect(columnRangeProblem('decimal', 99999999.99)).toBeUndefined();
    expect(columnRangeProblem('decimal', -99999999.99)).toBeUndefined();
    expect(columnRangeProblem('decimal', 99999999.994)).toBeUndefined();
    expect(columnRangeProblem('decimal', 99999999.996)?.message).toBe('must be between -99999999.99 and 99999999.99');
    expect(columnRangeProblem('decimal', 1e30)).toBeDefined();
    expect(columnRangeProblem('decimal', '1e16')).toBeDefined();
  });

  it('leaves other types and non-numbers alone', () => {
    expect(columnRangeProblem('string', 1e30)).toBeUndefined();
    expect(columnRangeProblem('integer', 'many')).toBeUndefined();
    expect(columnRangeProblem('integer', null)).toBeUndefined();
  });

  it('is reported by rangeIssues once per field, after min/max', () => {
    const issues = check({ parkingSpaces: 1e20, latitude: 1e30, views: '99999999999999999999', ratio: 'Infinity' });
    expect(issues.map(({ path, message }) => [path.join('.'), message])).toEqual([
      ['latitude', 'latitude must be less than or equal to 90'],
      ['parkingSpaces', 'parkingSpaces must be between -2147483648 and 2147483647'],
      ['views', 'views must be between -9223372036854775807 and 9223372036854775807'],
      ['ratio', 'ratio must be a finite number'],
    ]);
    expect(check({ highlights: [{ value: 1e12 }] }).map(({ path }) => path.join('.'))).toEqual(['highlights.0.value']);
  });
});

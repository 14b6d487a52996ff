import { databaseSettings, envBool, envInt, envSecret, envString } from '../../src/lib/env';

describe('env helpers', () => {
  it('treats empty and blank variables as unset', () => {
    expect(envString({ X: '' }, 'X', 'fallback')).toBe('fallback');
    expect(envString({ X: '   ' }, 'X', 'fallback')).toBe('fallback');
    expect(envString({ X: ' value ' }, 'X', 'fallback')).toBe('value');
  });

  it('parses integers and booleans strictly', () => {
    expect(envInt({ P: '5432' }, 'P', 1)).toBe(5432);
    expect(envInt({ P: '' }, 'P', 1)).toBe(1);
    expect(() => envInt({ P: '54x' }, 'P', 1)).toThrow(/integer/);
    expect(envBool({ B: 'TRUE' }, 'B', false)).toBe(true);
    expect(envBool({ B: '0' }, 'B', true)).toBe(false);
    expect(envBool({}, 'B', true)).toBe(true);
    expect(() => envBool({ B: 'maybe' }, 'B', true)).toThrow(/true or false/);
  });

  it('uses development secrets outside production only', () => {
    expect(envSecret({ NODE_ENV: 'development' }, 'S', 'dev')).toBe('dev');
    expect(envSecret({ NODE_ENV: 'production', S: 'real' }, 'S', 'dev')).toBe('real');
    expect(() => envSecret({ NODE_ENV: 'production', S: '' }, 'S', 'dev')).toThrow(/S is not set/);
  });
});

describe('databaseSettings', () => {
  it('defaults to the embedded SQLite file', () => {
    expect(databaseSettings({})).toEqual({ client: 'sqlite', filename: '.tmp/data.db' });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const settings = databaseSettings({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wutong' });
    expect(settings).toMatchObject({
      client: 'postgres',
      connectionString: 'postgres://postgres@127.0.0.1:5432/wutong',
    });
  });

  it('ignores the empty DATABASE_* lines of a generated .env', () => {
    const settings = databaseSettings({
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: '',
      DATABASE_PORT: '',
      DATABASE_NAME: '',
      DATABASE_USERNAME: '',
      DATABASE_PASSWORD: '',
      DATABASE_URL: '',
    });
    expect(settings).toMatchObject({
      client: 'postgres',
      connectionString: undefined,
      host: '127.0.0.1',
      port: 5432,
      database: 'wutong',
      user: 'postgres',
      password: undefined,
    });
  });

  it('rejects an unknown client', () => {
    expect(() => databaseSettings({ DATABASE_CLIENT: 'mysql' })).toThrow(/sqlite" or "postgres/);
  });
});

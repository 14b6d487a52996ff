import {
  createDatabaseHealth,
  isUnavailableError,
  mustAnswerUnavailable,
  unavailableBody,
  unavailableHeaders,
} from '../../src/lib/availability';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isUnavailableError', () => {
  it.each([
    ['08006', 'connection_failure'],
    ['08001', 'sqlclient_unable_to_establish_sqlconnection'],
    ['08P01', 'protocol_violation'],
    ['57P01', 'admin_shutdown'],
    ['57P02', 'crash_shutdown'],
    ['57P03', 'cannot_connect_now'],
    ['53300', 'too_many_connections'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['ETIMEDOUT', 'timed out'],
    ['EPIPE', 'broken pipe'],
    ['ENOTFOUND', 'no such host'],
    ['SQLITE_BUSY', 'database is locked'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_CANTOPEN', 'cannot open'],
    ['SQLITE_IOERR_READ', 'disk I/O error'],
  ])('%s (%s) is unavailability', (code, message) => {
    expect(isUnavailableError(withCode(code, message))).toBe(true);
  });

  it.each([
    ['Connection terminated unexpectedly'],
    ['Connection terminated due to connection timeout'],
    ['Client has encountered a connection error and is not queryable'],
    ['Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?'],
    ['timeout exceeded when trying to connect'],
    ['the database system is shutting down'],
    ['terminating connection due to administrator command'],
    ['sorry, too many clients already'],
  ])('"%s" is unavailability (drivers that give only a message)', (message) => {
    expect(isUnavailableError(new Error(message))).toBe(true);
  });

  it('knows knex pool timeouts by name', () => {
    const error = new Error('whatever');
    error.name = 'KnexTimeoutError';
    expect(isUnavailableError(error)).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['22003', 'numeric value out of range'],
    ['42P01', 'relation "x" does not exist'],
    ['42703', 'column "x" does not exist'],
    ['40001', 'could not serialize access'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'],
    ['SQLITE_ERROR', 'no such table'],
    ['ENOENT', 'no such file'],
    ['E08001', 'not a SQLSTATE'],
  ])('%s (%s) is not: a bad query or bad input', (code, message) => {
    expect(isUnavailableError(withCode(code, message))).toBe(false);
  });

  it('is false for Strapi errors that merely follow an outage, and for non-errors', () => {
    expect(isUnavailableError(Object.assign(new Error('Missing or invalid credentials'), { status: 401 }))).toBe(false);
    expect(isUnavailableError(new Error("This locale doesn't exist"))).toBe(false);
    for (const value of [undefined, null, 'ECONNREFUSED', 42, {}]) expect(isUnavailableError(value)).toBe(false);
  });

  it('finds the cause however deeply wrapped: cause, AggregateError, GraphQL originalError', () => {
    const refused = withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    expect(isUnavailableError(new Error('query failed', { cause: new Error('wrapped', { cause: refused }) }))).toBe(
      true,
    );
    expect(isUnavailableError(new AggregateError([new Error('first'), refused], ''))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('graphql'), { originalError: refused }))).toBe(true);
    expect(isUnavailableError(new Error('outer', { cause: new Error('inner') }))).toBe(false);
  });

  it('does not loop on cyclic causes', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isUnavailableError(a)).toBe(false);
  });
});

describe('the 503 answer', () => {
  it('is Strapi’s error format with nothing from the underlying error', () => {
    expect(unavailableBody()).toEqual({
      data: null,
      error: { status: 503, name: 'ServiceUnavailableError', message: expect.any(String), details: {} },
    });
    expect(JSON.stringify(unavailableBody())).not.toMatch(/5432|127\.0\.0\.1|ECONN/);
  });

  it('says when to retry and forbids storing it', () => {
    expect(unavailableHeaders(7)).toEqual({ 'Retry-After': '7', 'Cache-Control': 'no-store' });
  });
});

describe('mustAnswerUnavailable (after a connectivity error during the request)', () => {
  const answer = (status: number, method = 'GET', graphql = false, bodyHasErrors = false) => ({
    status,
    method,
    graphql,
    bodyHasErrors,
  });

  it('turns every error status into a 503, whatever Strapi chose', () => {
    for (const status of [400, 401, 403, 404, 500, 501]) {
      expect(mustAnswerUnavailable(answer(status))).toBe(true);
      expect(mustAnswerUnavailable(answer(status, 'POST'))).toBe(true);
    }
  });

  it('turns successful reads into a 503 (they may lack what could not be loaded)', () => {
    expect(mustAnswerUnavailable(answer(200, 'GET'))).toBe(true);
    expect(mustAnswerUnavailable(answer(200, 'HEAD'))).toBe(true);
  });

  it('keeps a successful write (it happened; a retry could repeat it)', () => {
    expect(mustAnswerUnavailable(answer(201, 'POST'))).toBe(false);
    expect(mustAnswerUnavailable(answer(200, 'PUT'))).toBe(false);
  });

  it('turns a GraphQL 200 carrying errors into a 503, not one without', () => {
    expect(mustAnswerUnavailable(answer(200, 'POST', true, true))).toBe(true);
    expect(mustAnswerUnavailable(answer(200, 'POST', true, false))).toBe(false);
  });
});

describe('createDatabaseHealth', () => {
  const setup = (probe: () => Promise<unknown>, probeTimeoutMs = 50) => {
    let clock = 0;
    const changes: boolean[] = [];
    const probes = jest.fn(probe);
    const health = createDatabaseHealth({
      probe: probes,
      probeTimeoutMs,
      probeIntervalMs: 1000,
      hangLimitMs: 5000,
      now: () => clock,
      onChange: (down) => changes.push(down),
    });
    return { health, probes, changes, advance: (ms: number) => (clock += ms) };
  };

  it('is up until a failure, down until a success, and says so once per flip', () => {
    const { health, changes } = setup(() => Promise.resolve());
    expect(health.knownDown).toBe(false);
    health.failed();
    health.failed();
    expect(health.knownDown).toBe(true);
    health.succeeded();
    expect(health.knownDown).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('a successful probe ends an outage (recovery without restart)', async () => {
    const { health } = setup(() => Promise.resolve());
    health.failed();
    await expect(health.check()).resolves.toBe(true);
    expect(health.knownDown).toBe(false);
  });

  it('shares one probe between concurrent checks and reuses a failed verdict for the interval', async () => {
    const { health, probes, advance } = setup(() => Promise.reject(new Error('ECONNREFUSED')));
    health.failed();
    const results = await Promise.all([health.check(), health.check(), health.check()]);
    expect(results).toEqual([false, false, false]);
    expect(probes).toHaveBeenCalledTimes(1);
    advance(500);
    await expect(health.check()).resolves.toBe(false);
    expect(probes).toHaveBeenCalledTimes(1);
    // Readiness asks for a fresh answer.
    await expect(health.check({ fresh: true })).resolves.toBe(false);
    expect(probes).toHaveBeenCalledTimes(2);
    advance(1000);
    await health.check();
    expect(probes).toHaveBeenCalledTimes(3);
  });

  it('counts a probe that does not answer in time as down, and sends no second one while it hangs', async () => {
    let answer: () => void = () => undefined;
    const { health, probes, advance } = setup(() => new Promise<void>((resolve) => (answer = resolve)), 20);
    const started = Date.now();
    await expect(health.check({ fresh: true })).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(health.knownDown).toBe(true);
    advance(2000);
    await expect(health.check({ fresh: true })).resolves.toBe(false);
    expect(probes).toHaveBeenCalledTimes(1);
    // The stalled query finally answers: that proves the database is back.
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.knownDown).toBe(false);
  });

  it('gives up waiting on a probe that hangs past the hang limit', async () => {
    const { health, probes, advance } = setup(() => new Promise(() => undefined), 10);
    await health.check({ fresh: true });
    advance(6000);
    await health.check({ fresh: true });
    expect(probes).toHaveBeenCalledTimes(2);
  });
});

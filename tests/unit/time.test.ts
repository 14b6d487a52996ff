import { formatInZone, parseScheduleTime, zoneOffsetMinutes } from '../../src/lib/time';

describe('schedule times', () => {
  it('reads a local time in Beijing time by default', () => {
    expect(parseScheduleTime('2026-12-01T09:00', 'Asia/Shanghai')?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(parseScheduleTime('2026-12-01 09:00:30', 'Asia/Shanghai')?.toISOString()).toBe('2026-12-01T01:00:30.000Z');
  });

  it('keeps an explicit offset', () => {
    expect(parseScheduleTime('2026-12-01T09:00:00+08:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    );
    expect(parseScheduleTime('2026-12-01T01:00:00Z', 'Asia/Shanghai')?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('handles zones with summer time', () => {
    expect(parseScheduleTime('2026-07-01T09:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(parseScheduleTime('2026-01-15T09:00', 'Europe/Berlin')?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(zoneOffsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
  });

  it('refuses what is not a time', () => {
    for (const value of ['', 'tomorrow', '2026-13-45T99:00', 42, null, '2026-12-01']) {
      expect(parseScheduleTime(value, 'Asia/Shanghai')).toBeUndefined();
    }
  });

  it('formats an instant in the zone', () => {
    expect(formatInZone(new Date('2026-12-01T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-01 09:00 (Asia/Shanghai)');
  });
});

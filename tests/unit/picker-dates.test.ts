import { parseAbsolute, toCalendarDate, CalendarDate } from '@internationalized/date';
import { browserZone, dayFromPicker, dayToPicker, timeFromPicker, wallClock } from '../../src/lib/picker-dates';
import { parseScheduleTime } from '../../src/lib/time';

/** As @strapi/design-system's DatePicker reads its value: the value's calendar day in UTC. */
const shownDay = (value: Date) => toCalendarDate(parseAbsolute(value.toISOString(), 'UTC')).toString();
/** As it reports a pick: the picked day's start in the browser's zone. */
const reported = (day: string, browserZone: string) => {
  const [year, month, date] = day.split('-').map(Number);
  return new CalendarDate(year, month, date).toDate(browserZone);
};

describe('picker dates', () => {
  // The browser's zone is not the schedule's: Beijing editors, UTC servers and test browsers, travellers.
  it.each(['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'keeps the day the editor picked in a browser in %s',
    (zone) => {
      for (const day of ['2026-12-03', '2026-01-01', '2026-12-31', '2028-02-29', '2027-03-14', '2026-10-25']) {
        expect(shownDay(dayToPicker(day)!)).toBe(day);
        expect(dayFromPicker(reported(day, zone), zone)).toBe(day);
        // Round trip: what the picker reports, shown again, is still that day.
        expect(shownDay(dayToPicker(dayFromPicker(reported(day, zone), zone))!)).toBe(day);
      }
    },
  );

  it('makes the Beijing minute the editor chose, whatever the browser zone', () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      // 2027-03-14 02:30 does not exist in New York (summer time starts): Beijing time still has it.
      const at = wallClock(dayFromPicker(reported('2027-03-14', zone), zone), timeFromPicker('02:30'));
      expect(at).toBe('2027-03-14T02:30');
      expect(parseScheduleTime(at, 'Asia/Shanghai')?.toISOString()).toBe('2027-03-13T18:30:00.000Z');
    }
  });

  it('needs both a day and a time before there is a schedule time', () => {
    expect(wallClock('2026-12-03', '09:05')).toBe('2026-12-03T09:05');
    expect(wallClock('2026-12-03', '9:05')).toBe('2026-12-03T09:05');
    expect(wallClock('2026-12-03', '')).toBe('');
    expect(wallClock('', '09:05')).toBe('');
    expect(wallClock('2026-02-31', '09:05')).toBe('');
  });

  it('reads the time picker text, refusing what is not a time of day', () => {
    expect(timeFromPicker('23:59')).toBe('23:59');
    expect(timeFromPicker('07.30')).toBe('07:30');
    for (const value of ['', undefined, null, '24:00', '12:60', '--:--', 'noon', '1230']) {
      expect(timeFromPicker(value)).toBe('');
    }
  });

  it('has no day for an empty or impossible value', () => {
    expect(dayToPicker('')).toBeUndefined();
    expect(dayToPicker(null)).toBeUndefined();
    expect(dayToPicker('2026-13-01')).toBeUndefined();
    expect(dayToPicker('03/12/2026')).toBeUndefined();
    expect(dayFromPicker(undefined, 'UTC')).toBe('');
    expect(dayFromPicker(new Date(Number.NaN), 'UTC')).toBe('');
    // Without a zone: this process's own, as the browser's in the admin.
    expect(dayFromPicker(reported('2026-12-03', browserZone()))).toBe('2026-12-03');
  });
});

/**
 * Wall-clock dates between the admin's design-system pickers and the server's strings
 * ("YYYY-MM-DD" days, "YYYY-MM-DDTHH:mm" schedule times read in the district's zone).
 *
 * The DatePicker shows its value's UTC calendar day but reports a pick as that day's start in the
 * browser's zone; the TimePicker works in "HH:mm" text. Nothing here converts a time between
 * zones, so a browser in UTC (or New York) schedules the Beijing minute the editor typed.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{1,2})\D(\d{2})$/;

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** The DatePicker value showing `day` ("YYYY-MM-DD"), whatever the browser's zone; undefined if none. */
export const dayToPicker = (day: string | null | undefined): Date | undefined => {
  const match = DAY.exec(day ?? '');
  if (!match) return undefined;
  const [year, month, date] = match.slice(1).map(Number);
  const value = new Date(Date.UTC(year, month - 1, date));
  // Date.UTC rolls 2026-02-31 over into March: no day rather than another one.
  return value.getUTCMonth() === month - 1 && value.getUTCDate() === date ? value : undefined;
};

/** The browser's zone, as the design system (@internationalized/date) takes it. */
export const browserZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The day ("YYYY-MM-DD") a DatePicker pick means: it reports the day's start in the browser's
 * zone (`zone`, given so that this reads the same in any test process).
 */
export const dayFromPicker = (picked: Date | null | undefined, zone: string = browserZone()): string => {
  if (!picked || Number.isNaN(picked.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(picked)
      .map(({ type, value }) => [type, Number(value)]),
  );
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
};

/** "HH:mm" from a TimePicker value ("09:30", "9:30"; any one separator); '' if none or no time. */
export const timeFromPicker = (value: string | null | undefined): string => {
  const match = TIME.exec((value ?? '').trim());
  if (!match) return '';
  const [hour, minute] = match.slice(1).map(Number);
  return hour <= 23 && minute <= 59 ? `${pad(hour)}:${pad(minute)}` : '';
};

/** The schedule time "YYYY-MM-DDTHH:mm" once both a day and a time are chosen, else '' (nothing to send). */
export const wallClock = (day: string, time: string): string => {
  const hhmm = timeFromPicker(time);
  return dayToPicker(day) && hhmm ? `${day}T${hhmm}` : '';
};

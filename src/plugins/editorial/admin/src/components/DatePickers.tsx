/**
 * The design system's date and time pickers in the interface language, on the server's wall-clock
 * strings ("YYYY-MM-DD", "YYYY-MM-DDTHH:mm"). A native date input shows the browser's own
 * "mm/dd/yyyy" in the Chinese admin; the conversions (src/lib/picker-dates) never go through the
 * browser's zone, which need not be the district's.
 */
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { DatePicker, Flex, TimePicker } from '@strapi/design-system';
import { dayFromPicker, dayToPicker, timeFromPicker, wallClock } from '../../../../../lib/picker-dates';
import { useT } from './useT';

interface DayPickerProps {
  /** "YYYY-MM-DD" or '' (none). */
  value: string;
  onChange: (day: string) => void;
  /** Its accessible name and placeholder. */
  label: string;
  name?: string;
  size?: 'S' | 'M';
  /** Its clear button's name; "Clear" in the interface language by default. */
  clearName?: string;
}

/** One day, as the server takes it ("YYYY-MM-DD"); '' once cleared. */
export const DayPicker = ({ value, onChange, label, name, size, clearName }: DayPickerProps) => {
  const t = useT();
  const { locale } = useIntl();
  return (
    <DatePicker
      name={name}
      size={size}
      locale={locale}
      aria-label={label}
      placeholder={label}
      calendarLabel={label}
      monthSelectLabel={t('picker.month', 'Month')}
      yearSelectLabel={t('picker.year', 'Year')}
      value={dayToPicker(value)}
      onChange={(date?: Date) => onChange(dayFromPicker(date))}
      onClear={() => onChange('')}
      clearLabel={clearName ?? t('filter.clear', 'Clear')}
    />
  );
};

interface WallClockPickerProps {
  /** Called with "YYYY-MM-DDTHH:mm" once both a day and a time are chosen, else ''. */
  onChange: (at: string) => void;
  /** The pair's accessible name, and each field's. */
  label: string;
  dateLabel: string;
  timeLabel: string;
  name?: string;
}

/**
 * A wall-clock time in the district's zone: a day and a time of day picked apart (not the
 * design system's DateTimePicker, which reads its value in the browser's zone and names its clear
 * buttons "… date"/"… time" in English).
 */
export const WallClockPicker = ({ onChange, label, dateLabel, timeLabel, name }: WallClockPickerProps) => {
  const t = useT();
  const [day, setDay] = useState('');
  const [time, setTime] = useState('');
  const update = (nextDay: string, nextTime: string) => {
    setDay(nextDay);
    setTime(nextTime);
    onChange(wallClock(nextDay, nextTime));
  };
  return (
    <Flex role="group" aria-label={label} gap={2} wrap="wrap" alignItems="flex-start">
      <DayPicker
        name={name && `${name}Date`}
        label={dateLabel}
        value={day}
        onChange={(next) => update(next, time)}
        clearName={t('picker.clearDate', 'Clear date')}
      />
      <TimePicker
        name={name && `${name}Time`}
        aria-label={timeLabel}
        value={time}
        onChange={(next?: string) => update(day, next ?? '')}
        // A typed time counts as soon as it is whole: the picker itself takes it only on leaving the
        // field (or on Enter for a listed quarter hour), and Schedule would stay disabled till then.
        onInputChange={(event: React.ChangeEvent<HTMLInputElement>) => {
          const typed = timeFromPicker(event.currentTarget.value);
          if (typed) update(day, typed);
        }}
        onClear={() => update(day, '')}
        clearLabel={t('picker.clearTime', 'Clear time')}
      />
    </Flex>
  );
};

/**
 * The design system's date and time pickers, driven as a person does: typing into them in the
 * interface language's format and confirming with Enter.
 */
import type { Locator } from 'playwright-core';
import type { Language } from './browser';

/** A day ("YYYY-MM-DD") as the admin's date picker shows it in `language` (2026/12/03; 12/03/2026). */
export const shownDay = (day: string, language: Language) =>
  new Intl.DateTimeFormat(language, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(`${day}T00:00:00Z`),
  );

/** Types a day into a date picker's field (its calendar opens meanwhile) and confirms it. */
export const typeDay = async (field: Locator, day: string, language: Language) => {
  await field.click();
  await field.pressSequentially(shownDay(day, language));
  await field.press('Enter');
};

/** Types a time of day ("HH:mm") into a time picker and confirms it. */
export const typeTime = async (field: Locator, time: string) => {
  await field.click();
  await field.pressSequentially(time);
  await field.press('Enter');
};

/** The placeholders and names of a part's fields and buttons: what a Chinese reader must not see in English. */
export const fieldTexts = (part: Locator): Promise<string[]> =>
  part
    .locator('input, button, [role="combobox"], [role="group"]')
    .evaluateAll((elements) =>
      elements.flatMap((element) =>
        ['placeholder', 'aria-label'].map((name) => element.getAttribute(name) ?? '').filter(Boolean),
      ),
    );

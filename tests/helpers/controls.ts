/**
 * "A control a person cannot use is hidden or says why": the disabled controls a page shows
 * without a reason. Every visible disabled button in the page's main area, and every disabled
 * item of the menus there (each menu opened in turn), except our workflow panel's controls whose
 * reason is shown beside them (`editorial-<name>-reason`), every disabled option of the selects
 * there (i18n's language picker among them) unless it holds its reason (`editorial-option-reason`),
 * and the names the caller allows (Save,
 * disabled until the form changes, as in every editor). Tabs are left out: the edit view's
 * Draft/Published tabs grey out Published while no version is published, which the status beside
 * the title says.
 */
import type { Locator, Page } from 'playwright-core';

const nameOf = async (control: Locator) =>
  ((await control.getAttribute('aria-label')) || (await control.textContent()) || '').trim().replace(/\s+/g, ' ');

/**
 * Escape until the popup is gone: the design system's popups listen for Escape from an effect run
 * after they are shown, so on a busy machine a key pressed at once can come before the listener.
 */
const dismiss = async (page: Page, popup: Locator) => {
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press('Escape');
    try {
      await popup.waitFor({ state: 'detached', timeout: 3000 });
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
};

/** Menu triggers opened per page: the row menus of a long list are alike. */
const MENUS = 8;

type Visit = (trigger: string, popup: Locator) => Promise<void>;

/** Opens the popup of each of the page's triggers in turn and hands it over, with its trigger's name. */
const eachPopup = async (page: Page, triggerSelector: string, role: 'menu' | 'listbox', visit: Visit) => {
  for (const trigger of (await page.locator(triggerSelector).all()).slice(0, MENUS)) {
    if (!(await trigger.isVisible())) continue;
    await trigger.click();
    const popup = page.getByRole(role);
    await popup.waitFor();
    await visit(await nameOf(trigger), popup);
    await dismiss(page, popup);
  }
};

/** Each menu of the page's main area. */
const eachMenu = (page: Page, visit: Visit) =>
  eachPopup(page, 'main button[aria-haspopup="menu"]:enabled:not([aria-disabled="true"])', 'menu', visit);

/**
 * Each select of the page's main area (the design system's: the language picker, enumerations;
 * not the text-input comboboxes of relations and dates), its options.
 */
const eachSelect = (page: Page, visit: Visit) =>
  eachPopup(
    page,
    'main [role="combobox"]:not(input):not([aria-disabled="true"]):not([data-disabled])',
    'listbox',
    visit,
  );

export const unexplainedDisabled = async (page: Page, allowed: RegExp[] = []): Promise<string[]> => {
  const out: string[] = [];
  const allowedName = (name: string) => allowed.some((pattern) => pattern.test(name));
  // A read-only form's own controls (toolbars, Add, reorder) are disabled for one reason, which
  // the read-only note in the Entry panel gives: the fields' tab panel is then explained.
  const readOnly = await page.getByTestId('editorial-read-only').isVisible();
  for (const control of await page
    .locator('main')
    .locator('button:disabled:not([role="tab"]), button[aria-disabled="true"], [role="button"][aria-disabled="true"]')
    .all()) {
    if (!(await control.isVisible())) continue;
    if (readOnly && (await control.locator('xpath=ancestor::*[@role="tabpanel"]').count())) continue;
    const name = await nameOf(control);
    const id = await control.getAttribute('data-testid');
    if (id?.startsWith('editorial-') && (await page.getByTestId(`${id}-reason`).isVisible())) continue;
    if (!allowedName(name)) out.push(name || (id ?? '?'));
  }
  await eachMenu(page, async (trigger, menu) => {
    const disabled = menu.locator('[role="menuitem"][aria-disabled="true"], [role="menuitem"][data-disabled]');
    for (const item of await disabled.all()) {
      const name = await nameOf(item);
      if (!allowedName(name)) out.push(`${trigger} → ${name}`);
    }
  });
  await eachSelect(page, async (trigger, listbox) => {
    const disabled = listbox.locator('[role="option"][aria-disabled="true"], [role="option"][data-disabled]');
    for (const option of await disabled.all()) {
      // A required enumeration's "Choose here" placeholder: disabled and hidden (src/admin/layout-fixes.ts).
      if (!(await option.isVisible())) continue;
      if (await option.getByTestId('editorial-option-reason').isVisible()) continue;
      const name = await nameOf(option);
      if (!allowedName(name)) out.push(`${trigger} → ${name}`);
    }
  });
  return out;
};

/** The items of the menus the page's main area offers, by their names. */
export const menuItems = async (page: Page): Promise<string[]> => {
  const out: string[] = [];
  await eachMenu(page, async (_trigger, menu) => {
    for (const item of await menu.getByRole('menuitem').all()) out.push(await nameOf(item));
  });
  return out;
};

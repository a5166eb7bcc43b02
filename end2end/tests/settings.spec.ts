import { test, expect } from './fixtures';
import { assay } from './env';
import { signIn } from './session';

const password = 'e2e settings passphrase 42';
const suffix = Date.now().toString(36);
const org = `E2E Settings ${suffix}`;
const adminEmail = `admin-settings-${suffix}@e2e.test`;

test.beforeAll(() => {
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Sasha Admin'], password + '\n');
});

test('an admin keeps dated exchange rates and picks the time zone times are shown in', async ({ page }) => {
  await signIn(page, adminEmail, password);
  await page.getByRole('link', { name: 'Scoring models' }).click();
  const rates = page.getByTestId('exchange-rates');
  await expect(rates.getByTestId('no-rates')).toContainText('No exchange rates yet');
  // The form is downloaded when asked for; keyboard focus goes to its first field.
  await rates.getByRole('button', { name: 'Enter new rates' }).click();
  await expect(rates.getByLabel('Base currency')).toBeFocused();

  await rates.getByLabel('Base currency').fill('EUR');
  await rates.getByLabel('Rates of').fill('2026-12-01');
  const row = rates.getByTestId('rate-row').first();
  await row.getByLabel('Currency').fill('XYZ');
  await row.getByLabel('Rate').fill('0,92');
  await rates.getByRole('button', { name: 'Save exchange rates' }).click();
  // The server's message sits beside the row it is about, and nothing is kept.
  await expect(row.getByTestId('field-error')).toContainText('ISO 4217 currency code');
  await expect(rates.getByTestId('no-rates')).toBeVisible();

  await row.getByLabel('Currency').fill('USD');
  await rates.getByRole('button', { name: 'Save exchange rates' }).click();
  await expect(rates.getByRole('table').first()).toContainText('Rates of 1 Dec 2026 in EUR · saved by Sasha Admin');
  await expect(rates.getByRole('table').first()).toContainText('0.92');

  // The organisation reads times in Berlin from now on, on every page.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await page.getByRole('link', { name: 'Scoring models' }).click();
  await expect(page.getByTestId('exchange-rates').getByRole('table').first()).toContainText(/\d{1,2} \w{3,4} \d{4}, \d\d:\d\d (CET|CEST|GMT\+1|GMT\+2)/);
});

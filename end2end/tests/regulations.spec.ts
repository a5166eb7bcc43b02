// The Admin's regulatory settings in the browser: a regime's clock changed to the
// organisation's reading and back to the preset; a country added to an adequacy list and
// taken off again, each save saying what changed. A risk manager reads the same page
// without the controls.
import { test, expect } from './fixtures';
import { assay } from './env';
import { signIn } from './session';

const password = 'e2e regulations passphrase 42';
const suffix = Date.now().toString(36);
const adminEmail = `ada-${suffix}@e2e.test`;
const riskEmail = `rita-${suffix}@e2e.test`;

test.beforeAll(async () => {
  const org = JSON.parse(assay(['org', 'create', '--name', `Regulations Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Ada Admin'], password + '\n');
  assay(['user', 'create', '--org', org.slug, '--email', riskEmail, '--role', 'risk_manager', '--name', 'Rita Risk'], password + '\n');
});

test('an Admin changes a clock and an adequacy list, and can take both back', async ({ page }) => {
  await signIn(page, adminEmail, password);
  await page.goto('/regulations');
  const gdpr = page.getByTestId('regime').filter({ has: page.getByRole('heading', { name: 'GDPR', exact: true }) });
  const clock = gdpr.getByTestId('clock').filter({ hasText: 'Art. 33(1)' });
  await expect(clock).toContainText('72 hours');

  // The clock: a refused number is explained beside the box; a good one is saved.
  await gdpr.getByRole('button', { name: 'Change GDPR Art. 33(1)', exact: true }).click();
  const form = gdpr.getByTestId('clock-form');
  await form.getByLabel('Within').fill('0');
  await form.getByRole('button', { name: 'Save limit' }).click();
  await expect(form.getByRole('alert')).toHaveText('A clock runs for more than 0 hours and at most a year.');
  await form.getByLabel('Within').fill('48');
  await form.getByRole('button', { name: 'Save limit' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Saved.');
  await expect(clock).toContainText('48 hours');
  await expect(clock).toContainText("Your organisation's reading");

  // Back to the preset.
  await gdpr.getByRole('button', { name: 'Change GDPR Art. 33(1)', exact: true }).click();
  await gdpr.getByTestId('clock-form').getByRole('button', { name: 'Use the preset' }).click();
  await expect(clock).toContainText('72 hours');
  await expect(clock).not.toContainText("Your organisation's reading");

  // The adequacy list: India added for transfers out of the EEA, then taken off.
  const adequacy = page.getByTestId('adequacy-form');
  await adequacy.getByRole('button', { name: 'Save to the list' }).click();
  await expect(adequacy.getByTestId('field-error').first()).toContainText('Choose the country');
  await adequacy.getByLabel('Transfers out of').selectOption('eea');
  await adequacy.getByLabel('Country').selectOption('IN');
  await adequacy.getByLabel('Decision').fill('Test decision 2027/1');
  await adequacy.getByLabel('Address of its text (https://…)').fill('https://eur-lex.europa.eu/test');
  await adequacy.getByLabel('Adopted on').fill('2026-11-30');
  await adequacy.getByRole('button', { name: 'Save to the list' }).click();
  const saved = page.getByRole('region', { name: 'Adequacy decisions' }).getByTestId('outcome');
  await expect(saved).toContainText('India (transfers out of the European Economic Area): Not adequate before, adequate now');
  await expect(page.getByTestId('adequacy-source')).toContainText("Your organisation's own lists");
  const eea = page.getByTestId('adequacy-eea');
  await eea.locator('summary').click();
  await expect(eea.getByTestId('adequacy-entry').filter({ hasText: 'India' })).toContainText('Test decision 2027/1');
  await eea.getByRole('button', { name: 'Remove India from the European Economic Area list' }).click();
  await expect(saved).toContainText('India (transfers out of the European Economic Area): Adequate before, not adequate now');
  await expect(eea.getByTestId('adequacy-entry').filter({ hasText: 'India' })).toHaveCount(0);
});

test('a risk manager reads the regulations without the controls', async ({ page }) => {
  await signIn(page, riskEmail, password);
  await page.goto('/regulations');
  await expect(page.getByTestId('regime').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Change / })).toHaveCount(0);
  await expect(page.getByTestId('adequacy-form')).toHaveCount(0);
});

// Sending one questionnaire to many vendors from the vendor list: the vendors the list's
// search matches, a questionnaire, a due date and the main contact of each; confirmed,
// then followed on the send's page until every vendor has its result. And one action on
// many assessments of the assessments list. Vendors, the template and the assessments for
// the list are seeded through the API; everything checked happens in the UI, at phone
// width too.
import { test, expect } from './fixtures';
import { assay } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e bulk passphrase 42';
const suffix = Date.now().toString(36);
const proEmail = `bea-${suffix}@e2e.test`;
const tag = `Bulk ${suffix}`;
const names = [`${tag} Alpha Ltd`, `${tag} Beta GmbH`, `${tag} Gamma SA`];
const later = `Later ${suffix}`;
const laterNames = [`${later} Delta Ltd`, `${later} Epsilon AG`];

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Bulk Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Bea Bulk'], password + '\n');
  const api = await apiSession(baseURL, proEmail, password);
  const template = JSON.stringify({
    title: `Bulk review ${suffix}`,
    items: [{ type: 'section', id: 's', title: 'Controls', items: [
      { type: 'question', id: 'enc', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    ] }],
  });
  const imported = await api.post('/api/templates', { data: { content: template, format: 'json' } });
  expect(imported.status(), 'the template is imported').toBe(201);
  const templateId = (await imported.json()).id as string;
  expect((await api.post(`/api/templates/${templateId}/publish`, { data: {} })).ok()).toBeTruthy();
  // Alpha and Beta have a contact; Gamma has none, so it is skipped.
  for (const [i, name] of names.entries()) {
    const contacts = i < 2 ? [{ name: `Contact ${i}`, email: `c${i}-${suffix}@vendor.test` }] : [];
    const created = await api.post('/api/vendors', { data: {
      legal_name: name, system_access: 'none', criticality: 'low', contacts,
    } });
    expect(created.status(), `${name} is registered`).toBe(201);
  }
  // Two assessments already sent, for the assessments list.
  for (const [i, name] of laterNames.entries()) {
    const created = await api.post('/api/vendors', { data: { legal_name: name, system_access: 'none', criticality: 'low' } });
    expect(created.status(), `${name} is registered`).toBe(201);
    const sent = await api.post('/api/assessments', { data: {
      vendor_id: (await created.json()).id, template_id: templateId, due_date: '2099-05-31',
      recipients: [{ name: `Later ${i}`, email: `l${i}-${suffix}@vendor.test` }],
    } });
    expect(sent.status(), `${name} is sent a questionnaire`).toBe(201);
  }
  await api.dispose();
});

/** The page is no wider than the window: nothing to scroll sideways. */
async function fitsTheWidth(page: import('@playwright/test').Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scroll').toBeLessThanOrEqual(0);
}

test('procurement sends a questionnaire to the vendors a search matches and follows it to the end', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, proEmail, password);
  await page.goto('/vendors');
  await page.getByLabel('Search name or service').fill(tag);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('vendor-count')).toHaveText('3 vendor(s)');

  const form = page.getByTestId('bulk-send');
  await expect(form.getByLabel('The 3 vendor(s) matching the list\'s filters')).toBeChecked();
  await expect(form.getByLabel('Questionnaire')).toContainText(`Bulk review ${suffix}`);
  await form.getByLabel('Questionnaire').selectOption({ label: `Bulk review ${suffix} (version 1)` });
  // Reviewing without a due date says so beside the field.
  await form.getByRole('button', { name: 'Review the send' }).click();
  await expect(form.getByTestId('field-error')).toHaveText('Choose a due date.');
  await form.getByLabel('Due date').fill('2099-06-30');
  await expect(form.getByLabel('The main contact (the first one registered)')).toBeChecked();
  await fitsTheWidth(page);

  // Ticking a row offers the ticked vendors instead; unticking goes back to the search.
  await page.getByRole('checkbox', { name: `Choose ${names[0]}` }).check();
  await expect(form.getByLabel('The 1 vendor(s) ticked in the list')).toBeChecked();
  await page.getByRole('checkbox', { name: `Choose ${names[0]}` }).uncheck();
  await expect(form.getByLabel('The 3 vendor(s) matching the list\'s filters')).toBeChecked();

  await form.getByRole('button', { name: 'Review the send' }).press('Enter');
  const confirm = page.getByTestId('bulk-confirm');
  await expect(confirm).toContainText(`Send “Bulk review ${suffix}” to 3 vendor(s), due 2099-06-30?`);
  // The keyboard confirms it.
  await confirm.getByRole('button', { name: 'Send to 3 vendor(s)' }).focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/bulk-sends\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`“Bulk review ${suffix}” to 3 vendors`);
  await expect(page.getByTestId('bulk-status')).toHaveText('Done');
  await expect(page.getByTestId('bulk-progress-text')).toHaveText('3 of 3 vendors done: 2 sent, 1 skipped, 0 failed');
  const bar = page.getByTestId('bulk-progress').locator('progress');
  await expect(bar).toHaveAttribute('value', '3');
  await expect(bar).toHaveAttribute('max', '3');

  const rows = page.getByTestId('bulk-item');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText(names[0]);
  await expect(rows.nth(0)).toContainText('Sent');
  await expect(rows.nth(1)).toContainText('Sent');
  await expect(rows.nth(2)).toContainText(names[2]);
  await expect(rows.nth(2)).toContainText('Skipped');
  await expect(rows.nth(2)).toContainText('The vendor has no contact.');
  await fitsTheWidth(page);

  // The result links the assessment sent.
  await rows.nth(0).getByRole('link', { name: 'Open assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Bulk review ${suffix}`);

  // The vendor list lists the send among the recent ones, linking back to its page.
  await page.goto('/vendors');
  const recent = page.getByTestId('recent-bulk-sends');
  await expect(recent).toContainText(`“Bulk review ${suffix}” to 3 vendors · Done: 2 sent, 1 skipped, 0 failed`);
  await recent.getByRole('link', { name: `“Bulk review ${suffix}” to 3 vendors` }).click();
  await expect(page.getByTestId('bulk-items').getByTestId('bulk-item')).toHaveCount(3);
});

test('procurement moves the due date of the assessments it ticks in the list, then cancels one', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, proEmail, password);
  await page.goto('/assessments');
  await page.getByLabel('Search vendor or questionnaire').fill(later);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('assessment-count')).toHaveText('2 assessment(s)');

  const panel = page.getByTestId('bulk-actions');
  await expect(panel.getByRole('button', { name: 'Review' })).toBeDisabled();
  // None of them is overdue: ticking the overdue ones ticks nothing.
  await panel.getByRole('button', { name: 'Tick the overdue ones on this page' }).click();
  await expect(panel.getByTestId('ticked-count')).toHaveText('0 ticked');
  for (const tick of await page.getByTestId('assessment-tick').all()) {
    await tick.check();
  }
  await expect(panel.getByTestId('ticked-count')).toHaveText('2 ticked');
  await panel.getByLabel('Action').selectOption({ label: 'Move the due date' });
  // Without a date, the field says so.
  await panel.getByRole('button', { name: 'Review' }).click();
  await expect(panel.getByTestId('field-error')).toHaveText('Choose the new due date.');
  await panel.getByLabel('New due date').fill('2099-07-31');
  await panel.getByRole('button', { name: 'Review' }).click();
  await expect(panel.getByTestId('bulk-actions-confirm')).toContainText('Move the due date for 2 assessment(s)?');
  await panel.getByRole('button', { name: 'Move the due date (2)' }).click();
  await expect(panel.getByTestId('bulk-actions-outcome')).toHaveText('2 changed, 0 left as they were.');
  await expect(page.getByTestId('assessment-row').filter({ hasText: '2099-07-31' })).toHaveCount(2);
  await fitsTheWidth(page);

  // Cancel one: the other stays as it was.
  await page.getByRole('checkbox', { name: new RegExp(laterNames[0]) }).check();
  await panel.getByLabel('Action').selectOption({ label: 'Cancel' });
  await panel.getByRole('button', { name: 'Review' }).click();
  await panel.getByRole('button', { name: 'Cancel (1)' }).click();
  await expect(panel.getByTestId('bulk-actions-outcome')).toHaveText('1 changed, 0 left as they were.');
  await expect(page.getByTestId('assessment-row').filter({ hasText: laterNames[0] }).getByTestId('status')).toHaveText('Cancelled');
  await expect(page.getByTestId('assessment-row').filter({ hasText: laterNames[1] }).getByTestId('status')).toHaveText('Sent');
});

// A vendor answering the same questionnaire again is offered last time's answers, one at
// a time or a section at once, and nothing is applied unasked. The first round (answered,
// submitted and decided) is set up through the API.
import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession } from './session';

const password = 'e2e previous answers passphrase 42';
const suffix = Date.now().toString(36);
const proEmail = `pia-${suffix}@e2e.test`;
const riskEmail = `rio-${suffix}@e2e.test`;
const firstContact = `val-${suffix}@vendor.test`;
const secondContact = `vic-${suffix}@vendor.test`;

const template = JSON.stringify({
  title: `Yearly check ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    { type: 'question', id: 'how', text: 'How are the keys managed?', kind: { kind: 'short_text' }, required: false, na_allowed: false },
    { type: 'question', id: 'hours', text: 'Within how many hours do you notify a breach?', kind: { kind: 'duration_hours' }, required: false, na_allowed: false },
  ] }],
});

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Previous Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Pia Procurement'], password + '\n');
  assay(['user', 'create', '--org', org.slug, '--email', riskEmail, '--role', 'risk_manager', '--name', 'Rio Risk'], password + '\n');
  const pro = await apiSession(baseURL, proEmail, password);
  const vendor = await (await pro.post('/api/vendors', { data: {
    legal_name: `Returning Vendor ${suffix}`, system_access: 'read_only', criticality: 'medium',
  } })).json();
  const imported = await (await pro.post('/api/templates', { data: { content: template, format: 'json' } })).json();
  expect((await pro.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok(), 'the template publishes').toBeTruthy();
  const send = async (email: string) => {
    const sent = await pro.post('/api/assessments', { data: {
      vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30', recipients: [{ name: 'Val Vendor', email }],
    } });
    expect(sent.status(), 'the questionnaire is sent').toBe(201);
    return (await sent.json()).id as string;
  };
  const firstId = await send(firstContact);
  const vendorApi = await apiSession(baseURL);
  const token = portalFragment(firstContact).slice('#token='.length);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  for (const [q, value] of [['enc', 'yes'], ['how', 'Cloud KMS'], ['hours', '48']]) {
    expect((await vendorApi.put(`/api/portal/answers/${q}`, { data: { value, version: 0 } })).ok(), `answer ${q}`).toBeTruthy();
  }
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok(), 'the vendor submits').toBeTruthy();
  const risk = await apiSession(baseURL, riskEmail, password);
  const decided = await risk.post(`/api/assessments/${firstId}/decision`, { data: { outcome: 'approved', rationale: 'Fine for a year.' } });
  expect(decided.ok(), `the first round is decided: ${await decided.text()}`).toBeTruthy();
  await send(secondContact);
  await Promise.all([pro.dispose(), vendorApi.dispose(), risk.dispose()]);
});

test('last time\'s answers are offered one by one or a section at once, never applied unasked', async ({ page }) => {
  await page.goto(`/portal${portalFragment(secondContact)}`);
  await expect(page.getByTestId('previous-offer')).toBeVisible();
  const enc = page.getByTestId('previous-enc');
  await expect(enc).toContainText('Last time: Yes');
  await expect(page.getByTestId('question-enc').getByLabel('Yes')).not.toBeChecked();
  await expect(page.getByTestId('progress')).toContainText('0 of');

  await enc.getByRole('button', { name: 'Use this answer' }).click();
  await expect(page.getByTestId('question-enc').getByLabel('Yes')).toBeChecked();
  await expect(page.getByTestId('save-enc')).toContainText('Saved');
  await expect(enc).toBeHidden();

  await expect(page.getByTestId('previous-hours')).toContainText('Last time: 48 h');
  // The rest of the section at once.
  await page.getByRole('button', { name: 'Use all previous answers in this section' }).click();
  await expect(page.getByTestId('question-how').getByRole('textbox')).toHaveValue('Cloud KMS');
  await expect(page.getByTestId('question-hours').getByRole('textbox')).toHaveValue('48');
  await expect(page.getByTestId('save-hours')).toContainText('Saved');
  await expect(page.getByRole('button', { name: 'Use all previous answers in this section' })).toBeHidden();

  await page.reload();
  await expect(page.getByTestId('question-how').getByRole('textbox')).toHaveValue('Cloud KMS');
});

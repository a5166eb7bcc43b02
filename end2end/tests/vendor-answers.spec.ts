// A vendor who answered in Excel: from the portal to the spreadsheet page, the workbook
// downloaded, filled in (one answer the questionnaire cannot take), uploaded; the rows are
// shown with what will happen to each, nothing is stored until confirmed, and the stored
// answers are in the portal afterwards. At phone width, by keyboard where it matters.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e sheet passphrase 42';
const suffix = Date.now().toString(36);
const proEmail = `sheila-${suffix}@e2e.test`;
const contactEmail = `xena-${suffix}@vendor.test`;
const mailedEmail = `yann-${suffix}@vendor.test`;
let mailedAssessment = '';

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Sheet Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Sheila Sender'], password + '\n');
  const pro = await apiSession(baseURL, proEmail, password);
  const vendor = await (await pro.post('/api/vendors', { data: {
    legal_name: `Excel Answers Ltd ${suffix}`, system_access: 'read_only', criticality: 'medium',
  } })).json();
  const template = JSON.stringify({ title: `Sheet check ${suffix}`, items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    { type: 'question', id: 'hours', text: 'Within how many hours do you notify a breach?', kind: { kind: 'duration_hours' }, required: true, na_allowed: false },
  ] }] });
  const imported = await (await pro.post('/api/templates', { data: { content: template, format: 'json' } })).json();
  expect((await pro.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok()).toBeTruthy();
  const sent = await pro.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30',
    recipients: [{ name: 'Xena Vendor', email: contactEmail }],
  } });
  expect(sent.status(), 'the questionnaire is sent').toBe(201);
  // A second vendor who answers by email: procurement enters the workbook they sent back.
  const mailer = await (await pro.post('/api/vendors', { data: {
    legal_name: `Mailed Answers Ltd ${suffix}`, system_access: 'read_only', criticality: 'medium',
  } })).json();
  const mailed = await pro.post('/api/assessments', { data: {
    vendor_id: mailer.id, template_id: imported.id, due_date: '2099-06-30',
    recipients: [{ name: 'Yann Vendor', email: mailedEmail }],
  } });
  expect(mailed.status(), 'the second questionnaire is sent').toBe(201);
  mailedAssessment = (await mailed.json()).id;
  await pro.dispose();
});

test('a vendor answers from a spreadsheet: preview by row, then stored on confirmation', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/portal${portalFragment(contactEmail)}`);
  await page.getByRole('link', { name: 'Answer in a spreadsheet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Answer in a spreadsheet' })).toBeVisible();

  // The workbook the portal offers, filled in as a vendor would in Excel.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('answers-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^answers-sheet-check-.*\.xlsx$/);
  // Filled in as in Excel (tools/fill_answers.py writes the answer cells of rows 2 and 3).
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'answers-')), 'filled.xlsx');
  const ids = execFileSync('python3', [
    path.join(__dirname, 'tools', 'fill_answers.py'), await download.path(), out,
    JSON.stringify({ 2: 'Yes', 3: 'about a week' }),
  ]).toString().trim().split('\n');
  expect(ids, 'a row per question under the header').toEqual(['id', 'enc', 'hours']);
  const filled = fs.readFileSync(out);

  await page.getByLabel('Filled-in workbook (.xlsx)').setInputFiles({
    name: 'answers.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled,
  });
  await expect(page.getByTestId('answers-summary')).toHaveText('1 answer to store, 1 refused.');
  const refused = page.getByTestId('answers-row').filter({ hasText: 'about a week' });
  await expect(refused).toContainText('Refused');
  await expect(refused).toContainText('Enter a number');

  // Nothing stored yet; then confirmed by keyboard.
  await page.getByTestId('answers-apply').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('answers-summary')).toHaveText('1 answer stored, 1 refused.');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scroll at 390 px').toBeLessThanOrEqual(0);

  // Back in the portal, the answer is there as if typed.
  await page.getByRole('link', { name: 'Back to the questionnaire' }).first().click();
  await expect(page.getByRole('radio', { name: 'Yes' }).first()).toBeChecked();
});

test('procurement enters answers a vendor sent back by email, watching the upload', async ({ page }) => {
  await signIn(page, proEmail, password);
  await page.goto(`/assessments/${mailedAssessment}`);
  await page.getByRole('link', { name: 'Enter answers from a workbook' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Answers from a workbook' })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('answers-download').click(),
  ]);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'answers-')), 'mailed.xlsx');
  execFileSync('python3', [
    path.join(__dirname, 'tools', 'fill_answers.py'), await download.path(), out,
    JSON.stringify({ 2: 'No', 3: '48' }),
  ]);
  const filled = fs.readFileSync(out);

  // A slow line (about 2 KB/s up): the upload shows how far it has gone.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 2048,
  });
  await page.getByLabel('Filled-in workbook (.xlsx)').setInputFiles({
    name: 'mailed.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled,
  });
  await expect(page.getByTestId('upload-progress'), 'the upload shows its progress').toContainText(/Uploading mailed\.xlsx: .+ of .+ \(\d+ %\)|mailed\.xlsx: sent/);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
  await expect(page.getByTestId('answers-summary')).toHaveText('2 answers to store.');
  await page.getByTestId('answers-apply').click();
  await expect(page.getByTestId('answers-summary')).toHaveText('2 answers stored.');

  await page.getByTestId('answers-back').click();
  await expect(page.getByTestId('assessment-progress'), 'the assessment counts the entered answers').toHaveText('2 of 2 questions');
});

// An auditor without an account checks an evidence pack on the verifier page: the pack is
// read and verified in the browser (nothing of it is sent to the server), first with the
// key the pack carries, then with the organisation's published key; a pack changed after
// signing, and a file that is no pack at all, are refused in words. At phone width.
import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession } from './session';

const password = 'e2e pack passphrase 42';
const suffix = Date.now().toString(36);
const riskEmail = `rita-${suffix}@e2e.test`;
const contactEmail = `vera-${suffix}@vendor.test`;
const evidenceText = `SOC 2 Type II report ${suffix}, period ending 2026-06-30`;
let orgSlug = '';
let pack: Buffer;

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Pack Org ${suffix}`]));
  orgSlug = org.slug;
  assay(['user', 'create', '--org', org.slug, '--email', riskEmail, '--role', 'admin', '--name', 'Rita Reviewer'], password + '\n');
  const admin = await apiSession(baseURL, riskEmail, password);
  const vendor = await (await admin.post('/api/vendors', { data: {
    legal_name: `Packed Vendor ${suffix}`, system_access: 'read_only', criticality: 'medium',
  } })).json();
  const template = JSON.stringify({ title: `Pack check ${suffix}`, items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
  ] }] });
  const imported = await (await admin.post('/api/templates', { data: { content: template, format: 'json' } })).json();
  expect((await admin.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok(), 'the template publishes').toBeTruthy();
  const sent = await admin.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30',
    recipients: [{ name: 'Vera Vendor', email: contactEmail }],
  } });
  expect(sent.status(), 'the questionnaire is sent').toBe(201);
  const assessmentId = (await sent.json()).id;

  const vendorApi = await apiSession(baseURL);
  const token = portalFragment(contactEmail).slice('#token='.length);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  const upload = await vendorApi.post('/api/portal/evidence', { multipart: {
    file: { name: 'soc2.txt', mimeType: 'text/plain', buffer: Buffer.from(evidenceText) },
    kind: 'soc2_type2', expires_on: '2099-06-30',
  } });
  expect(upload.status(), `the evidence uploads: ${await upload.text()}`).toBe(201);
  expect((await vendorApi.put('/api/portal/answers/enc', { data: { value: 'yes', version: 0 } })).ok()).toBeTruthy();
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok(), 'the vendor submits').toBeTruthy();

  const decided = await admin.post(`/api/assessments/${assessmentId}/decision`, { data: {
    outcome: 'approved', rationale: 'Encrypted at rest, SOC 2 in date.',
  } });
  expect(decided.ok(), `decided: ${await decided.text()}`).toBeTruthy();
  const download = await admin.get(`/api/assessments/${assessmentId}/pack`);
  expect(download.status(), 'the pack downloads').toBe(200);
  pack = Buffer.from(await download.body());
  await Promise.all([admin.dispose(), vendorApi.dispose()]);
});

test('an auditor verifies a pack in the browser, with the published key, and a changed pack is refused', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing but reads: the pack never leaves the browser.
  const sent: string[] = [];
  page.on('request', (r) => { if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`); });

  await page.goto('/verify-pack');
  await expect(page.getByRole('heading', { level: 1, name: 'Verify an evidence pack' })).toBeVisible();
  await page.getByLabel('Evidence pack (.zip)').setInputFiles({ name: 'evidence-pack.zip', mimeType: 'application/zip', buffer: pack });

  const verdict = page.getByTestId('pack-verdict');
  await expect(verdict, 'valid with the key inside the pack, and said to be unchecked').toContainText('Valid as far as the pack itself goes');
  await expect(page.getByTestId('pack-signer')).toContainText(`Organisation “${orgSlug}”`);
  await expect(page.getByTestId('pack-file-row').filter({ hasText: 'evidence/soc2.txt' })).toContainText('Matches');

  // The published key, fetched from this server by keyboard.
  await page.getByTestId('fetch-key').focus();
  await page.keyboard.press('Enter');
  await expect(verdict).toContainText('Valid: the signature verifies with the key you gave');
  await expect(page.getByTestId('pack-key')).toHaveValue(/^[0-9a-f]{64}$/);

  // A key that is no key is said next to the field.
  await page.getByTestId('pack-key').fill('not a key');
  await page.getByRole('button', { name: 'Check again with this key' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '64 hex digits' })).toBeVisible();

  // The evidence file changed after signing (stored as is, so its bytes are in the archive).
  const at = pack.indexOf(Buffer.from(evidenceText));
  expect(at, 'the evidence is stored uncompressed in the pack').toBeGreaterThan(0);
  const changed = Buffer.from(pack);
  changed.write('X', at + 4);
  await page.getByTestId('pack-key').fill('');
  await page.getByLabel('Evidence pack (.zip)').setInputFiles({ name: 'changed.zip', mimeType: 'application/zip', buffer: changed });
  await expect(verdict).toContainText('Not valid');
  await expect(page.getByTestId('pack-file-row').filter({ hasText: 'evidence/soc2.txt' })).not.toContainText('Matches');
  await expect(page.getByTestId('pack-problems')).toContainText('evidence/soc2.txt');

  // Not a pack at all.
  await page.getByLabel('Evidence pack (.zip)').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 not a pack') });
  await expect(verdict).toContainText('report.pdf cannot be checked: it is not a ZIP archive');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scroll at 390 px').toBeLessThanOrEqual(0);
  expect(sent, 'nothing was sent to the server').toEqual([]);
});

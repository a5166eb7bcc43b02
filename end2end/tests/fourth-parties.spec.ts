// Fourth parties in the browser: the Admin sets where the organisation is established on
// the Regulations page; the vendor lists two subprocessors from the portal (one in India
// with no transfer mechanism); the risk manager sees the transfer finding on the scorecard,
// the register on the vendor page, and the concentration page. The organisation, vendor
// and submitted questionnaire are set up through the API.
import { execFileSync } from 'node:child_process';
import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e fourth parties passphrase 42';
const suffix = Date.now().toString(36);
const adminEmail = `fay-${suffix}@e2e.test`;
const riskEmail = `rex-${suffix}@e2e.test`;
const contactEmail = `vic-${suffix}@vendor.test`;
const vendorName = `Payroll Partners ${suffix}`;

const template = JSON.stringify({
  title: `Fourth parties questionnaire ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc_rest', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
  ] }],
  scoring: {
    questions: { enc_rest: { category: 'encryption', weight: 1, rule: { rule: 'yes_no', yes: 1.0, no: 0.0 } } },
    knock_outs: [],
  },
});

let vendorId = '';
let assessmentId = '';

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Fourth Parties Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Fay Admin'], password + '\n');
  assay(['user', 'create', '--org', org.slug, '--email', riskEmail, '--role', 'risk_manager', '--name', 'Rex Risk'], password + '\n');
  const admin = await apiSession(baseURL, adminEmail, password);
  const vendor = await (await admin.post('/api/vendors', { data: {
    legal_name: vendorName, system_access: 'read_only', criticality: 'medium', data_types: ['personal'],
    contacts: [{ name: 'Vic Vendor', email: contactEmail }],
  } })).json();
  vendorId = vendor.id;
  const imported = await admin.post('/api/templates', { data: { content: template, format: 'json' } });
  expect(imported.status()).toBe(201);
  const templateId = (await imported.json()).id;
  expect((await admin.post(`/api/templates/${templateId}/publish`, { data: {} })).ok()).toBeTruthy();
  const sent = await admin.post('/api/assessments', { data: {
    vendor_id: vendorId, template_id: templateId, due_date: '2099-06-30',
    recipients: [{ name: 'Vic Vendor', email: contactEmail }],
  } });
  expect(sent.status()).toBe(201);
  assessmentId = (await sent.json()).id;
  const vendorApi = await apiSession(baseURL);
  const token = portalFragment(contactEmail).slice('#token='.length);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  expect((await vendorApi.put('/api/portal/answers/enc_rest', { data: { value: 'yes', version: 0 } })).ok()).toBeTruthy();
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok()).toBeTruthy();
  await Promise.all([admin.dispose(), vendorApi.dispose()]);
});

test('a subprocessor in a country without adequacy is caught, shown and counted', async ({ browser, page: adminPage }) => {
  let page = adminPage;
  // The Admin says where the organisation is established.
  await signIn(page, adminEmail, password);
  await page.goto('/regulations');
  const profile = page.getByTestId('client-profile');
  await profile.getByLabel('Established in').selectOption('DE');
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Saved');
  await expect(page.getByTestId('regime').filter({ hasText: 'GDPR' }).first()).toContainText('Art. 33(1)');

  // The vendor lists two subprocessors from the portal, in a browser of their own.
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendor.goto(`/portal${portalFragment(contactEmail)}`);
  await vendor.getByRole('button', { name: 'Report or follow an incident' }).click();
  await vendor.getByRole('link', { name: 'Show or update your subprocessors' }).click();
  await expect(vendor.getByRole('heading', { name: 'Your subprocessors' })).toBeVisible();
  const form = vendor.getByTestId('subprocessor-form');
  // Refused in the browser, next to the field, before anything is sent.
  await form.getByRole('button', { name: 'Add and tell the client' }).click();
  await expect(form.getByTestId('field-error')).toHaveText("Give the subprocessor's name.");
  const add = async (name: string, country: string) => {
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Service it provides').fill('Payroll support desk');
    await form.getByLabel('Personal data').check();
    await form.getByLabel('Processes the data in').selectOption(country);
    await form.getByRole('button', { name: 'Add and tell the client' }).click();
    await expect(vendor.getByTestId('register-saved')).toHaveText(`${name} added; the client has been told today.`);
  };
  await add('Cloud Hosting GmbH', 'DE');
  await add('Offshore Support Pvt Ltd', 'IN');
  await expect(vendor.getByTestId('register-row')).toHaveCount(2);
  await expect(vendor.getByTestId('register')).toContainText('India');
  await vendorContext.close();

  // The risk manager, in a browser of their own, sees the transfer finding on the
  // scorecard, naming what is missing.
  const riskContext = await browser.newContext();
  page = await riskContext.newPage();
  await signIn(page, riskEmail, password);
  await page.goto(`/assessments/${assessmentId}`);
  const finding = page.getByTestId('finding').filter({ hasText: 'Offshore Support Pvt Ltd' });
  await expect(finding).toContainText('India');
  await expect(finding).toContainText('no transfer mechanism');

  // The register on the vendor page, with the finding under its row.
  await page.goto(`/vendors/${vendorId}`);
  const offshore = page.getByTestId('register-row').filter({ hasText: 'Offshore Support Pvt Ltd' });
  await expect(offshore).toContainText('None recorded');
  await expect(offshore).toContainText('India');

  // The concentration page lists both subprocessors and India among the countries.
  await page.getByRole('link', { name: 'Fourth parties', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Fourth parties', level: 1 })).toBeVisible();
  await expect(page.getByTestId('fp-subprocessors')).toContainText('Offshore Support Pvt Ltd');
  const india = page.getByTestId('fp-countries').getByRole('row').filter({ hasText: 'India' });
  await expect(india).toContainText(vendorName);
  const csv = await page.request.get('/api/fourth-parties/export.csv');
  expect(csv.ok()).toBeTruthy();
  expect(await csv.text()).toContain('Country,India,1');
  await riskContext.close();
});

test('the concentration page shows fifty subprocessors, then the rest on "Show more"', async ({ page }, info) => {
  const baseURL = info.project.use.baseURL as string;
  const admin = await apiSession(baseURL, adminEmail, password);
  const platform = await (await admin.post('/api/vendors', { data: {
    legal_name: `Platform With Many Providers ${suffix}`, system_access: 'read_only', criticality: 'low', data_types: ['personal'],
  } })).json();
  const rows = Array.from({ length: 55 }, (_, i) => ({
    name: `Provider ${String(i).padStart(2, '0')} ${suffix}`, service: 'Hosting', data_types: ['personal'],
    processing_countries: ['IE'], storage_countries: [], mechanism: { kind: 'adequacy' }, added_on: '2025-01-15',
  }));
  const saved = await admin.put(`/api/vendors/${platform.id}/subprocessors`, { data: rows });
  expect(saved.status(), 'the register of 55 is saved').toBe(200);
  await admin.dispose();

  await signIn(page, adminEmail, password);
  await page.goto('/fourth-parties');
  const table = page.getByTestId('fp-subprocessors').locator('tbody tr');
  await expect(table).toHaveCount(50);
  const shown = page.getByTestId('fp-shown');
  await expect(shown).toContainText('Showing 50 of');
  const total = Number((await shown.innerText()).match(/of (\d+)/)?.[1]);
  expect(total, 'the total counts every subprocessor').toBeGreaterThanOrEqual(55);

  await page.getByRole('button', { name: 'Show more subprocessors' }).click();
  await expect(table).toHaveCount(total);
  await expect(shown).toContainText(`Showing ${total} of ${total}`);
  await expect(page.getByRole('button', { name: 'Show more subprocessors' }), 'nothing more to show').toHaveCount(0);
  await expect(page.getByTestId('fp-subprocessors')).toContainText(`Provider 54 ${suffix}`);
  await expect(page.getByTestId('fp-subprocessors').getByRole('link', { name: `Platform With Many Providers ${suffix}` }).last()).toBeVisible();
});

// The register as a questionnaire table: the vendor lists its subprocessors in the portal
// (countries chosen from the ISO list), submits, and the rows become the register the
// risk manager reads, with the transfer finding on the scorecard and in the PDF.
const registerTemplate = JSON.stringify({
  title: `Register questionnaire ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Subprocessors', items: [
    { type: 'question', id: 'subs', text: 'List your subprocessors', required: true, na_allowed: false,
      kind: { kind: 'table', register: true, max_rows: 10, columns: [
        { id: 'name', label: 'Name', kind: { kind: 'short_text' }, required: true },
        { id: 'service', label: 'Service it provides', kind: { kind: 'short_text' }, required: true },
        { id: 'data_types', label: 'Data it handles', multiple: true, kind: { kind: 'single_choice', choices: [
          { id: 'personal', label: 'Personal data' }, { id: 'payment', label: 'Payment data' }] } },
        { id: 'processing_countries', label: 'Processes the data in', kind: { kind: 'country' }, required: true, multiple: true },
        { id: 'mechanism', label: 'Transfer mechanism', kind: { kind: 'single_choice', choices: [
          { id: 'none', label: 'None recorded' }, { id: 'scc2', label: 'Standard Contractual Clauses, module 2' }] } },
      ] } },
  ] }],
  scoring: { questions: {}, knock_outs: [] },
});

test('subprocessors listed in the questionnaire become the register, caught on the scorecard and in the PDF', async ({ browser, page }, info) => {
  const baseURL = info.project.use.baseURL as string;
  const contact = `reg-${suffix}@vendor.test`;
  const name = `Register Answering Ltd ${suffix}`;
  const admin = await apiSession(baseURL, adminEmail, password);
  // Where the organisation is established, so a transfer out of the EEA can be judged.
  expect((await admin.put('/api/settings/client-profile', { data: { country: 'DE' } })).ok()).toBeTruthy();
  const vendor = await (await admin.post('/api/vendors', { data: {
    legal_name: name, system_access: 'read_only', criticality: 'medium', data_types: ['personal'],
    contacts: [{ name: 'Rita Register', email: contact }],
  } })).json();
  const imported = await admin.post('/api/templates', { data: { content: registerTemplate, format: 'json' } });
  expect(imported.status(), 'the template imports').toBe(201);
  const templateId = (await imported.json()).id;
  expect((await admin.post(`/api/templates/${templateId}/publish`, { data: {} })).ok()).toBeTruthy();
  const sent = await admin.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: templateId, due_date: '2099-06-30',
    recipients: [{ name: 'Rita Register', email: contact }],
  } });
  expect(sent.status()).toBe(201);
  const assessment = (await sent.json()).id;
  await admin.dispose();

  // The vendor, on a phone, lists two subprocessors.
  const vendorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const portal = await vendorContext.newPage();
  await portal.goto(`/portal${portalFragment(contact)}`);
  const question = portal.getByTestId('question-subs');
  const add = async (n: number, subprocessor: string, country: string) => {
    await question.getByRole('button', { name: 'Add a row' }).click();
    const row = question.getByTestId('table-row').nth(n);
    await row.getByLabel('Name').fill(subprocessor);
    await row.getByLabel('Service it provides').fill('Payroll support desk');
    await row.getByLabel('Personal data').check();
    const countries = row.getByLabel('Processes the data in');
    await countries.fill(country);
    await countries.press('Enter');
    await expect(row.getByRole('list', { name: 'Chosen countries' })).toContainText(country);
    await row.getByLabel('Transfer mechanism').selectOption('none');
  };
  await add(0, 'Cloud Hosting GmbH', 'Germany');
  // A name that is no country stays in the box with a message; nothing is added.
  await question.getByRole('button', { name: 'Add a row' }).click();
  const second = question.getByTestId('table-row').nth(1);
  await second.getByLabel('Processes the data in').fill('Atlantis');
  await second.getByLabel('Processes the data in').press('Enter');
  await expect(second.getByRole('alert')).toContainText('No country is called “Atlantis”');
  await question.getByRole('button', { name: 'Remove row 2' }).click();
  await add(1, 'Offshore Support Pvt Ltd', 'India');
  await expect(portal.getByTestId('save-subs')).toContainText('Saved');
  const width = await portal.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(width[0], 'the rows and their chosen countries fit 390 px').toBeLessThanOrEqual(width[1]);
  await portal.getByRole('button', { name: 'Submit questionnaire' }).click();
  await expect(portal.getByTestId('submitted').first()).toBeVisible();
  await vendorContext.close();

  // The risk manager reads the register on the vendor page, the finding on the scorecard,
  // and the register in the PDF.
  await signIn(page, riskEmail, password);
  await page.goto(`/vendors/${vendor.id}`);
  const offshore = page.getByTestId('register-row').filter({ hasText: 'Offshore Support Pvt Ltd' });
  await expect(offshore).toContainText('India');
  await expect(offshore).toContainText('None recorded');
  await expect(page.getByTestId('register-row')).toHaveCount(2);
  await page.goto(`/assessments/${assessment}`);
  const finding = page.getByTestId('finding').filter({ hasText: 'Offshore Support Pvt Ltd' });
  await expect(finding).toContainText('India');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-pdf').first().click(),
  ]);
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' });
  const flat = text.split(/\s+/).join(' ');
  expect(flat, 'the PDF has the register').toContain('Subprocessors');
  expect(flat).toContain('Offshore Support Pvt Ltd');
  expect(flat).toContain('India');
});

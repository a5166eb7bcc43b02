// A vendor reports a security incident from the portal; the client's risk manager signs in
// and finds it with the live countdown to the contract's notification deadline on the
// incident page and the dashboard, and answers on the timeline, which the vendor then sees.
// The organisation, vendor and questionnaire are set up through the API.
import { test, expect, Page, Locator, APIRequestContext, request as playwrightRequest } from './fixtures';
import { assay, portalFragment } from './env';

const password = 'e2e incident passphrase 42';
const suffix = Date.now().toString(36);
const org = `Incident Org ${suffix}`;
const proEmail = `ivo-${suffix}@e2e.test`;
const adminEmail = `ina-${suffix}@e2e.test`;
const riskEmail = `iris-${suffix}@e2e.test`;
const contactEmail = `ike-${suffix}@vendor.test`;
const vendorName = `Leaky Buckets Ltd ${suffix}`;
const title = `Exposed backup bucket ${suffix}`;

const template = JSON.stringify({
  title: `Incident questionnaire ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc_rest', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
  ] }],
});

let contactFragment = '';
let vendorId = '';

async function api(baseURL: string, email?: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  if (email) {
    const login = await context.post('/api/auth/login', { data: { email, password } });
    expect(login.ok(), `${email} signs in`).toBeTruthy();
  }
  return context;
}

/** A `datetime-local` value in this machine's time zone (the browser shares it). */
function localInput(at: Date): string {
  const pad = (n: number) => n.toString().padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  assay(['user', 'create', '--org', created.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Ivo Procurement'], password + '\n');
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Ina Admin'], password + '\n');
  assay(['user', 'create', '--org', created.slug, '--email', riskEmail, '--role', 'risk_manager', '--name', 'Iris Risk'], password + '\n');

  const pro = await api(baseURL, proEmail);
  const vendor = await (await pro.post('/api/vendors', { data: {
    legal_name: vendorName, system_access: 'read_only', criticality: 'high',
    contacts: [{ name: 'Ike Vendor', email: contactEmail }],
  } })).json();
  vendorId = vendor.id;
  expect((await pro.put(`/api/vendors/${vendor.id}/contract`, { data: { breach_notification_hours: 72 } })).ok()).toBeTruthy();
  const imported = await (await pro.post('/api/templates', { data: { content: template, format: 'json' } })).json();
  expect((await pro.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok()).toBeTruthy();
  const sent = await pro.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30',
    recipients: [{ name: 'Ike Vendor', email: contactEmail }],
  } });
  expect(sent.status()).toBe(201);

  contactFragment = portalFragment(contactEmail);
  await pro.dispose();
});

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
}

const countdown = /^(69|70)h \d+m left until the notification deadline \(\d{1,2} \w{3,4} \d{4}, \d\d:\d\d UTC\)$/;

test('a vendor reports an incident in the portal and the client follows its countdown', async ({ browser, page }) => {
  // The vendor, in a browser of their own.
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendor.goto(`/portal${contactFragment}`);
  // Incident reporting is one button away from the questionnaire (its code loads then).
  await vendor.getByRole('button', { name: 'Report or follow an incident' }).click();
  await expect(vendor.getByRole('heading', { name: 'Security incidents' })).toBeFocused();
  const form = vendor.getByTestId('incident-report-form');
  await expect(form.getByRole('heading', { name: 'Report an incident' })).toBeVisible();

  // A first try with a discovery time in the future is refused with the server's reason,
  // shown readably; what was typed stays.
  const discovered = form.getByLabel('When it was discovered (date and time, your local time)');
  await form.getByLabel('Short title').fill(title);
  await form.getByLabel('What happened').fill('A storage bucket with nightly backups was publicly readable.');
  await discovered.fill(localInput(new Date(Date.now() + 48 * 3600_000)));
  await form.getByLabel('Personal data').check();
  await form.getByLabel('Number of records affected (leave empty if unknown)').fill('1200');
  await form.getByLabel('What has been done to contain it').fill('Bucket made private; keys rotated.');
  await form.getByLabel('Who to contact about it (name, email, phone)').fill('Ike Vendor, ike@vendor.test');
  await form.getByRole('button', { name: 'Report incident' }).click();
  await expect(form.getByRole('alert')).toContainText('The discovery time is in the future.');
  await expect(form.getByLabel('Short title')).toHaveValue(title);
  await discovered.fill(localInput(new Date(Date.now() - 2 * 3600_000)));
  await form.getByRole('button', { name: 'Report incident' }).click();

  const filed = vendor.getByTestId('portal-incident').filter({ hasText: title });
  await expect(filed.getByTestId('countdown')).toHaveText(countdown);
  await expect(filed.getByTestId('report-timing')).toHaveText('Reported on time (within the 72-hour deadline)');
  await expect(filed.getByTestId('incident-status')).toHaveText('Open');

  // The client's risk manager finds it from the navigation, with the countdown.
  await signIn(page, riskEmail);
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  const row = page.getByTestId('incident-row').filter({ hasText: title });
  await expect(row).toContainText(vendorName);
  await expect(row.getByTestId('countdown')).toHaveText(countdown);
  await row.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('incident-title')).toHaveText(title);
  await expect(page.getByTestId('countdown')).toHaveText(countdown);
  await expect(page.getByTestId('report-timing')).toHaveText('Reported on time (within the 72-hour deadline)');

  // The client answers on the timeline and marks it contained.
  const update = page.getByTestId('incident-update-form');
  await update.getByLabel('Update').fill('Which customers are affected? Send the list today.');
  await update.getByLabel('Status').selectOption('contained');
  await update.getByRole('button', { name: 'Post update' }).click();
  await expect(page.getByTestId('incident-timeline')).toContainText('Which customers are affected?');
  await expect(page.getByTestId('incident-status').first()).toHaveText('Contained');

  // The dashboard lists it among the open incidents, with the countdown.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('open-incidents')).toHaveText('1');
  const open = page.getByTestId('open-incident-row').filter({ hasText: title });
  await expect(open.getByTestId('countdown')).toHaveText(countdown);

  // The vendor sees the client's update after reloading the portal.
  await vendor.reload();
  await vendor.getByRole('button', { name: 'Report or follow an incident' }).click();
  const seen = vendor.getByTestId('portal-incident').filter({ hasText: title });
  await expect(seen.getByTestId('incident-timeline')).toContainText('Which customers are affected?');
  await vendorContext.close();
});

/** Fills the client's incident form (discovered `hoursAgo`) and records it. */
async function recordIncident(form: Locator, title: string, what: string, hoursAgo: number, containment: string) {
  await form.getByLabel('Short title').fill(title);
  await form.getByLabel('What happened').fill(what);
  await form.getByLabel('When it was discovered (date and time, your local time)').fill(localInput(new Date(Date.now() - hoursAgo * 3600_000)));
  await form.getByLabel('What has been done to contain it').fill(containment);
  await form.getByLabel('Who to contact about it (name, email, phone)').fill('Ike Vendor, ike@vendor.test');
  await form.getByRole('button', { name: 'Record incident' }).click();
}

// An incident the vendor told by phone: the risk manager opens the form from the incidents
// page by keyboard (it is downloaded then), records it, and lands on its page.
test('the client records an incident reported by phone from the incidents page', async ({ page }) => {
  const phoned = `Phished admin account ${suffix}`;
  await signIn(page, riskEmail);
  await page.goto('/incidents');
  await expect(page.getByTestId('incident-report-form'), 'the form is not there until asked for').toHaveCount(0);
  const open = page.getByRole('button', { name: 'Record an incident' });
  await open.focus();
  await page.keyboard.press('Enter');
  const form = page.getByTestId('incident-report-form');
  await expect(form.getByRole('heading', { name: 'Record an incident' }), 'keyboard focus moves to the form it opened').toBeFocused();
  await expect(form.getByLabel('Vendor', { exact: true })).toHaveValue(/.+/);
  await form.getByLabel('Vendor', { exact: true }).selectOption({ label: vendorName });
  await recordIncident(form, phoned, 'The vendor called: an administrator account was phished.', 1, 'Account disabled; sessions revoked.');
  await expect(page.getByTestId('incident-title')).toHaveText(phoned);
  await expect(page.getByTestId('incident-status').first()).toHaveText('Open');

  // From the vendor's page, the same form (without the vendor to choose) opens with its details.
  const second = `Lost laptop ${suffix}`;
  await page.goto(`/vendors/${vendorId}`);
  const section = page.getByTestId('vendor-incidents');
  await expect(section.getByTestId('incident-report-form')).toHaveCount(0);
  await section.getByText('Record an incident this vendor reported by other means').click();
  const onVendor = section.getByTestId('incident-report-form');
  await expect(onVendor.getByLabel('Short title')).toBeVisible();
  await expect(onVendor.getByLabel('Vendor', { exact: true }), 'the vendor is the page\'s').toHaveCount(0);
  await recordIncident(onVendor, second, 'An unencrypted laptop was stolen from a car.', 2, 'Device wiped remotely.');
  await expect(page.getByTestId('incident-title')).toHaveText(second);
});

// Every page on a phone (390×844): nothing scrolls sideways, and the menu button opens and
// closes the navigation, by mouse and by keyboard. On a laptop (1280×800) the Admin's
// header, the longest there is, fits with "Sign out" in view. The data every page needs
// (a vendor, a template, a submitted and a sent assessment) is made through the API.
import { test, expect, Page } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e responsive passphrase 42';
const suffix = Date.now().toString(36);
const adminEmail = `ada-${suffix}@e2e.test`;
const submittedContact = `sam-${suffix}@vendor.test`;
const sentContact = `sid-${suffix}@vendor.test`;

const template = JSON.stringify({
  title: `Phone-sized review ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc_rest', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    { type: 'question', id: 'brn_hours', text: 'Within how many hours do you notify a breach?', kind: { kind: 'duration_hours' }, required: true, na_allowed: false },
  ] }],
  scoring: {
    questions: {
      enc_rest: { category: 'encryption', weight: 1, rule: { rule: 'yes_no', yes: 1.0, no: 0.0 } },
      brn_hours: { category: 'breach_notification', weight: 1, rule: { rule: 'at_most_bands', bands: [[24, 1.0], [72, 0.7]], otherwise: 0.0 } },
    },
    knock_outs: [],
    contract_checks: [{ question_id: 'brn_hours', threshold: 'contract_breach_notification_hours', at_most: true, title: 'Breach notification slower than the contract requires' }],
  },
});

let vendorId = '';
let templateId = '';
let submittedId = '';
let sentId = '';


test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  // A long organisation and user name: the header must cope with real ones.
  const created = JSON.parse(assay(['org', 'create', '--name', `Responsive Holdings International ${suffix}`]));
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Adelheid Administrator-Longname'], password + '\n');

  const admin = await apiSession(baseURL, adminEmail, password);
  const vendor = await (await admin.post('/api/vendors', { data: {
    legal_name: `Narrow Screens Incorporated With A Long Legal Name ${suffix}`, system_access: 'read_write', criticality: 'high',
    data_types: ['personal', 'payment'], countries: ['DE', 'IE'], tags: ['payroll', 'eu'],
    services: 'Payroll processing, payslip hosting and a very-long-unbroken-word-like-supercalifragilisticexpialidocious-service',
    contacts: [
      { name: 'Sam Submitter', email: submittedContact },
      { name: 'Sid Sender', email: sentContact },
    ],
  } })).json();
  vendorId = vendor.id;
  expect((await admin.put(`/api/vendors/${vendorId}/contract`, { data: { breach_notification_hours: 72 } })).ok()).toBeTruthy();
  const imported = await admin.post('/api/templates', { data: { content: template, format: 'json' } });
  expect(imported.status()).toBe(201);
  templateId = (await imported.json()).id;
  expect((await admin.post(`/api/templates/${templateId}/publish`, { data: {} })).ok()).toBeTruthy();

  const send = async (email: string, name: string) => {
    const sent = await admin.post('/api/assessments', { data: {
      vendor_id: vendorId, template_id: templateId, due_date: '2099-06-30', recipients: [{ name, email }],
    } });
    expect(sent.status()).toBe(201);
    return (await sent.json()).id as string;
  };
  submittedId = await send(submittedContact, 'Sam Submitter');
  const token = portalFragment(submittedContact).slice('#token='.length);
  const vendorApi = await apiSession(baseURL);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  for (const [q, value] of [['enc_rest', 'yes'], ['brn_hours', '96']]) {
    expect((await vendorApi.put(`/api/portal/answers/${q}`, { data: { value, version: 0 } })).ok()).toBeTruthy();
  }
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok()).toBeTruthy();
  sentId = await send(sentContact, 'Sid Sender');
  await Promise.all([admin.dispose(), vendorApi.dispose()]);
});


/** Waits until the page has drawn what it loads (no spinner left, a heading shown). */
async function settled(page: Page) {
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main .loading')).toHaveCount(0);
}

async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string }> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    // Name the element reaching furthest right, so a failure says where to look.
    let widest = '';
    let right = 0;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > right && r.width > 0) {
        right = r.right;
        widest = `${el.tagName.toLowerCase()}.${(el as HTMLElement).className} (${Math.round(r.right)} px)`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, widest };
  });
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const m = await horizontalOverflow(page);
  expect.soft(m.scrollWidth, `${where}: page is ${m.scrollWidth} px wide in a ${m.innerWidth} px window; widest: ${m.widest}`)
    .toBeLessThanOrEqual(m.innerWidth);
}

test('every page fits a 390 px phone without sideways scrolling, with a working menu button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/sign-in');
  await settled(page);
  await expectNoSidewaysScroll(page, '/sign-in');
  await signIn(page, adminEmail, password);

  const pages = [
    '/', '/dashboard', '/vendors', `/vendors/${vendorId}`, '/assessments', `/assessments/${sentId}`,
    `/assessments/${submittedId}`, '/templates', `/templates/${templateId}`, '/incidents',
    '/scoring-models', '/schedules', '/users', '/tokens', '/audit', '/account',
  ];
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const path of pages) {
    await page.goto(path);
    await settled(page);
    await expectNoSidewaysScroll(page, path);

    // Folded behind the button until asked for.
    await expect(menu, path).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Vendors' }), path).toBeHidden();
    await menu.click();
    await expect(menu, path).toHaveAttribute('aria-expanded', 'true');
    await expect(nav.getByRole('link', { name: 'Audit log' }), path).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out' }), path).toBeVisible();
    await expectNoSidewaysScroll(page, `${path} with the menu open`);
    await menu.click();
    await expect(menu, path).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Audit log' }), path).toBeHidden();
  }

  // By keyboard: Enter opens, the links are reachable with Tab, Escape closes and gives
  // the focus back to the button; following a link folds the menu again.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await page.keyboard.press('Space');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name: 'Vendors' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vendors' })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  // The vendor portal, as the vendor opens it from the email.
  await page.goto(`/portal${portalFragment(sentContact)}`);
  await expect(page.getByText('Is customer data encrypted at rest?')).toBeVisible();
  await settled(page);
  await expectNoSidewaysScroll(page, '/portal');
});

test('at 1280 px the Admin header fits: every link and Sign out in view, nothing overflowing', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, adminEmail, password);
  await page.goto('/dashboard');
  await settled(page);

  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  const signOut = page.getByRole('button', { name: 'Sign out' });
  await expect(signOut).toBeInViewport({ ratio: 1 });
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await expect(links).toHaveCount(11);
  for (const link of await links.all()) {
    await expect(link).toBeInViewport({ ratio: 1 });
  }
  const header = await page.locator('header.topbar').evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(header.scrollWidth, 'the header does not overflow').toBeLessThanOrEqual(header.clientWidth);
  await expectNoSidewaysScroll(page, '/dashboard at 1280 px');
});

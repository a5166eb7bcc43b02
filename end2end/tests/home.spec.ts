import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession, signIn } from './session';

test('the overview page renders from wasm with the live server version and database', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // The anonymous "who am I?" check answers 401 by design; anything else is a problem.
    if (msg.type() === 'error' && !msg.text().includes('status of 401')) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const health = await (await request.get('/api/health')).json();

  await page.goto('/');

  await expect(page.getByRole('heading', { level: 1, name: 'Vendor due diligence' })).toBeVisible();
  await expect(page.getByTestId('server-version')).toHaveText(health.version);
  await expect(page.getByTestId('server-database')).toHaveText('SQLite (embedded)');
  await expect(page).toHaveTitle('Overview · Assay');
  expect(problems, 'no console errors (e.g. CSP violations)').toEqual([]);
});

test('a client-side route that does not exist shows the app’s own not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');

  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vendor due diligence' })).toBeVisible();
});

// The signed-in home page is where the day starts: each role sees the tasks it acts on,
// each a link to where it is done; an Auditor, who only reads, is pointed elsewhere.
test.describe('the home page lists what waits on each role', () => {
  const password = 'e2e home passphrase 42';
  const suffix = Date.now().toString(36);
  const riskEmail = `rhea-${suffix}@e2e.test`;
  const auditorEmail = `aldo-${suffix}@e2e.test`;
  const proEmail = `pat-${suffix}@e2e.test`;
  const contactEmail = `vic-${suffix}@vendor.test`;
  const vendorName = `Waiting Review Ltd ${suffix}`;
  let assessmentId = '';

  test.beforeAll(async ({}, info) => {
    const baseURL = info.project.use.baseURL as string;
    const org = JSON.parse(assay(['org', 'create', '--name', `Home Org ${suffix}`]));
    for (const [email, role, name] of [
      [proEmail, 'procurement', 'Pat Procurement'], [riskEmail, 'risk_manager', 'Rhea Risk'], [auditorEmail, 'auditor', 'Aldo Auditor'],
    ]) {
      assay(['user', 'create', '--org', org.slug, '--email', email, '--role', role, '--name', name], password + '\n');
    }
    const pro = await apiSession(baseURL, proEmail, password);
    const vendor = await (await pro.post('/api/vendors', { data: {
      legal_name: vendorName, system_access: 'read_only', criticality: 'medium',
    } })).json();
    const template = JSON.stringify({ title: `Home check ${suffix}`, items: [{ type: 'section', id: 's', title: 'Controls', items: [
      { type: 'question', id: 'enc', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    ] }] });
    const imported = await (await pro.post('/api/templates', { data: { content: template, format: 'json' } })).json();
    expect((await pro.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok(), 'the template publishes').toBeTruthy();
    const sent = await pro.post('/api/assessments', { data: {
      vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30',
      recipients: [{ name: 'Vic Vendor', email: contactEmail }],
    } });
    expect(sent.status(), 'the questionnaire is sent').toBe(201);
    assessmentId = (await sent.json()).id;
    const vendorApi = await apiSession(baseURL);
    const token = portalFragment(contactEmail).slice('#token='.length);
    expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
    expect((await vendorApi.put('/api/portal/answers/enc', { data: { value: 'yes', version: 0 } })).ok()).toBeTruthy();
    expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok(), 'the vendor submits').toBeTruthy();
    await Promise.all([pro.dispose(), vendorApi.dispose()]);
  });

  test('a Risk manager sees the submission waiting for review and opens it by keyboard', async ({ page }) => {
    await signIn(page, riskEmail, password);
    await expect(page.getByRole('heading', { level: 1, name: 'What waits for you' })).toBeVisible();
    const review = page.getByTestId('task-awaiting_review');
    await expect(review.getByRole('heading', { name: /Waiting for review/ })).toContainText('1');
    const link = review.getByRole('link', { name: `${vendorName} — Home check ${suffix}` });
    await expect(link, 'the submission is listed with its vendor and questionnaire').toBeVisible();
    await expect(review).toContainText('submitted ');
    await expect(page.getByTestId('task-remediation_past_due')).toContainText('Nothing waiting.');
    await expect(page.getByTestId('task-overdue_answers'), 'a Risk manager does not chase answers').toHaveCount(0);
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/assessments/${assessmentId}$`));
  });

  test('Procurement sees overdue answers, not reviews', async ({ page }) => {
    await signIn(page, proEmail, password);
    await expect(page.getByTestId('task-overdue_answers')).toContainText('Nothing waiting.');
    await expect(page.getByTestId('task-awaiting_review')).toHaveCount(0);
  });

  test('an Auditor is told nothing waits, and where to read instead', async ({ page }) => {
    await signIn(page, auditorEmail, password);
    await expect(page.getByTestId('no-tasks')).toContainText('Nothing waits on you: as an Auditor');
    await expect(page.getByTestId('no-tasks').getByRole('link', { name: 'Read the audit log' })).toBeVisible();
  });
});

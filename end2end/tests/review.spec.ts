// A risk manager reviews a submitted assessment in the browser: reads the scorecard and the
// contract mismatch, overrides one answer's points with a reason, decides with conditions,
// and downloads the PDF scorecard. The vendor's side is set up through the API.
import { test, expect, Page, APIRequestContext, request as playwrightRequest } from './fixtures';
import { assay, portalFragment } from './env';

const password = 'e2e review passphrase 42';
const suffix = Date.now().toString(36);
const org = `Review Org ${suffix}`;
const proEmail = `pia-${suffix}@e2e.test`;
const adminEmail = `adam-${suffix}@e2e.test`;
const riskEmail = `rita-${suffix}@e2e.test`;
const contactEmail = `val-${suffix}@vendor.test`;

const template = JSON.stringify({
  title: `Scored review ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Controls', items: [
    { type: 'question', id: 'enc_rest', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
    { type: 'question', id: 'brn_hours', text: 'Within how many hours do you notify a breach?', kind: { kind: 'duration_hours' }, required: true, na_allowed: false },
    { type: 'question', id: 'mfa_admin', text: 'Do administrators use MFA?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
  ] }],
  scoring: {
    questions: {
      enc_rest: { category: 'encryption', weight: 1, rule: { rule: 'yes_no', yes: 1.0, no: 0.0 } },
      brn_hours: { category: 'breach_notification', weight: 1, rule: { rule: 'at_most_bands', bands: [[24, 1.0], [72, 0.7]], otherwise: 0.0 } },
      mfa_admin: { category: 'access_control', weight: 1, rule: { rule: 'yes_no', yes: 1.0, no: 0.0 } },
    },
    knock_outs: [{ question_id: 'mfa_admin', below: 1.0, min_tier: 'high', title: 'No MFA for administrative access' }],
    contract_checks: [{ question_id: 'brn_hours', threshold: 'contract_breach_notification_hours', at_most: true, title: 'Breach notification slower than the contract requires' }],
  },
});

let assessmentId = '';

async function api(baseURL: string, email?: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  if (email) {
    const login = await context.post('/api/auth/login', { data: { email, password } });
    expect(login.ok(), `${email} signs in`).toBeTruthy();
  }
  return context;
}

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  assay(['user', 'create', '--org', created.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Pia Procurement'], password + '\n');
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Adam Admin'], password + '\n');
  assay(['user', 'create', '--org', created.slug, '--email', riskEmail, '--role', 'risk_manager', '--name', 'Rita Risk'], password + '\n');

  const pro = await api(baseURL, proEmail);
  const vendor = await (await pro.post('/api/vendors', { data: {
    legal_name: `Slow Notice Ltd ${suffix}`, system_access: 'read_only', criticality: 'medium',
    contacts: [{ name: 'Val Vendor', email: contactEmail }],
  } })).json();
  expect((await pro.put(`/api/vendors/${vendor.id}/contract`, { data: { breach_notification_hours: 72 } })).ok()).toBeTruthy();
  const imported = await (await pro.post('/api/templates', { data: { content: template, format: 'json' } })).json();
  expect((await pro.post(`/api/templates/${imported.id}/publish`, { data: {} })).ok()).toBeTruthy();
  const sent = await pro.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: imported.id, due_date: '2099-06-30',
    recipients: [{ name: 'Val Vendor', email: contactEmail }],
  } });
  expect(sent.status()).toBe(201);
  assessmentId = (await sent.json()).id;

  const token = portalFragment(contactEmail).slice('#token='.length);
  const vendorApi = await api(baseURL);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  for (const [q, value] of [['enc_rest', 'yes'], ['brn_hours', '96'], ['mfa_admin', 'no']]) {
    expect((await vendorApi.put(`/api/portal/answers/${q}`, { data: { value, version: 0 } })).ok()).toBeTruthy();
  }
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok()).toBeTruthy();
  await Promise.all([pro.dispose(), vendorApi.dispose()]);
});

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
}

test('a risk manager reviews, overrides one answer, decides and downloads the PDF', async ({ page }) => {
  await signIn(page, riskEmail);
  await page.goto(`/assessments/${assessmentId}`);
  const card = page.getByTestId('scorecard');
  await expect(card.getByTestId('overall')).toHaveText('33.3 / 100');
  await expect(card.getByTestId('residual-tier')).toContainText('High');
  await expect(card.getByTestId('findings')).toContainText('Breach notification slower than the contract requires');
  await expect(card.getByTestId('findings')).toContainText('96 h answered, 72 h required');
  // The answers table starts with what needs attention: the two weak answers, not the
  // full-marks one; every question is one choice away.
  const filter = card.getByTestId('breakdown-filter');
  await expect(filter.getByLabel('Needs attention (2)')).toBeChecked();
  await expect(card.getByTestId('review-mfa_admin')).toBeVisible();
  await expect(card.getByTestId('review-enc_rest'), 'a full-marks answer waits behind "All questions"').toHaveCount(0);
  await filter.getByLabel('All questions (3)').check();
  // Answers read as people gave them, not as stored ids.
  await expect(card.getByTestId('review-enc_rest')).toContainText('Yes');
  await expect(card.getByTestId('review-brn_hours')).toContainText('96 h');
  await expect(card.getByTestId('category-chart').getByRole('img')).toHaveAttribute('aria-label', /Encryption 100/);

  // Override the MFA answer's points, with a reason and a last day.
  // One action menu per row, opened by keyboard.
  const mfa = card.getByTestId('review-mfa_admin');
  await expect(mfa.getByRole('button', { name: 'Override' }), 'actions wait in the row menu').toBeHidden();
  await mfa.getByText('Actions').focus();
  await page.keyboard.press('Enter');
  await mfa.getByRole('button', { name: 'Override' }).click();
  const form = card.getByTestId('override-form');
  await form.getByLabel('Points (0 to 1)').fill('1');
  await form.getByLabel('Reason (shown to auditors)').fill('Hardware keys for every administrator, verified on site');
  await form.getByLabel('Last day (optional)').fill('2099-12-31');
  await form.getByRole('button', { name: 'Override' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Override recorded');
  await expect(mfa.getByTestId('points')).toHaveText('1.00 (computed 0.00)');
  await expect(card.getByTestId('overall')).toHaveText('66.7 / 100');
  await expect(card.getByTestId('findings')).not.toContainText('No MFA for administrative access');
  await expect(card.getByTestId('overrides')).toContainText('Hardware keys for every administrator');
  // The score alone would lower the tier to Low; the open High finding holds it at Medium,
  // and the scorecard says which one.
  await expect(card.getByTestId('residual-tier')).toContainText('Medium');
  // Medium has a colour of its own (amber), like every other tier.
  await expect(card.getByTestId('residual-tier').locator('.badge'), 'the Medium badge is styled')
    .not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  await expect(card.getByTestId('held-by')).toContainText('Breach notification slower than the contract requires');
  await expect(card.getByTestId('held-by')).toContainText('The score alone gives Low');

  // Accept the encryption answer (the table still shows every question: the choice stays).
  await expect(filter.getByLabel('All questions (3)')).toBeChecked();
  await card.getByTestId('review-enc_rest').getByText('Actions').click();
  await card.getByTestId('review-enc_rest').getByRole('button', { name: 'Accept' }).click();
  await expect(card.getByTestId('review-enc_rest').getByTestId('review-status')).toHaveText('Accepted');

  // The contract mismatch becomes a remediation item the reviewer owns.
  const mismatch = card.getByTestId('finding').filter({ hasText: 'Breach notification slower than the contract requires' });
  await mismatch.getByRole('button', { name: 'Create remediation item' }).click();
  await mismatch.getByLabel('Due date').fill('2099-03-31');
  await mismatch.getByLabel('What closes it').fill('A DPA with 72-hour breach notice');
  await mismatch.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByTestId('outcome')).toContainText('Remediation item created');
  await expect(card.getByTestId('remediations')).toContainText('Rita Risk');
  await expect(card.getByTestId('remediations')).toContainText('A DPA with 72-hour breach notice');

  // Until the DPA is signed, the risk manager accepts the risk: the finding stays listed,
  // marked, and no longer holds the tier.
  await mismatch.getByRole('button', { name: 'Accept the risk' }).click();
  const accept = mismatch.getByTestId('accept-risk-form');
  await accept.getByLabel('Why the risk is accepted').fill('Board accepted 96 h until the DPA renewal');
  await accept.getByLabel('Accepted until (optional)').fill('2099-03-31');
  await accept.getByRole('button', { name: 'Accept the risk' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Risk accepted');
  await expect(card.getByTestId('residual-tier')).toContainText('Low');
  await expect(card.getByTestId('held-by')).toHaveCount(0);
  await expect(mismatch.getByTestId('finding-settled')).toContainText('Risk accepted until 2099-03-31');
  await expect(card.getByTestId('acceptances')).toContainText('Board accepted 96 h until the DPA renewal');

  // Decide with conditions; the scorecard is frozen.
  const decision = card.getByTestId('decision-form');
  // The decision sits right under the summary, above the per-question breakdown, with no
  // outcome chosen in advance: recording without one asks for it.
  const decisionTop = (await decision.boundingBox())?.y ?? Infinity;
  const breakdownTop = (await card.getByTestId('review-mfa_admin').boundingBox())?.y ?? -Infinity;
  expect(decisionTop, 'the decision form comes before the answers table').toBeLessThan(breakdownTop);
  await expect(decision.getByRole('radio', { checked: true })).toHaveCount(0);
  // On a wide screen the panel stays in view while the reviewer reads down the answers.
  const lastRow = card.getByTestId('breakdown').locator('tbody tr').last();
  await lastRow.scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY), 'the page scrolled down to the last answer').toBeGreaterThan(300);
  await expect(decision, 'the decision panel stays in view beside the answers').toBeInViewport();
  await decision.getByLabel('Rationale').fill('Strong controls; the notice period is contracted.');
  await decision.getByRole('button', { name: 'Record decision' }).click();
  await expect(decision.getByRole('alert')).toHaveText('Choose an outcome.');
  await decision.getByLabel('Approved with conditions').check();
  await expect(decision.getByRole('alert').filter({ hasText: 'Choose an outcome.' })).toBeHidden();
  await decision.getByLabel('Conditions (one per line)').fill('Breach notice within 72 hours in the next DPA');
  await decision.getByLabel('Rationale').fill('Strong controls; the notice period is contracted.');
  await decision.getByRole('button', { name: 'Record decision' }).click();
  await expect(card.getByTestId('decision')).toContainText('Approved with conditions');
  await expect(page.getByTestId('assessment-decision'), 'the header shows the outcome').toHaveText('Approved with conditions');
  await expect(card.getByTestId('decision')).toContainText('Breach notice within 72 hours in the next DPA');
  await expect(card.getByTestId('scorecard-version')).toContainText('frozen by the decision');
  await expect(page.getByTestId('assessment-status')).toContainText('Completed');
  await expect(card.getByRole('button', { name: 'Override' })).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByTestId('download-pdf').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^scorecard-slow-notice-ltd-.*\.pdf$/);
  const path = await download.path();
  const bytes = require('node:fs').readFileSync(path);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(2000);

  // The same decision as OSCAL assessment results, for the GRC tool.
  const [oscal] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: 'OSCAL' }).click(),
  ]);
  expect(oscal.suggestedFilename()).toMatch(/^assessment-results-slow-notice-ltd-.*\.json$/);
  const results = JSON.parse(require('node:fs').readFileSync(await oscal.path(), 'utf8'))['assessment-results'];
  expect(results.results[0].remarks, 'the decision is in the OSCAL results').toContain('Approved with conditions');

  // The outcome follows the assessment into the lists: the vendor's page and Assessments.
  await page.getByRole('link', { name: `Slow Notice Ltd ${suffix}` }).first().click();
  const vendorRow = page.getByTestId('assessment-row').first();
  await expect(vendorRow.getByTestId('row-decision')).toHaveText('Approved with conditions');
  await page.goto('/assessments');
  const listRow = page.getByTestId('assessment-row').filter({ hasText: `Slow Notice Ltd ${suffix}` });
  await expect(listRow.getByTestId('row-decision')).toHaveText('Approved with conditions');
});

/** The rendered font size of an element, in CSS pixels. */
async function fontSize(locator: import('@playwright/test').Locator): Promise<number> {
  return locator.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('the dashboard shows the portfolio and exports it with progress', async ({ page, baseURL }) => {
  // A vendor nobody has assessed yet: not Low, but "Not assessed", and left off the heat map.
  const pro = await api(baseURL as string, proEmail);
  const unassessed = await pro.post('/api/vendors', { data: {
    legal_name: `Never Assessed Ltd ${suffix}`, system_access: 'none', criticality: 'high',
  } });
  expect(unassessed.status(), 'the unassessed vendor is registered').toBe(201);
  await pro.dispose();

  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, riskEmail);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('total-vendors')).toHaveText('2');
  const tiers = page.getByTestId('tier-chart');
  // The scored vendor is in one tier bar (its tier follows the earlier override), the new
  // one in "Not assessed", not in Low.
  await expect(tiers.getByRole('img'), 'the unassessed vendor has its own bar')
    .toHaveAttribute('aria-label', /Not assessed 1\.$/);
  const summary = (await tiers.getByRole('img').getAttribute('aria-label')) ?? '';
  const tierTotal = [...summary.matchAll(/(Low|Medium|High|Critical) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
  expect(tierTotal, `only the scored vendor is counted by tier: ${summary}`).toBe(1);
  await expect(page.getByTestId('not-assessed-note')).toHaveText('1 vendor not yet assessed: the heat map shows the 1 assessed.');

  // Labels and values are readable in a wide card: 12–16 px, not scaled with the card.
  for (const text of [tiers.locator('.chart-label').first(), tiers.locator('.chart-value').first()]) {
    const size = await fontSize(text);
    expect(size, `tier chart text is ${size}px at 1440 px wide`).toBeGreaterThanOrEqual(12);
    expect(size, `tier chart text is ${size}px at 1440 px wide`).toBeLessThanOrEqual(16);
    const box = await text.boundingBox();
    expect(box?.height ?? 0, 'the label is drawn at least 12 px high').toBeGreaterThanOrEqual(12);
  }

  // The heat map colours each cell by its risk and says so in words.
  const heat = page.getByTestId('heat-map');
  await expect(heat.locator('.heat-cell')).toHaveCount(16);
  const filled = heat.locator('.heat-cell:not(.heat-empty)');
  await expect(filled, 'only the assessed vendor is on the heat map').toHaveCount(1);
  await expect(filled).toHaveText('1');
  await expect(filled, 'the filled cell is coloured by its tier').toHaveClass(/heat-tier-(low|medium|high|critical)/);
  const background = (tier: string) => heat.locator(`.heat-cell[data-tier="${tier}"]`).first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await background('critical'), 'critical and low cells differ in colour').not.toBe(await background('low'));
  expect(await fontSize(filled), 'the count is readable').toBeGreaterThanOrEqual(12);
  await expect(page.getByTestId('heat-legend')).toContainText('Colour shows the higher of the two tiers');
  await expect(page.getByTestId('heat-legend')).toContainText('Critical');
  await expect(page.getByTestId('frequent-findings')).toContainText('Breach notification slower than the contract requires');

  // The whole portfolio first.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  await expect(page.getByTestId('export-done')).toBeVisible();
  const text = require('node:fs').readFileSync(await download.path(), 'utf8');
  expect(text.split('\r\n')[0]).toBe('vendor,criticality,owner,tags,inherent_tier,residual_tier,overall,decision,last_assessed,open_findings,open_incidents');
  expect(text).toContain(`Slow Notice Ltd ${suffix}`);

  // Filtered: the export carries the dashboard's filters and holds only what it shows.
  await page.getByLabel('Criticality').selectOption('high');
  await expect(page.getByTestId('total-vendors')).toHaveText('1');
  await expect(page.getByTestId('export-csv')).toHaveAttribute('data-path', /portfolio\.csv\?criticality=high/);
  await expect(page.getByTestId('export-scope')).toContainText('criticality High');
  const [request, filteredDownload] = await Promise.all([
    page.waitForRequest(/\/api\/exports\/portfolio\.csv/),
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  expect(request.url(), 'the export request carries the filter').toContain('criticality=high');
  const filtered = require('node:fs').readFileSync(await filteredDownload.path(), 'utf8');
  expect(filtered, 'the high-criticality vendor is exported').toContain(`Never Assessed Ltd ${suffix}`);
  expect(filtered, 'the medium-criticality vendor is filtered out').not.toContain(`Slow Notice Ltd ${suffix}`);
});

test('an admin creates an API token that works once shown and stops when revoked', async ({ page, baseURL }) => {
  await signIn(page, adminEmail);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill('Board reporting');
  await page.getByLabel('Scope').selectOption('read_only');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByTestId('new-token').inputValue();
  expect(token).toMatch(/^assay_/);
  const bearer = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  expect((await bearer.get(`/api/assessments/${assessmentId}/scorecard`)).status()).toBe(200);
  expect((await bearer.post('/api/tokens', { data: { name: 'x', scope: 'read_only' } })).status()).toBe(403);
  await page.getByRole('button', { name: 'I have stored it' }).click();
  await page.getByTestId('revoke-token').click();
  await page.getByTestId('confirm-revoke').click();
  await expect(page.getByTestId('token-revoked')).toBeVisible();
  expect((await bearer.get(`/api/assessments/${assessmentId}/scorecard`)).status()).toBe(401);
  await bearer.dispose();
});

test('a what-if shows how a proposed scoring model would change tiers', async ({ page }) => {
  await signIn(page, riskEmail);
  await page.getByRole('link', { name: 'Scoring models' }).click();
  // The editor is downloaded when asked for; keyboard focus goes to its first field.
  await page.getByRole('button', { name: 'Propose a change' }).click();
  await expect(page.getByTestId('weight-encryption')).toBeFocused();
  await page.getByTestId('weight-encryption').fill('0');
  await page.getByTestId('preview-model').click();
  await expect(page.getByTestId('what-if-row')).toContainText(`Slow Notice Ltd ${suffix}`);
  await expect(page.getByTestId('what-if-changed')).toBeVisible();
});

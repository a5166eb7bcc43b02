// The journey users come for: procurement registers a vendor and sends the built-in
// baseline questionnaire; the vendor opens the personal link, answers (a conditional
// question appears), uploads a PDF and submits; procurement sees it submitted with the
// evidence downloadable. And: typed text survives a lost connection.
import { test, expect, Page, BrowserContext } from './fixtures';
import { assay, portalFragment } from './env';

const password = 'e2e procurement passphrase 42';
const suffix = Date.now().toString(36);
const org = `Questionnaire Org ${suffix}`;
const proEmail = `pat-${suffix}@e2e.test`;
const adminEmail = `ada-${suffix}@e2e.test`;
const vendorName = `Cloudy Payroll ${suffix}`;
const contactEmail = `vera-${suffix}@vendor.test`;
const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nSOC 2 Type II report, period ending 2026-06-30\n%%EOF\n');

test.beforeAll(() => {
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  assay(['user', 'create', '--org', created.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Pat Procurement'], password + '\n');
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Ada Admin'], password + '\n');
});

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
}

async function registerVendorAndSend(page: Page, vendorName: string, contactEmail: string) {
  await signIn(page, proEmail);
  await page.getByRole('link', { name: 'Vendors' }).click();
  await page.getByLabel('Legal name').fill(vendorName);
  await page.getByLabel('Services outsourced').fill('Payroll processing for EU staff');
  await page.getByLabel('Personal data').check();
  await page.getByLabel('Access to our systems').selectOption('read_only');
  await page.getByLabel('Business criticality').selectOption('high');
  await page.getByLabel('Contact name').fill('Vera Vendor');
  await page.getByLabel('Contact email').fill(contactEmail);
  await page.getByRole('button', { name: 'Register vendor' }).click();
  await expect(page.getByTestId('vendor-name')).toHaveText(vendorName);

  await expect(page.getByLabel('Questionnaire', { exact: true })).toContainText('Assay Baseline');
  await page.getByLabel('Due date').fill('2099-06-30');
  await expect(page.getByLabel(`Vera Vendor <${contactEmail}>`)).toBeChecked();
  await page.getByRole('button', { name: 'Send questionnaire' }).click();
  await expect(page.getByTestId('assessment-status')).toContainText('Sent');
  await expect(page.getByTestId('invitation-row')).toContainText(contactEmail);
  return page.url();
}

/** Answers every visible, unanswered question with a plausible value, until none is left. */
async function answerEverything(page: Page) {
  for (let round = 0; round < 6; round++) {
    const questions = page.locator('[data-testid^="question-"]:visible');
    const count = await questions.count();
    let answeredSomething = false;
    for (let i = 0; i < count; i++) {
      const q = questions.nth(i);
      const kind = await q.getAttribute('data-kind');
      const radios = q.locator('input[type=radio]');
      const boxes = q.locator('input[type=checkbox]');
      switch (kind) {
        case 'yes_no':
        case 'single_choice':
          if ((await q.locator('input[type=radio]:checked').count()) === 0) {
            await radios.first().check();
            answeredSomething = true;
          }
          break;
        case 'multiple_choice':
        case 'check':
          if ((await q.locator('input[type=checkbox]:checked').count()) === 0) {
            await boxes.first().check();
            answeredSomething = true;
          }
          break;
        case 'evidence':
          if ((await q.locator('.files li').count()) === 0) {
            await q.locator('input[type=file]').setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: pdf });
            await q.getByRole('button', { name: 'Upload file' }).click();
            await expect(q.locator('.files li')).toHaveCount(1);
            answeredSomething = true;
          }
          break;
        case 'country': {
          const select = q.locator('select:visible').first();
          if ((await select.count()) === 0 || (await select.inputValue()) !== '') break;
          await select.selectOption({ label: 'Germany' });
          answeredSomething = true;
          break;
        }
        case 'table':
          // The subprocessor register: one row, a name, a service and a country.
          if ((await q.getByTestId('table-row').count()) === 0) {
            await q.getByRole('button', { name: 'Add a row' }).click();
            const row = q.getByTestId('table-row').first();
            await row.getByLabel('Name').fill('Cloud Hosting GmbH');
            await row.getByLabel('Service it provides').fill('Hosting');
            await row.getByLabel('Processes the data in').fill('Germany');
            await row.getByLabel('Processes the data in').press('Enter');
            await expect(row.getByRole('list', { name: 'Chosen countries' })).toContainText('Germany');
            answeredSomething = true;
          }
          break;
        default: {
          const field = q.locator('input[type=text]:visible, input[type=date]:visible, textarea:visible').first();
          if ((await field.count()) === 0 || (await field.inputValue()) !== '') break;
          const value: Record<string, string> = {
            date: '2026-10-01', duration_hours: '24', money: '5000000 EUR', country: 'DE', number: '12',
          };
          await field.fill(value[kind ?? ''] ?? 'Documented in our information security policy.');
          answeredSomething = true;
        }
      }
    }
    if (!answeredSomething) return;
  }
}

async function waitUntilSaved(page: Page) {
  await expect(page.locator('[data-testid^="save-"]').filter({ hasText: /Saving|Not saved|cannot be reached/ })).toHaveCount(0);
}

test('procurement sends the baseline; the vendor answers, uploads a PDF and submits; procurement downloads the evidence', async ({ page, browser }) => {
  const assessmentUrl = await registerVendorAndSend(page, vendorName, contactEmail);
  const fragment = portalFragment(contactEmail);

  const vendorContext: BrowserContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendor.goto(`/portal${fragment}`);
  await expect(vendor.getByRole('heading', { level: 1 })).toContainText('Assay Baseline');
  await expect(vendor).toHaveURL(/\/portal$/); // the token leaves the address bar
  await expect(vendor.getByTestId('progress')).toContainText('0 of');

  // The report upload appears only once a certification is ticked.
  const report = vendor.getByTestId('question-aud_report');
  await expect(report).toBeHidden();
  await vendor.getByTestId('question-aud_certifications').getByLabel('SOC 2 Type II').check();
  await expect(report).toBeVisible();
  await expect(vendor.getByTestId('save-aud_certifications')).toContainText('Saved');
  // The file first, then what it is: the details are asked about the chosen file.
  await expect(report.getByLabel('Kind of document'), 'no details before a file is chosen').toHaveCount(0);
  await report.locator('input[type=file]').setInputFiles({ name: 'SOC 2 report.pdf', mimeType: 'application/pdf', buffer: pdf });
  const details = report.getByTestId('evidence-details-aud_report');
  await expect(report.getByRole('group', { name: 'About SOC 2 report.pdf' })).toBeVisible();
  await details.getByLabel('Kind of document').selectOption('soc2_type2');
  await details.getByLabel('Issued on').fill('2026-09-30');
  await details.getByLabel('Valid until').fill('2099-09-30');
  await details.getByLabel('Report period from').fill('2025-10-01');
  await details.getByLabel('Report period to').fill('2026-09-30');
  await details.getByRole('button', { name: 'Upload file' }).click();
  const uploaded = vendor.getByTestId('files-aud_report').locator('li').filter({ hasText: 'SOC 2 report.pdf' });
  await expect(uploaded.getByTestId('evidence-facts'), 'the uploaded file shows its kind and dates')
    .toHaveText('SOC 2 Type II report · issued 2026-09-30 · valid until 2099-09-30 · covers 2025-10-01 to 2026-09-30');
  await expect(details, 'the details close after the upload').toHaveCount(0);

  // An invalid value is refused in the browser with a reason, and the text stays.
  const hours = vendor.getByTestId('question-brn_hours').locator('input[type=text]');
  await hours.fill('soon');
  await expect(vendor.getByTestId('save-brn_hours')).toContainText('Enter a number');
  await expect(hours).toHaveValue('soon');
  await hours.fill('24');
  await expect(vendor.getByTestId('save-brn_hours')).toContainText('Saved');

  await answerEverything(vendor);
  await waitUntilSaved(vendor);
  await vendor.getByRole('button', { name: 'Submit questionnaire' }).click();
  await expect(vendor.getByTestId('submitted')).toContainText('Thank you: this questionnaire has been submitted.');
  await expect(vendor.getByTestId('submitted')).not.toContainText('(Submitted)');
  // The top of the page says so, in place of "Answers save as you go", and nothing offers to
  // delegate a section that can no longer change.
  await expect(vendor.locator('.portal-head').getByTestId('submitted')).toBeVisible();
  await expect(vendor.locator('.portal-head')).not.toContainText('Answers save as you go');
  await expect(vendor.getByText('Ask a colleague to answer this section').filter({ visible: true })).toHaveCount(0);
  await expect(vendor.getByRole('button', { name: 'Submit questionnaire' })).toBeDisabled();

  await page.goto(assessmentUrl);
  await expect(page.getByTestId('assessment-status')).toContainText('Submitted');
  await expect(page.getByTestId('answer-brn_hours')).toContainText('24');
  const link = page.getByTestId('evidence').getByRole('link', { name: 'SOC 2 report.pdf' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = await download.path();
  const bytes = require('node:fs').readFileSync(saved);
  expect(Buffer.compare(bytes, pdf), 'the downloaded file is the uploaded one').toBe(0);
  await vendorContext.close();
});

test('typed text survives a lost connection and is saved when it returns', async ({ page, browser }) => {
  const contact = `olga-${suffix}@vendor.test`;
  await registerVendorAndSend(page, `Offline Hosting ${suffix}`, contact);
  const fragment = portalFragment(contact);
  const context = await browser.newContext();
  const vendor = await context.newPage();
  await vendor.goto(`/portal${fragment}`);
  const field = vendor.getByTestId('question-brn_hours').locator('input[type=text]');
  await expect(field).toBeVisible();

  await context.setOffline(true);
  await field.fill('48');
  await expect(vendor.getByTestId('save-brn_hours')).toContainText('cannot be reached');
  await expect(field).toHaveValue('48');
  await context.setOffline(false);
  await expect(vendor.getByTestId('save-brn_hours')).toContainText('Saved', { timeout: 20_000 });

  await vendor.reload();
  await expect(vendor.getByTestId('question-brn_hours').locator('input[type=text]')).toHaveValue('48');
  await context.close();
});

test('a vendor delegates a section; the colleague sees and answers only that section', async ({ page, browser }) => {
  const contact = `dana-${suffix}@vendor.test`;
  const colleague = `sam-${suffix}@vendor.test`;
  await registerVendorAndSend(page, `Delegating Data ${suffix}`, contact);
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendor.goto(`/portal${portalFragment(contact)}`);

  const breach = vendor.locator('section.q-section', { has: vendor.getByRole('heading', { name: 'Breach notification' }) });
  await breach.getByText('Ask a colleague to answer this section').click();
  await breach.getByLabel("Colleague's name").fill('Sam Security');
  await breach.getByLabel("Colleague's email").fill(colleague);
  await breach.getByRole('button', { name: /^Send/ }).click();
  await expect(breach.getByRole('status')).toContainText(`${colleague} has been sent a link`);

  const delegateContext = await browser.newContext();
  const delegate = await delegateContext.newPage();
  await delegate.goto(`/portal${portalFragment(colleague)}`);
  await expect(delegate.getByTestId('delegated')).toContainText(`${contact} asked you to answer this section`);
  await expect(delegate.getByTestId('question-brn_hours')).toBeVisible();
  await expect(delegate.getByTestId('question-acc_mfa_admin')).toHaveCount(0); // other sections are not sent
  await expect(delegate.getByRole('button', { name: 'Submit questionnaire' })).toHaveCount(0);
  await delegate.getByTestId('question-brn_hours').locator('input[type=text]').fill('24');
  await expect(delegate.getByTestId('save-brn_hours')).toContainText('Saved');

  await vendor.reload();
  await expect(vendor.getByTestId('question-brn_hours').locator('input[type=text]')).toHaveValue('24');
  await delegateContext.close();
  await vendorContext.close();
});

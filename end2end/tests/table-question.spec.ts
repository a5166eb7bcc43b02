// A table question in the portal: the vendor lists subprocessors row by row on a phone,
// by keyboard; a bad cell is refused naming its row and column and the rows already given
// stay; after a reload the rows are there; procurement reads them as words on the
// assessment page. The organisation and the questionnaire are set up through the API.
import { test, expect } from './fixtures';
import { assay, portalFragment } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e table question passphrase 42';
const suffix = Date.now().toString(36);
const proEmail = `tia-${suffix}@e2e.test`;
const contactEmail = `tom-${suffix}@vendor.test`;

const template = JSON.stringify({
  title: `Subprocessor list ${suffix}`,
  items: [{ type: 'section', id: 's', title: 'Fourth parties', items: [
    { type: 'question', id: 'subs', text: 'Which subprocessors process our data?', required: true, na_allowed: false,
      kind: { kind: 'table', max_rows: 5, columns: [
        { id: 'name', label: 'Name', kind: { kind: 'short_text' }, required: true },
        { id: 'country', label: 'Country', kind: { kind: 'country' } },
        { id: 'mechanism', label: 'Transfer mechanism', kind: { kind: 'single_choice', choices: [
          { id: 'scc', label: 'Standard Contractual Clauses' }, { id: 'none', label: 'None' }] } },
      ] } },
  ] }],
});

let assessmentId = '';

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  const org = JSON.parse(assay(['org', 'create', '--name', `Table Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Tia Procurement'], password + '\n');
  const pro = await apiSession(baseURL, proEmail, password);
  const vendor = await (await pro.post('/api/vendors', { data: {
    legal_name: `Table Vendor ${suffix}`, system_access: 'read_only', criticality: 'medium',
    contacts: [{ name: 'Tom Table', email: contactEmail }],
  } })).json();
  const imported = await pro.post('/api/templates', { data: { content: template, format: 'json' } });
  expect(imported.status(), 'the template imports').toBe(201);
  const templateId = (await imported.json()).id;
  expect((await pro.post(`/api/templates/${templateId}/publish`, { data: {} })).ok(), 'the template publishes').toBeTruthy();
  const sent = await pro.post('/api/assessments', { data: {
    vendor_id: vendor.id, template_id: templateId, due_date: '2099-06-30',
    recipients: [{ name: 'Tom Table', email: contactEmail }],
  } });
  expect(sent.status(), 'the questionnaire is sent').toBe(201);
  assessmentId = (await sent.json()).id;
  await pro.dispose();
});

test('a vendor lists subprocessors row by row on a phone, by keyboard, and procurement reads them', async ({ page, browser }) => {
  const vendorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const vendor = await vendorContext.newPage();
  await vendor.goto(`/portal${portalFragment(contactEmail)}`);
  const question = vendor.getByTestId('question-subs');
  const saved = vendor.getByTestId('save-subs');
  await expect(question.getByRole('button', { name: 'Add a row' })).toBeVisible();
  await expect(question).toContainText('No rows yet; at most 5.');

  // By keyboard: the button, then each field of the new row in turn.
  await question.getByRole('button', { name: 'Add a row' }).focus();
  await vendor.keyboard.press('Enter');
  const first = question.getByTestId('table-row').nth(0);
  await expect(first.getByRole('group', { name: 'Row 1' }).or(first)).toBeVisible();
  await first.getByLabel('Name').focus();
  await vendor.keyboard.type('Amazon Web Services');
  await vendor.keyboard.press('Tab');
  // Countries are chosen from the ISO list by name, not typed as codes.
  await expect(first.getByLabel('Country')).toBeFocused();
  await first.getByLabel('Country').selectOption({ label: 'Ireland' });
  await first.getByLabel('Country').focus();
  await vendor.keyboard.press('Tab');
  await expect(first.getByLabel('Transfer mechanism')).toBeFocused();
  await first.getByLabel('Transfer mechanism').selectOption('scc');
  await expect(saved).toContainText('Saved');

  // A second row without the name it requires: refused, naming the row and column.
  await question.getByRole('button', { name: 'Add a row' }).click();
  const second = question.getByTestId('table-row').nth(1);
  await second.getByLabel('Country').selectOption({ label: 'India' });
  await expect(saved).toContainText('Row 2: fill in Name.');
  await second.getByLabel('Name').fill('Offshore Support');
  await second.getByLabel('Transfer mechanism').selectOption('none');
  await expect(saved).toContainText('Saved');
  await expect(question).toContainText('2 rows, of at most 5.');

  // A third row, then taken back.
  await question.getByRole('button', { name: 'Add a row' }).click();
  await question.getByTestId('table-row').nth(2).getByLabel('Name').fill('Short-lived Ltd');
  await expect(saved).toContainText('Saved');
  await question.getByRole('button', { name: 'Remove row 3' }).click();
  await expect(question.getByTestId('table-row')).toHaveCount(2);
  await expect(saved).toContainText('Saved');

  const width = await vendor.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(width[0], 'no sideways scrolling at 390 px').toBeLessThanOrEqual(width[1]);

  // After a reload the rows are there, stored as given (the country as its code).
  await vendor.reload();
  await expect(question.getByTestId('table-row')).toHaveCount(2);
  await expect(question.getByTestId('table-row').nth(0).getByLabel('Country')).toHaveValue('IE');
  await expect(question.getByTestId('table-row').nth(1).getByLabel('Name')).toHaveValue('Offshore Support');
  await vendorContext.close();

  await signIn(page, proEmail, password);
  await page.goto(`/assessments/${assessmentId}`);
  await expect(page.getByRole('main')).toContainText('Name: Amazon Web Services, Country: Ireland, Transfer mechanism: Standard Contractual Clauses; Name: Offshore Support, Country: India, Transfer mechanism: None');
});

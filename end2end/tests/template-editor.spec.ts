// Writing a questionnaire: a new template, a conditional question, the live preview that
// evaluates the condition as a vendor would answer, an invalid condition caught while
// typing, and publishing; then the findings rules (knock-outs, contract checks) edited in
// place, checked while typing and saved with the draft.
import { test, expect, type Page } from './fixtures';
import { assay } from './env';

const password = 'e2e editor passphrase 42';
const suffix = Date.now().toString(36);
const email = `ed-${suffix}@e2e.test`;

test.beforeAll(() => {
  const created = JSON.parse(assay(['org', 'create', '--name', `Editor Org ${suffix}`]));
  assay(['user', 'create', '--org', created.slug, '--email', email, '--role', 'procurement', '--name', 'Ed Editor'], password + '\n');
});

/** Signs in as the editor. */
async function signInAsEditor(page: Page) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
}

/** Signs in as the editor and opens a new template in the editor, titled `title`. */
async function newTemplate(page: Page, title: string) {
  await signInAsEditor(page);

  await page.getByRole('link', { name: 'Templates' }).click();
  await page.getByRole('button', { name: 'New template' }).click();
  await expect(page.getByRole('heading', { name: 'Edit template' })).toBeVisible();
  await page.getByLabel('Title', { exact: true }).fill(title);
}

test('procurement writes a template with a conditional question, previews it and publishes it', async ({ page }) => {
  await newTemplate(page, `Cloud onboarding ${suffix}`);

  const first = page.getByTestId('question-editor').first();
  await first.getByLabel('Question').fill('Do you host our data in the cloud?');
  // Scoring: a category makes the question count, yes/no points by default.
  await first.getByLabel('Scoring category').selectOption('data_handling');
  await expect(first.getByLabel('Scored by')).toHaveValue('yes_no');
  await first.getByRole('textbox', { name: 'Points for yes = points for no' }).fill('1 = maybe');
  await expect(first.getByRole('alert')).toContainText('yes = no');
  await first.getByRole('textbox', { name: 'Points for yes = points for no' }).fill('1 = 0.25');
  await page.getByRole('button', { name: 'Add question' }).click();
  const second = page.getByTestId('question-editor').nth(1);
  await second.getByLabel('Question').fill('Which cloud provider?');
  await second.getByLabel('Answer').selectOption('short_text');

  // A broken condition is caught while typing and blocks saving.
  const condition = second.getByLabel('Shown when (condition)');
  await condition.fill('q_1 &&');
  await expect(second.getByRole('alert')).toContainText('Condition');
  await expect(page.getByRole('button', { name: 'Save draft' })).toBeDisabled();
  await condition.fill('q_1/yes');
  await expect(page.getByTestId('problems')).toContainText('No problems found');

  // The preview is the vendor's view: the second question appears once the first is "Yes".
  const preview = page.getByLabel('Preview');
  await expect(preview.getByTestId('question-q_1')).toContainText('Do you host our data in the cloud?');
  await expect(preview.getByTestId('question-q_2')).toBeHidden();
  await preview.getByTestId('question-q_1').getByLabel('Yes').check();
  await expect(preview.getByTestId('question-q_2')).toBeVisible();
  await expect(preview.getByTestId('question-q_2')).toContainText('Which cloud provider?');

  await page.getByRole('button', { name: 'Save and publish' }).click();
  await expect(page.getByTestId('outcome')).toContainText('published as version 1');

  await page.getByRole('link', { name: 'Templates' }).click();
  const row = page.getByTestId('template-row').filter({ hasText: `Cloud onboarding ${suffix}` });
  await expect(row).toContainText('Version 1');
  await expect(row).toContainText('2'); // questions
});

test('procurement writes a table question, fixes a bad column and sees the rows in the preview', async ({ page }) => {
  await newTemplate(page, `Subprocessor table ${suffix}`);
  const first = page.getByTestId('question-editor').first();
  await first.getByLabel('Question').fill('Which subprocessors process our data?');
  await first.getByLabel('Answer').selectOption('table');
  const columns = first.getByLabel(/^Columns/);
  await expect(columns).toHaveValue('name = Name = short_text*');
  await columns.fill('name = Name = short_text*\ncountry = Country = files');
  const columnsError = first.locator('[id^="columns-"][id$="-error"]');
  await expect(columnsError).toContainText('“files” is not a kind a cell can take');
  await expect(columns).toHaveAttribute('aria-invalid', 'true');
  await columns.fill('name = Name = short_text*\ncountry = Country = country\nmech = Mechanism = single_choice(scc:SCC; none:None)');
  await expect(columnsError).toHaveText('');
  await expect(columns).toHaveAttribute('aria-invalid', 'false');
  await first.getByLabel('At most this many rows').fill('4');
  await expect(page.getByTestId('problems')).toContainText('No problems found');

  // The preview shows the vendor's rows, a group of fields each.
  const preview = page.getByLabel('Preview');
  const table = preview.getByTestId('question-q_1');
  await expect(table).toContainText('No rows yet; at most 4.');
  await table.getByRole('button', { name: 'Add a row' }).click();
  await expect(table.getByTestId('table-row')).toHaveCount(1);
  await expect(table.getByTestId('table-row').getByLabel('Mechanism')).toBeVisible();

  await page.getByRole('button', { name: 'Save and publish' }).click();
  await expect(page.getByTestId('outcome')).toContainText('published as version 1');
});

test('procurement marks a table as the subprocessor register, gets its columns and is told what it lacks', async ({ page }) => {
  await newTemplate(page, `Register table ${suffix}`);
  const first = page.getByTestId('question-editor').first();
  await first.getByLabel('Question').fill('List your subprocessors');
  await first.getByLabel('Answer').selectOption('table');
  await first.getByLabel(/subprocessor register/).check();
  const columns = first.getByLabel(/^Columns/);
  await expect(columns, 'the register columns are filled in').toHaveValue(/processing_countries = Processes the data in = country\+\*/);
  await expect(page.getByTestId('problems')).toContainText('No problems found');
  const full = await columns.inputValue();
  await columns.fill(full.split('\n').filter((line) => !line.startsWith('processing_countries')).join('\n'));
  await expect(page.getByTestId('problems')).toContainText('needs the column “processing_countries”');
  await columns.fill(full);
  await expect(page.getByTestId('problems')).toContainText('No problems found');

  // The preview asks for several countries per row, chosen from the ISO list.
  const table = page.getByLabel('Preview').getByTestId('question-q_1');
  await table.getByRole('button', { name: 'Add a row' }).click();
  await expect(table.getByTestId('table-row').getByLabel('Processes the data in')).toBeVisible();
  await expect(table.getByTestId('table-row').getByRole('group', { name: 'Data it handles' })).toBeVisible();

  await page.getByRole('button', { name: 'Save and publish' }).click();
  await expect(page.getByTestId('outcome')).toContainText('published as version 1');
});

test('procurement adds a knock-out and a contract check, fixes a bad value and saves them with the draft', async ({ page }) => {
  await newTemplate(page, `Critical controls ${suffix}`);
  const first = page.getByTestId('question-editor').first();
  await first.getByLabel('Question').fill('Do administrators sign in with MFA?');
  await first.getByLabel('Scoring category').selectOption('access_control');
  await page.getByRole('button', { name: 'Add question' }).click();
  const second = page.getByTestId('question-editor').nth(1);
  await second.getByLabel('Question').fill('Within how many hours do you notify us of a breach?');
  await second.getByLabel('Answer').selectOption('duration_hours');

  await page.getByRole('button', { name: 'Add knock-out' }).click();
  const knockOut = page.getByTestId('knock-out-row');
  await expect(knockOut.getByLabel('Question')).toHaveValue('q_1');
  const below = knockOut.getByLabel('Fires below this score (0 to 1)');
  // A score outside 0–1 is core's problem: listed with the others, and saving waits.
  await below.fill('2');
  await expect(page.getByTestId('problems')).toContainText('The knock-out on “q_1” fires below 2');
  await expect(page.getByRole('button', { name: 'Save draft' })).toBeDisabled();
  // Text that is not a number is caught at the field.
  await below.fill('half');
  await expect(knockOut.getByRole('alert')).toContainText('“half” is not a number');
  await expect(page.getByRole('button', { name: 'Save draft' })).toBeDisabled();
  await below.fill('0.5');
  await expect(knockOut.getByRole('alert')).toBeHidden();
  await knockOut.getByLabel('Residual tier at least').selectOption('critical');
  await knockOut.getByLabel('Finding title').fill('No MFA for administrators');

  await page.getByRole('button', { name: 'Add contract check' }).click();
  const check = page.getByTestId('contract-check-row');
  // Only number questions are offered, so the hours question is picked.
  await expect(check.getByLabel('Question')).toHaveValue('q_2');
  await check.getByLabel('The answer must be').selectOption('at_most');
  await check.getByLabel('Threshold').selectOption('fixed');
  await check.getByLabel('Value').fill('24');
  await check.getByLabel('Finding title').fill('Breach notice slower than 24 hours');
  await expect(page.getByTestId('problems')).toContainText('No problems found');

  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('outcome')).toContainText('Draft saved');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Edit template' })).toBeVisible();
  await expect(knockOut.getByLabel('Question')).toHaveValue('q_1');
  await expect(knockOut.getByLabel('Fires below this score (0 to 1)')).toHaveValue('0.5');
  await expect(knockOut.getByLabel('Residual tier at least')).toHaveValue('critical');
  await expect(knockOut.getByLabel('Finding title')).toHaveValue('No MFA for administrators');
  await expect(check.getByLabel('Threshold')).toHaveValue('fixed');
  await expect(check.getByLabel('Value')).toHaveValue('24');

  // The saved draft, as the API gives it to anyone with the template.
  const id = new URL(page.url()).pathname.split('/').pop();
  const saved = await page.request.get(`/api/templates/${id}`);
  expect(saved.ok(), 'the template reads back').toBeTruthy();
  const { scoring } = (await saved.json()).draft;
  expect(scoring.knock_outs).toEqual([
    { question_id: 'q_1', below: 0.5, min_tier: 'critical', title: 'No MFA for administrators' },
  ]);
  expect(scoring.contract_checks).toEqual([
    { question_id: 'q_2', threshold: { fixed: 24 }, at_most: true, title: 'Breach notice slower than 24 hours' },
  ]);
});

test('the built-in template is a read-only preview with one heading, and a copy of it can be edited', async ({ page }) => {
  await signInAsEditor(page);
  await page.getByRole('link', { name: 'Templates' }).click();
  const builtIn = page.getByTestId('template-row').filter({ hasText: 'Built in' });
  const title = (await builtIn.getByRole('link').first().textContent())?.trim() ?? '';
  expect(title, 'the built-in template is listed').not.toBe('');
  await builtIn.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit template' })).toBeVisible();
  await expect(page.locator('h1'), 'the preview does not add a second page heading').toHaveCount(1);

  // Nothing of the form can be used: no removing, moving or typing into the built-in one.
  const remove = page.getByRole('button', { name: 'Remove' });
  await expect(remove.first()).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Move up' }).first()).toBeDisabled();
  await expect(page.getByLabel('Title', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add section' })).toBeDisabled();

  await page.getByRole('button', { name: 'Make a copy' }).click();
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(`Copy of ${title}`);
  await expect(page.getByLabel('Title', { exact: true }), 'the copy can be edited').toBeEnabled();
  await expect(page.getByRole('button', { name: 'Remove' }).first()).toBeEnabled();
  await expect(page.getByText('The built-in template cannot be changed')).toHaveCount(0);
  await page.getByRole('link', { name: 'Templates' }).click();
  await expect(page.getByTestId('template-row').filter({ hasText: `Copy of ${title}` })).toHaveCount(1);
});

test('a template goes out to Excel and comes back in as a new draft, questions and scoring kept', async ({ page }) => {
  await signInAsEditor(page);
  await page.getByRole('link', { name: 'Templates' }).click();
  // The built-in baseline: its page offers the workbook.
  await page.getByRole('link', { name: /baseline/i }).first().click();
  await expect(page.getByRole('heading', { name: 'Edit template' })).toBeVisible();
  const questions = await page.getByTestId('question-editor').count();
  expect(questions, 'the baseline has questions').toBeGreaterThan(10);
  // The categories of the scored questions, in order.
  const categories = () => page.getByTestId('question-editor').getByLabel('Scoring category')
    .evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value).filter((v) => v !== ''));
  const scored = await categories();
  expect(scored.length, 'the baseline scores its questions').toBeGreaterThan(10);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download as Excel' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^template-.*\.xlsx$/);
  const workbook = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(workbook);

  await page.getByRole('link', { name: 'Templates' }).click();
  const title = `From Excel ${suffix}`;
  await page.getByLabel('Template file').setInputFiles(workbook);
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importCard = page.getByRole('region', { name: 'Import a template' });
  await expect(importCard.getByRole('status')).toContainText(`Imported "${title}" as a draft`);

  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: 'Edit template' })).toBeVisible();
  await expect(page.getByTestId('question-editor'), 'every question came back').toHaveCount(questions);
  expect(await categories(), 'each question keeps its scoring category').toEqual(scored);

  // A workbook with a bad row is refused, and the message says where.
  await page.getByRole('link', { name: 'Templates' }).click();
  await page.getByLabel('Template file').setInputFiles({ name: 'notes.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('not a workbook') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Import a template' }).getByRole('alert')).toContainText('not an Excel workbook');
});

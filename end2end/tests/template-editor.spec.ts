// Writing a questionnaire: a new template, a conditional question, the live preview that
// evaluates the condition as a vendor would answer, an invalid condition caught while
// typing, and publishing.
import { test, expect } from '@playwright/test';
import { assay } from './env';

const password = 'e2e editor passphrase 42';
const suffix = Date.now().toString(36);
const email = `ed-${suffix}@e2e.test`;

test.beforeAll(() => {
  const created = JSON.parse(assay(['org', 'create', '--name', `Editor Org ${suffix}`]));
  assay(['user', 'create', '--org', created.slug, '--email', email, '--role', 'procurement', '--name', 'Ed Editor'], password + '\n');
});

test('procurement writes a template with a conditional question, previews it and publishes it', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();

  await page.getByRole('link', { name: 'Templates' }).click();
  await page.getByRole('button', { name: 'New template' }).click();
  await expect(page.getByRole('heading', { name: 'Edit template' })).toBeVisible();
  await page.getByLabel('Title', { exact: true }).fill(`Cloud onboarding ${suffix}`);

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

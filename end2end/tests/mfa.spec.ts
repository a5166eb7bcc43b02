import { test, expect } from './fixtures';
import { assay } from './env';
import { currentStep, totp } from './totp';

const password = 'e2e mfa passphrase 1234';
const suffix = Date.now().toString(36);
const email = `mfa-${suffix}@e2e.test`;

test.beforeAll(() => {
  const org = JSON.parse(assay(['org', 'create', '--name', `MFA Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', email, '--role', 'auditor', '--name', 'Mo Factor'], password + '\n');
});

test('a user enrols in MFA, signs out, and signs in again with a code', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toContainText('Welcome, Mo Factor');

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.locator('.qr svg')).toBeVisible();
  const secret = (await page.getByTestId('mfa-secret').textContent()) ?? '';
  const step = currentStep();
  await page.getByLabel('Code from the app').fill(totp(secret, step));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await expect(page.getByText('Sign-in asks for a code')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const codeField = page.getByLabel('Authentication code');
  await expect(codeField).toBeVisible();
  await codeField.fill(totp(secret, step + 1)); // the enrolment code cannot be used again
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByTestId('welcome')).toContainText('Welcome, Mo Factor');
});

import { test, expect } from './fixtures';
import { assay, linkFragment } from './env';

const password = 'e2e admin passphrase 42';
const suffix = Date.now().toString(36);
const org = `E2E Org ${suffix}`;
const adminEmail = `admin-${suffix}@e2e.test`;

let orgSlug = '';

test.beforeAll(() => {
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  orgSlug = created.slug;
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Erin Admin'], password + '\n');
});

test('a wrong password shows a readable error and keeps the user on the sign-in page', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(adminEmail);
  await page.getByLabel('Password').fill('not the right password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('alert')).toContainText('The email address or password is not correct.');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('an admin signs in, invites a user, checks the audit log and signs out', async ({ page }) => {
  await page.goto('/users');
  await expect(page).toHaveURL(/\/sign-in$/); // protected pages send strangers to sign in

  await page.getByLabel('Email address').fill(adminEmail);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toContainText('Welcome, Erin Admin');
  // Signed in, the sign-in page has nothing to offer: it leads home instead.
  await page.goto('/sign-in');
  await expect(page.getByTestId('welcome'), 'a signed-in user opening /sign-in lands at home').toBeVisible();
  await expect(page).toHaveURL(/\/$/);

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Email address').fill(`pat-${suffix}@e2e.test`);
  await page.getByLabel('Name').fill('Pat Procurement');
  await page.getByLabel('Role', { exact: true }).selectOption('procurement');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation for' })).toContainText(`Invitation for pat-${suffix}@e2e.test recorded`);
  const row = page.getByTestId('user-row').filter({ hasText: `pat-${suffix}@e2e.test` });
  await expect(row).toContainText('Invited');
  // Without SMTP the invitation waits in the outbox: the Admin sees to whom and its status,
  // never its text (the personal link in it is for Pat alone).
  await expect(page.getByTestId('outbox')).toContainText(`pat-${suffix}@e2e.test`);
  await expect(page.getByTestId('outbox')).toContainText('You are invited to');
  await expect(page.getByTestId('outbox')).not.toContainText('#token=');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-row').first()).toContainText('User invited');
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('The log is intact');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('an admin sends a forgotten-password link; the user sets a new password with it and signs in', async ({ page }) => {
  const forgetful = `fay-${suffix}@e2e.test`;
  assay(['user', 'create', '--org', orgSlug, '--email', forgetful, '--role', 'auditor', '--name', 'Fay Forgetful'], 'fays first passphrase\n');

  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(adminEmail);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.goto('/users');
  const send = page.getByRole('button', { name: `Send password link to ${forgetful}` });
  await send.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'new password' })).toContainText(`on its way to ${forgetful}`);
  await expect(page.getByTestId('outbox')).toContainText('Set a new password');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.goto(`/invitation${linkFragment(forgetful, 'invitation')}`);
  await page.getByLabel('New password').fill('fays brand new passphrase');
  await page.getByLabel('Repeat the password').fill('fays brand new passphrase');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is set');
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await page.getByLabel('Email address').fill(forgetful);
  await page.getByLabel('Password').fill('fays brand new passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toContainText('Welcome, Fay Forgetful');
});

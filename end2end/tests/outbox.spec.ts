// The Admin's email outbox pages through everything Assay sent, newest first: 55
// invitations make two pages, and the pager moves between them by mouse and keyboard.
import { test, expect } from './fixtures';
import { assay } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e outbox passphrase 42';
const suffix = Date.now().toString(36);
const adminEmail = `olga-${suffix}@e2e.test`;
const invitee = (n: number) => `invitee-${String(n).padStart(2, '0')}-${suffix}@e2e.test`;

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  // An organisation of its own, so its outbox holds exactly the 55 invitations made here.
  const org = JSON.parse(assay(['org', 'create', '--name', `Outbox Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Olga Admin'], password + '\n');
  const admin = await apiSession(baseURL, adminEmail, password);
  for (let n = 1; n <= 55; n++) {
    const invited = await admin.post('/api/users', { data: {
      email: invitee(n), display_name: `Invitee ${n}`, role: 'auditor',
    } });
    expect(invited.status(), `invitation ${n} is recorded`).toBe(201);
  }
  await admin.dispose();
});

test('the outbox pages through 55 invitations, newest first', async ({ page }) => {
  await signIn(page, adminEmail, password);
  await page.goto('/users');
  const outbox = page.getByTestId('outbox');
  const mails = outbox.locator('li');
  const pager = page.getByRole('navigation', { name: 'Outbox pages' });
  const next = pager.getByRole('button', { name: 'Next page' });
  const previous = pager.getByRole('button', { name: 'Previous page' });

  await expect(page.getByText('55 emails, newest first.')).toBeVisible();
  await expect(mails).toHaveCount(50);
  await expect(mails.first()).toContainText(invitee(55));
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 1 of 2');
  await expect(previous).toBeDisabled();

  await next.click();
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 2 of 2');
  await expect(mails).toHaveCount(5);
  await expect(mails.first()).toContainText(invitee(5));
  await expect(mails.last()).toContainText(invitee(1));
  // Next is disabled on the last page and the focus moves to Previous; Enter goes back.
  await expect(next).toBeDisabled();
  await expect(previous).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 1 of 2');
  await expect(mails.first()).toContainText(invitee(55));
});

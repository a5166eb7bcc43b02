// Single sign-on in the browser: an Admin sets up the organisation's OpenID provider on the
// Users page, then a colleague signs in through the provider's own login and consent pages
// (a real oidc-provider on 127.0.0.1, started from server/tests/oidc) and lands signed in,
// created with the role the provider's claim maps to. A refused sign-in comes back to the
// sign-in page with a readable reason.
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

import { test, expect } from './fixtures';
import { assay } from './env';
import { signIn } from './session';

const password = 'e2e sso admin passphrase 42';
const suffix = Date.now().toString(36);
const org = `E2E SSO ${suffix}`;
const adminEmail = `admin-sso-${suffix}@e2e.test`;
const secret = `e2e-provider-secret-${suffix}`;
const domain = `sso-${suffix}.e2e.test`;
let slug = '';
let provider: ChildProcess | undefined;
let issuer = '';

/** Starts the test provider; resolves with the issuer it prints once listening. */
function startProvider(config: object): Promise<string> {
  const script = path.join(__dirname, '..', '..', 'server', 'tests', 'oidc', 'provider.mjs');
  provider = spawn('node', [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    provider!.once('error', reject);
    provider!.once('exit', (code) => reject(new Error(`the provider exited with ${code}`)));
    readline.createInterface({ input: provider!.stdout! }).once('line', (line) => resolve(JSON.parse(line).issuer));
  });
}

test.beforeAll(async ({ baseURL }) => {
  const created = JSON.parse(assay(['org', 'create', '--name', org]));
  slug = created.slug;
  assay(['user', 'create', '--org', slug, '--email', adminEmail, '--role', 'admin', '--name', 'Sam Admin'], password + '\n');
  issuer = await startProvider({
    port: 0,
    clients: [{ client_id: 'assay-e2e', client_secret: secret, redirect_uris: [`${baseURL}/api/auth/oidc/callback`] }],
    accounts: [
      { login: 'rita', email: `rita@${domain}`, name: 'Rita Risk', claims: { groups: ['risk'] } },
      { login: 'mallory', email: 'mallory@elsewhere.e2e.test' },
    ],
  });
});

test.afterAll(() => {
  provider?.kill();
});

/** The provider's own pages: its login form, then its consent page. */
async function throughProvider(page: import('@playwright/test').Page, login: string) {
  await expect(page.getByRole('button', { name: 'Sign-in' })).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an admin sets up single sign-on and a colleague signs in through the provider with the mapped role', async ({ page, browser, baseURL }) => {
  await signIn(page, adminEmail, password);
  await page.getByRole('link', { name: 'Users' }).click();
  const card = page.getByTestId('sso-settings');
  await expect(card.getByTestId('sso-status')).toHaveText('Off: not set up.');
  // The form is downloaded when asked for; keyboard focus goes to its first control.
  await card.getByRole('button', { name: 'Change single sign-on settings' }).click();
  await expect(card.getByLabel('Allow signing in with single sign-on')).toBeFocused();
  await expect(card.getByTestId('sso-redirect-uri')).toHaveText(`${baseURL}/api/auth/oidc/callback`);
  await card.getByLabel('Allow signing in with single sign-on').check();
  await card.getByLabel('Issuer URL').fill('http://idp.e2e.test');
  await card.getByLabel('Client id').fill('assay-e2e');
  await card.getByLabel('Client secret').fill(secret);
  await card.getByLabel('Allowed email domains').fill(domain);
  await card.getByLabel('Role claim').fill('groups');
  await card.getByRole('button', { name: 'Add a mapping' }).click();
  const row = card.getByTestId('sso-mapping-row').first();
  await row.getByLabel('Claim value').fill('risk');
  await row.getByLabel('Role').selectOption({ label: 'Risk manager' });
  await card.getByRole('button', { name: 'Save single sign-on' }).click();
  // A plain-http issuer off this machine is refused, the reason beside the field.
  await expect(card.getByTestId('field-error')).toContainText('https://');
  await card.getByLabel('Issuer URL').fill(issuer);
  await card.getByRole('button', { name: 'Save single sign-on' }).click();
  await expect(card.getByTestId('outcome')).toContainText('Single sign-on settings saved.');
  await expect(card).toContainText('A secret is stored');
  await page.reload();
  await expect(card.getByTestId('sso-status'), 'the card says it is on, and how').toHaveText(/^On: people sign in through http\S+ or with their password\.$/);

  const colleague = await browser.newContext({ baseURL });
  const tab = await colleague.newPage();
  await tab.goto('/sign-in');
  await tab.getByLabel('Organisation').fill(slug);
  await tab.getByRole('button', { name: 'Continue with single sign-on' }).click();
  await throughProvider(tab, 'rita');
  await expect(tab.getByTestId('welcome')).toBeVisible();
  const me = await (await tab.request.get('/api/auth/me')).json();
  expect(me.user.email).toBe(`rita@${domain}`);
  expect(me.user.role).toBe('risk_manager');

  // Someone whose domain is not allowed comes back to the sign-in page, told why.
  const stranger = await browser.newContext({ baseURL });
  const other = await stranger.newPage();
  await other.goto('/sign-in');
  await other.getByLabel('Organisation').fill(slug);
  await other.getByRole('button', { name: 'Continue with single sign-on' }).click();
  await throughProvider(other, 'mallory');
  await expect(other.getByTestId('sso-error')).toContainText('domain is not allowed');
  await expect(other).toHaveURL(/\/sign-in\?sso_error=domain_not_allowed/);
  await colleague.close();
  await stranger.close();
});

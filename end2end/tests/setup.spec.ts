// First run: a new installation has no organisation, `assay serve` prints a one-time setup
// link, and whoever opens it creates the organisation and its Admin and lands signed in.
//
// The shared server of the other specs already has their organisations, so this spec starts
// its own `assay serve` on a fresh data directory and reads the link from its standard
// output, as an operator reads it in the terminal.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, expect } from './fixtures';
import { binary, freePort } from './env';

let server: ChildProcess | undefined;
let origin = '';
let setupLink = '';

/** The setup link the server prints on standard output once it is ready. */
function printedLink(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no setup link within 60 s; stdout: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const link = out.match(/Open (http\S+\/setup\?token=\S+) to create/);
      if (link) {
        clearTimeout(timer);
        resolve(link[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`assay serve exited (${code}) before printing the link; stdout: ${out}`));
    });
  });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-setup-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ASSAY_DATA_DIR: dataDir, ASSAY_PUBLIC_URL: origin, RUST_LOG: 'warn' };
  delete env.ASSAY_DATABASE_URL;
  server = spawn(binary, ['serve', '--bind', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  setupLink = await printedLink(server);
});

test.afterAll(() => {
  server?.kill();
});

test('a new installation points from sign-in to the setup link, and /setup without it says where to find it', async ({ page }) => {
  await page.goto(`${origin}/sign-in`);
  await expect(page.getByTestId('setup-hint')).toContainText('no organisation yet');
  await expect(page.getByTestId('setup-hint')).toContainText('assay serve');

  await page.goto(`${origin}/setup`);
  await expect(page.getByTestId('setup-link-needed')).toContainText('the setup link that assay serve printed');
  await expect(page.getByLabel('Organisation name')).toHaveCount(0);
});

test('a wrong token is refused with a message naming the printed link', async ({ page }) => {
  await page.goto(`${origin}/setup?token=not-the-printed-one`);
  await page.getByLabel('Organisation name').fill('Mallory Ltd');
  await page.getByLabel('Your name').fill('Mallory');
  await page.getByLabel('Your email address').fill('mallory@e2e.test');
  await page.getByLabel('Password', { exact: true }).fill('violet kettle harbour lantern');
  await page.getByLabel('Repeat the password').fill('violet kettle harbour lantern');
  await page.getByRole('button', { name: 'Create organisation' }).click();

  await expect(page.getByRole('alert')).toContainText('Open the newest setup link printed by assay serve');
  await expect(page).toHaveURL(/\/setup\?token=/);
});

test('with the printed link, a keyboard-only user on a 390 px phone creates the organisation and lands signed in at home', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(setupLink);
  await expect(page.getByRole('heading', { name: 'Set up Assay' })).toBeVisible();
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(width[0], 'no sideways scrolling at 390 px').toBeLessThanOrEqual(width[1]);

  await page.getByLabel('Organisation name').focus();
  await page.keyboard.type('First Run Insurance');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type('Sam Setup');
  await page.keyboard.press('Tab');
  await page.keyboard.type('sam@e2e.test');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type('too short');
  await page.keyboard.press('Tab');
  await page.keyboard.type('too short');
  await page.keyboard.press('Enter');

  // The server's rule, shown under the field it is about.
  await expect(page.locator('#setup-password-error')).toContainText('at least 12 characters');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Password', { exact: true }).focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('violet kettle harbour lantern');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('violet kettle harbour lantern');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(`${origin}/`);
  await expect(page.getByTestId('welcome')).toContainText('Welcome, Sam Setup');
  await expect(page.getByTestId('welcome')).toContainText('First Run Insurance');
  await expect(page.getByTestId('welcome')).toContainText('Admin');
});

test('the new Admin is led from home to a sent questionnaire without the command line', async ({ page }) => {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email address').fill('sam@e2e.test');
  await page.getByLabel('Password').fill('violet kettle harbour lantern');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const steps = page.getByTestId('first-steps');
  await expect(steps, 'an organisation without vendors is shown where to start').toBeVisible();
  await expect(steps.getByRole('link', { name: 'Invite your colleagues' })).toBeVisible();

  await steps.getByRole('link', { name: 'Register your first vendor' }).click();
  await page.getByLabel('Legal name').fill('First Vendor GmbH');
  await page.getByLabel('Services outsourced').fill('Claims document scanning');
  await page.getByLabel('Personal data').check();
  await page.getByLabel('Access to our systems').selectOption('read_only');
  await page.getByLabel('Business criticality').selectOption('high');
  await page.getByLabel('Contact name').fill('Fiona First');
  await page.getByLabel('Contact email').fill('fiona@first-vendor.test');
  await page.getByRole('button', { name: 'Register vendor' }).click();
  await expect(page.getByTestId('vendor-name')).toHaveText('First Vendor GmbH');

  await expect(page.getByLabel('Questionnaire', { exact: true })).toContainText('Assay Baseline');
  await page.getByLabel('Due date').fill('2099-06-30');
  await page.getByRole('button', { name: 'Send questionnaire' }).click();
  await expect(page.getByTestId('assessment-status')).toContainText('Sent');
  await expect(page.getByTestId('invitation-row')).toContainText('fiona@first-vendor.test');

  await page.goto(`${origin}/`);
  await expect(page.getByTestId('task-overdue_answers')).toBeVisible();
  await expect(page.getByTestId('first-steps'), 'with a vendor registered, the first steps are done').toHaveCount(0);
});

test('once set up, the link only says so and sign-in no longer shows the hint', async ({ page }) => {
  await page.goto(setupLink);
  await expect(page.getByTestId('already-set-up')).toContainText('Assay is already set up');
  await expect(page.getByLabel('Organisation name')).toHaveCount(0);

  await page.goto(`${origin}/sign-in`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const status = await page.request.get(`${origin}/api/setup`);
  expect(await status.json()).toEqual({ needed: false });
  await expect(page.getByTestId('setup-hint')).toHaveCount(0);
});

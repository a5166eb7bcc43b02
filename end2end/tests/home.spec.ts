import { test, expect } from './fixtures';

test('the overview page renders from wasm with the live server version and database', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // The anonymous "who am I?" check answers 401 by design; anything else is a problem.
    if (msg.type() === 'error' && !msg.text().includes('status of 401')) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const health = await (await request.get('/api/health')).json();

  await page.goto('/');

  await expect(page.getByRole('heading', { level: 1, name: 'Vendor due diligence' })).toBeVisible();
  await expect(page.getByTestId('server-version')).toHaveText(health.version);
  await expect(page.getByTestId('server-database')).toHaveText('SQLite (embedded)');
  await expect(page).toHaveTitle('Overview · Assay');
  expect(problems, 'no console errors (e.g. CSP violations)').toEqual([]);
});

test('a client-side route that does not exist shows the app’s own not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');

  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vendor due diligence' })).toBeVisible();
});

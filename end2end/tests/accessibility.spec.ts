// Every page passes axe-core's WCAG 2.1 A and AA checks with no serious or critical
// violation: signed out (home, sign-in, an invitation, the first-run setup), every
// signed-in page with data in place, on a laptop and on a phone with the menu open, and the
// vendor portal. A failure lists each rule, its impact and the first elements it found.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, Page } from './fixtures';
import { portalFragment } from './env';
import { EveryPage, seedEveryPage, settled } from './every-page';
import { signIn } from './session';

let seeded: EveryPage;

test.beforeAll(async ({}, info) => {
  seeded = await seedEveryPage(info.project.use.baseURL as string, 'axe');
});

async function expectAccessible(page: Page, where: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect.soft(serious, `${where}: serious or critical accessibility violations`).toEqual([]);
}

test('signed-out pages pass axe', async ({ page }) => {
  for (const path of ['/', '/sign-in', '/invitation#token=not-a-real-token', '/setup', '/no/such/page', '/verify-pack']) {
    await page.goto(path);
    await settled(page);
    await expectAccessible(page, path);
  }
});

test('every signed-in page passes axe at 1280 px', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, seeded.adminEmail, seeded.password);
  for (const path of seeded.paths) {
    await page.goto(path);
    await settled(page);
    await expectAccessible(page, path);
  }
});

test('every signed-in page passes axe at 390 px with the menu open', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, seeded.adminEmail, seeded.password);
  const menu = page.getByRole('button', { name: 'Menu' });
  for (const path of seeded.paths) {
    await page.goto(path);
    await settled(page);
    await menu.click();
    await expect(menu, path).toHaveAttribute('aria-expanded', 'true');
    await expectAccessible(page, `${path} at 390 px, menu open`);
  }
});

test('the vendor portal passes axe', async ({ page }) => {
  await page.goto(`/portal${portalFragment(seeded.sentContact)}`);
  await expect(page.getByText('Is customer data encrypted at rest?')).toBeVisible();
  await settled(page);
  await expectAccessible(page, '/portal');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, '/portal at 390 px');
  // The vendor's pages outside the portal bundle, on the same session.
  for (const path of ['/vendor-answers', '/vendor-register']) {
    await page.goto(path);
    await expect(page.getByRole('heading').first()).toBeVisible();
    await settled(page);
    await expectAccessible(page, `${path} at 390 px`);
  }
});

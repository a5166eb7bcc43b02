// Every page on a phone (390×844): nothing scrolls sideways, and the menu button opens and
// closes the navigation, by mouse and by keyboard. On a laptop (1280×800) the Admin's
// header, the longest there is, fits with "Sign out" in view. The data every page needs
// is made through the API (see every-page.ts).
import { test, expect, Page } from './fixtures';
import { portalFragment } from './env';
import { EveryPage, seedEveryPage, settled } from './every-page';
import { signIn } from './session';

let seeded: EveryPage;

test.beforeAll(async ({}, info) => {
  seeded = await seedEveryPage(info.project.use.baseURL as string, 'responsive');
});

async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string }> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    // Name the element reaching furthest right, so a failure says where to look.
    let widest = '';
    let right = 0;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > right && r.width > 0) {
        right = r.right;
        widest = `${el.tagName.toLowerCase()}.${(el as HTMLElement).className} (${Math.round(r.right)} px)`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, widest };
  });
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const m = await horizontalOverflow(page);
  expect.soft(m.scrollWidth, `${where}: page is ${m.scrollWidth} px wide in a ${m.innerWidth} px window; widest: ${m.widest}`)
    .toBeLessThanOrEqual(m.innerWidth);
}

test('every page fits a 390 px phone without sideways scrolling, with a working menu button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/sign-in');
  await settled(page);
  await expectNoSidewaysScroll(page, '/sign-in');
  await signIn(page, seeded.adminEmail, seeded.password);
  const pages = seeded.paths;
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const path of pages) {
    await page.goto(path);
    await settled(page);
    await expectNoSidewaysScroll(page, path);

    // Folded behind the button until asked for.
    await expect(menu, path).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Vendors' }), path).toBeHidden();
    await menu.click();
    await expect(menu, path).toHaveAttribute('aria-expanded', 'true');
    await expect(nav.getByRole('link', { name: 'Audit log' }), path).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out' }), path).toBeVisible();
    await expectNoSidewaysScroll(page, `${path} with the menu open`);
    await menu.click();
    await expect(menu, path).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Audit log' }), path).toBeHidden();
  }

  // By keyboard: Enter opens, the links are reachable with Tab, Escape closes and gives
  // the focus back to the button; following a link folds the menu again.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await page.keyboard.press('Space');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name: 'Vendors' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vendors' })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  // The vendor portal, as the vendor opens it from the email.
  await page.goto(`/portal${portalFragment(seeded.sentContact)}`);
  await expect(page.getByText('Is customer data encrypted at rest?')).toBeVisible();
  await settled(page);
  await expectNoSidewaysScroll(page, '/portal');
});

test('at 1280 px the Admin header fits: every link and Sign out in view, nothing overflowing', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, seeded.adminEmail, seeded.password);
  await page.goto('/dashboard');
  await settled(page);

  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  const signOut = page.getByRole('button', { name: 'Sign out' });
  await expect(signOut).toBeInViewport({ ratio: 1 });
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await expect(links).toHaveCount(12);
  for (const link of await links.all()) {
    await expect(link).toBeInViewport({ ratio: 1 });
  }
  const header = await page.locator('header.topbar').evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(header.scrollWidth, 'the header does not overflow').toBeLessThanOrEqual(header.clientWidth);
  await expectNoSidewaysScroll(page, '/dashboard at 1280 px');
});

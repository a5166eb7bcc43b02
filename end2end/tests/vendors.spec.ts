// The vendor register in the browser: paging through 60 vendors with the pager (mouse and
// keyboard), and keeping one vendor up to date: its details and owner, contacts,
// archiving and restoring it, and contract terms saved in place. Vendors are seeded
// through the API; everything checked happens in the UI.
import { test, expect } from './fixtures';
import { assay } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e vendors passphrase 42';
const suffix = Date.now().toString(36);
const proEmail = `pia-${suffix}@e2e.test`;
const ownerEmail = `owen-${suffix}@e2e.test`;
const pagerProEmail = `paula-${suffix}@e2e.test`;



/** Two-digit numbers, so the names sort as they are numbered. */
const pagerName = (n: number) => `Pager Vendor ${String(n).padStart(2, '0')} ${suffix}`;

test.beforeAll(async ({}, info) => {
  const baseURL = info.project.use.baseURL as string;
  // The pager gets an organisation of its own, so it holds exactly the 60 vendors made here.
  const pagerOrg = JSON.parse(assay(['org', 'create', '--name', `Pager Org ${suffix}`]));
  assay(['user', 'create', '--org', pagerOrg.slug, '--email', pagerProEmail, '--role', 'procurement', '--name', 'Paula Pager'], password + '\n');
  const org = JSON.parse(assay(['org', 'create', '--name', `Vendor Upkeep Org ${suffix}`]));
  assay(['user', 'create', '--org', org.slug, '--email', proEmail, '--role', 'procurement', '--name', 'Pia Procurement'], password + '\n');
  assay(['user', 'create', '--org', org.slug, '--email', ownerEmail, '--role', 'risk_manager', '--name', 'Owen Owner'], password + '\n');

  const pager = await apiSession(baseURL, pagerProEmail, password);
  for (let n = 1; n <= 60; n++) {
    const created = await pager.post('/api/vendors', { data: {
      legal_name: pagerName(n), system_access: 'none', criticality: 'low',
    } });
    expect(created.status(), `vendor ${n} is created`).toBe(201);
  }
  await pager.dispose();
});

test('the vendor list pages forward and back through 60 vendors', async ({ page }) => {
  await signIn(page, pagerProEmail, password);
  await page.goto('/vendors');
  const rows = page.getByTestId('vendor-row');
  const pager = page.getByRole('navigation', { name: 'Vendor list pages' });
  const previous = pager.getByRole('button', { name: 'Previous page' });
  const next = pager.getByRole('button', { name: 'Next page' });

  await expect(page.getByTestId('vendor-count')).toHaveText('60 vendor(s)');
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(pagerName(1));
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 1 of 3');
  await expect(previous).toBeDisabled();
  await expect(next).toBeEnabled();

  await next.click();
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 2 of 3');
  await expect(rows.first()).toContainText(pagerName(26));
  await expect(rows).toHaveCount(25);
  await expect(previous).toBeEnabled();

  // The keyboard: Next is still focused after the click; Enter goes to the last page,
  // where Next is disabled and the focus moves to Previous.
  await expect(next).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 3 of 3');
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText(pagerName(51));
  await expect(rows.last()).toContainText(pagerName(60));
  await expect(next).toBeDisabled();
  await expect(previous).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 2 of 3');
  await expect(rows.first()).toContainText(pagerName(26));
  await previous.click();
  await expect(pager.getByTestId('pager-status')).toHaveText('Page 1 of 3');
  await expect(rows.first()).toContainText(pagerName(1));
  await expect(previous).toBeDisabled();

  // What the old pager printed instead of a button: the view's own source text.
  const text = await page.locator('main').innerText();
  for (const source of ['on:click', 'page.update', '= pages', '=>', 'move |']) {
    expect(text, `no source code ("${source}") on the page`).not.toContain(source);
  }
});

test('procurement edits a vendor, changes its owner and contacts, archives and restores it, and saves contract terms in place', async ({ page }, info) => {
  const baseURL = info.project.use.baseURL as string;
  const pro = await apiSession(baseURL, proEmail, password);
  const created = await pro.post('/api/vendors', { data: {
    legal_name: `Upkeep Ltd ${suffix}`, system_access: 'read_only', criticality: 'medium',
    contacts: [{ name: 'Vera Vendor', email: `vera-${suffix}@vendor.test`, role: 'Security lead' }],
  } });
  expect(created.status()).toBe(201);
  const vendor = await created.json();
  await pro.dispose();

  await signIn(page, proEmail, password);
  await page.goto(`/vendors/${vendor.id}`);
  await expect(page.getByTestId('vendor-name')).toHaveText(`Upkeep Ltd ${suffix}`);
  // Registered without an owner: whoever registered it owns it.
  await expect(page.getByTestId('vendor-owner')).toHaveText('Pia Procurement');

  // Edit the profile; a refused website is explained beside the field.
  await page.getByRole('button', { name: 'Edit details' }).click();
  const form = page.getByTestId('vendor-edit-form');
  await form.getByLabel('Legal name').fill(`Upkeep Holdings ${suffix}`);
  await form.getByLabel('Website').fill('ftp://upkeep.example');
  await form.getByLabel('Tags (comma-separated, e.g. payroll, EU)').fill('payroll, eu');
  // Countries come from the ISO list: a name, a code or a common name, each by Enter or by
  // leaving the box; a name that is no country says so and adds nothing.
  const countries = form.getByTestId('edit-countries-picker');
  const addCountry = countries.getByLabel('Add a country');
  await addCountry.fill('Germany');
  await addCountry.press('Enter');
  await addCountry.fill('ie');
  await addCountry.press('Enter');
  await addCountry.fill('Atlantis');
  await addCountry.press('Enter');
  await expect(countries.getByRole('alert')).toContainText('No country is called “Atlantis”');
  await addCountry.fill('France');
  await addCountry.press('Enter');
  await countries.getByRole('button', { name: 'Remove France' }).click();
  await addCountry.fill('United States');
  await addCountry.press('Tab');
  await expect(countries.getByRole('listitem')).toHaveText([/Germany/, /Ireland/, /United States of America/]);
  await form.getByLabel('Business criticality').selectOption('high');
  await form.getByLabel('Owner').selectOption({ label: 'Owen Owner (Risk manager)' });
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(form.getByLabel('Website')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('field-error')).toContainText('https://');
  await form.getByLabel('Website').fill('https://upkeep.example');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('vendor-notice')).toContainText('Vendor details saved.');
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('vendor-name')).toHaveText(`Upkeep Holdings ${suffix}`);
  await expect(page.getByTestId('vendor-owner')).toHaveText('Owen Owner');
  await expect(page.getByTestId('vendor-tags')).toHaveText('payroll, eu');
  await expect(page.getByTestId('vendor-countries'), 'countries by name, whether typed as names or codes')
    .toHaveText('Germany, Ireland, United States of America');
  await expect(page.getByRole('link', { name: 'https://upkeep.example' })).toBeVisible();

  // Contacts: add one, correct it, remove the first.
  const contacts = page.getByRole('region', { name: 'Contacts' });
  await contacts.getByRole('button', { name: 'Add a contact' }).click();
  await contacts.getByLabel('Name').fill('Carl Contact');
  await contacts.getByLabel('Email').fill(`carl-${suffix}@vendor.test`);
  await contacts.getByLabel('Role (optional)').fill('DPO');
  await contacts.getByRole('button', { name: 'Add contact' }).click();
  await expect(contacts.getByRole('status')).toHaveText('Contact added.');
  await expect(contacts.getByTestId('contact')).toHaveCount(2);
  await expect(contacts.getByTestId('contact').filter({ hasText: 'Carl Contact' })).toContainText('DPO');
  await contacts.getByRole('button', { name: 'Edit Carl Contact' }).click();
  await contacts.getByLabel('Role (optional)').fill('Data protection officer');
  await contacts.getByRole('button', { name: 'Save contact' }).click();
  await expect(contacts.getByRole('status')).toHaveText('Contact saved.');
  await expect(contacts.getByTestId('contact').filter({ hasText: 'Carl Contact' })).toContainText('Data protection officer');
  await contacts.getByRole('button', { name: 'Remove Vera Vendor' }).click();
  await expect(contacts.getByRole('status')).toHaveText('Contact removed.');
  await expect(contacts.getByTestId('contact')).toHaveCount(1);
  await expect(contacts).not.toContainText('Vera Vendor');

  // Archive (asked first), find it among the archived vendors, restore it.
  await page.getByRole('button', { name: 'Archive vendor' }).click();
  await page.getByRole('group', { name: 'Confirm archiving' }).getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByTestId('vendor-status')).toHaveText('Archived');
  await page.goto('/vendors');
  // It was the organisation's only vendor: the active list is empty now.
  await expect(page.getByText('No vendors match.')).toBeVisible();
  await expect(page.getByRole('link', { name: `Upkeep Holdings ${suffix}` })).toHaveCount(0);
  await page.getByLabel('Status').selectOption({ label: 'Archived' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('link', { name: `Upkeep Holdings ${suffix}` }).click();
  await expect(page.getByTestId('vendor-status')).toHaveText('Archived');
  await page.getByRole('button', { name: 'Restore vendor' }).click();
  await expect(page.getByTestId('vendor-notice')).toContainText('restored');
  await expect(page.getByTestId('vendor-status')).toHaveCount(0);

  // Contract terms: a bad number is explained under its field; a good save says "Saved"
  // beside the button without reloading the page or jumping to the top.
  const terms = page.getByRole('region', { name: 'Contract terms' });
  await expect(terms.getByTestId('contract-version')).toHaveText('No terms recorded yet.');
  const hours = terms.getByLabel('Breach notification within (hours)');
  await hours.fill('three days');
  await terms.getByRole('button', { name: 'Save contract terms' }).click();
  await expect(hours).toHaveAttribute('aria-invalid', 'true');
  await expect(terms.getByTestId('field-error')).toContainText('number');
  await hours.fill('48');
  const insurance = terms.getByLabel('Minimum cyber-insurance cover');
  await insurance.fill('5,000,000');
  await terms.getByLabel('Right to audit').selectOption('yes');
  await terms.getByRole('button', { name: 'Save contract terms' }).click();
  // An amount needs its currency: the message sits under the amount.
  await expect(insurance).toHaveAttribute('aria-invalid', 'true');
  await expect(terms.getByTestId('field-error')).toContainText('currency');
  await insurance.fill('EUR 5,000,000');
  await terms.getByLabel('Availability (SLA, %)').fill('99.9');
  await terms.getByLabel('Right to object to a new subprocessor').selectOption('yes');
  await terms.getByLabel('Governing law (country)').fill('Germany');
  // A notice date after the renewal cannot be: refused under the notice date.
  await terms.getByLabel('Renewal date').fill('2027-09-30');
  const notice = terms.getByLabel('Last day to give notice');
  await notice.fill('2027-10-31');
  await terms.getByRole('button', { name: 'Save contract terms' }).click();
  await expect(notice).toHaveAttribute('aria-invalid', 'true');
  await expect(terms.getByTestId('field-error')).toContainText('after the renewal date');
  await notice.fill('2027-06-30');
  const marker = await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
    return window.scrollY;
  });
  expect(marker, 'the contract form is below the fold').toBeGreaterThan(0);
  await terms.getByRole('button', { name: 'Save contract terms' }).click();
  await expect(terms.getByTestId('contract-saved')).toHaveText('Saved');
  await expect(terms.getByTestId('field-error')).toHaveCount(0);
  await expect(terms.getByTestId('contract-version')).toContainText('Version 1, saved by');
  const after = await page.evaluate(() => ({
    notReloaded: (window as unknown as { notReloaded?: boolean }).notReloaded === true,
    scrollY: window.scrollY,
  }));
  expect(after.notReloaded, 'the page was not reloaded').toBe(true);
  expect(Math.abs(after.scrollY - marker), 'the page did not jump').toBeLessThan(5);
  await expect(terms.getByRole('button', { name: 'Save contract terms' })).toBeInViewport();
  // Typing again clears the confirmation until the next save.
  await hours.fill('24');
  await expect(terms.getByTestId('contract-saved')).toHaveText('');

  // Everything above was saved, not only shown.
  await page.reload();
  await expect(page.getByTestId('vendor-name')).toHaveText(`Upkeep Holdings ${suffix}`);
  await expect(page.getByTestId('vendor-owner')).toHaveText('Owen Owner');
  await expect(page.getByRole('region', { name: 'Contacts' }).getByTestId('contact')).toHaveCount(1);
  await expect(terms.getByLabel('Breach notification within (hours)')).toHaveValue('48');
  await expect(terms.getByLabel('Minimum cyber-insurance cover')).toHaveValue('5,000,000 EUR');
  await expect(terms.getByLabel('Availability (SLA, %)')).toHaveValue('99.9');
  await expect(terms.getByLabel('Governing law (country)'), 'shown by name').toHaveValue('Germany');
  await expect(terms.getByLabel('Last day to give notice')).toHaveValue('2027-06-30');
  await expect(terms.getByLabel('Right to audit')).toHaveValue('yes');
});

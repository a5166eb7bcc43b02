// An organisation with something on every page, for the tests that visit them all (phone
// layout, accessibility): an Admin with long names, a vendor with a long legal name, a
// scored template, a submitted assessment and one still with the vendor. Made through the
// API; each call makes a new organisation, so specs do not see each other's data.
import { expect, Page } from '@playwright/test';
import { assay, portalFragment } from './env';
import { apiSession } from './session';

export interface EveryPage {
  adminEmail: string;
  password: string;
  vendorId: string;
  templateId: string;
  submittedId: string;
  sentId: string;
  /** The contact of the assessment still with the vendor (their portal link works). */
  sentContact: string;
  /** Every signed-in page, with the data in place. */
  paths: string[];
}

export async function seedEveryPage(baseURL: string, label: string): Promise<EveryPage> {
  const password = `e2e ${label} passphrase 42`;
  const suffix = `${label}-${Date.now().toString(36)}`;
  const adminEmail = `ada-${suffix}@e2e.test`;
  const submittedContact = `sam-${suffix}@vendor.test`;
  const sentContact = `sid-${suffix}@vendor.test`;
  const template = (title: string) => JSON.stringify({
    title,
    items: [{ type: 'section', id: 's', title: 'Controls', items: [
      { type: 'question', id: 'enc_rest', text: 'Is customer data encrypted at rest?', kind: { kind: 'yes_no' }, required: true, na_allowed: false },
      { type: 'question', id: 'brn_hours', text: 'Within how many hours do you notify a breach?', kind: { kind: 'duration_hours' }, required: true, na_allowed: false },
    ] }],
    scoring: {
      questions: {
        enc_rest: { category: 'encryption', weight: 1, rule: { rule: 'yes_no', yes: 1.0, no: 0.0 } },
        brn_hours: { category: 'breach_notification', weight: 1, rule: { rule: 'at_most_bands', bands: [[24, 1.0], [72, 0.7]], otherwise: 0.0 } },
      },
      knock_outs: [],
      contract_checks: [{ question_id: 'brn_hours', threshold: 'contract_breach_notification_hours', at_most: true, title: 'Breach notification slower than the contract requires' }],
    },
  });

  // A long organisation and user name: the header must cope with real ones.
  const created = JSON.parse(assay(['org', 'create', '--name', `Responsive Holdings International ${suffix}`]));
  assay(['user', 'create', '--org', created.slug, '--email', adminEmail, '--role', 'admin', '--name', 'Adelheid Administrator-Longname'], password + '\n');

  const admin = await apiSession(baseURL, adminEmail, password);
  const vendor = await (await admin.post('/api/vendors', { data: {
    legal_name: `Narrow Screens Incorporated With A Long Legal Name ${suffix}`, system_access: 'read_write', criticality: 'high',
    data_types: ['personal', 'payment'], countries: ['DE', 'IE'], tags: ['payroll', 'eu'],
    services: 'Payroll processing, payslip hosting and a very-long-unbroken-word-like-supercalifragilisticexpialidocious-service',
    contacts: [
      { name: 'Sam Submitter', email: submittedContact },
      { name: 'Sid Sender', email: sentContact },
    ],
  } })).json();
  const vendorId = vendor.id as string;
  expect((await admin.put(`/api/vendors/${vendorId}/contract`, { data: { breach_notification_hours: 72 } })).ok()).toBeTruthy();
  const publish = async (title: string) => {
    const imported = await admin.post('/api/templates', { data: { content: template(title), format: 'json' } });
    expect(imported.status()).toBe(201);
    const id = (await imported.json()).id as string;
    expect((await admin.post(`/api/templates/${id}/publish`, { data: {} })).ok()).toBeTruthy();
    return id;
  };
  const templateId = await publish(`Phone-sized review ${suffix}`);
  // A vendor has one open assessment of a questionnaire at a time: the one still with the
  // vendor is of a second questionnaire.
  const followUpId = await publish(`Phone-sized follow-up ${suffix}`);

  const send = async (email: string, name: string, template_id: string) => {
    const sent = await admin.post('/api/assessments', { data: {
      vendor_id: vendorId, template_id, due_date: '2099-06-30', recipients: [{ name, email }],
    } });
    expect(sent.status(), 'the assessment is sent').toBe(201);
    return (await sent.json()).id as string;
  };
  const submittedId = await send(submittedContact, 'Sam Submitter', templateId);
  const token = portalFragment(submittedContact).slice('#token='.length);
  const vendorApi = await apiSession(baseURL);
  expect((await vendorApi.post('/api/portal/session', { data: { token } })).status()).toBe(204);
  for (const [q, value] of [['enc_rest', 'yes'], ['brn_hours', '96']]) {
    expect((await vendorApi.put(`/api/portal/answers/${q}`, { data: { value, version: 0 } })).ok()).toBeTruthy();
  }
  expect((await vendorApi.post('/api/portal/submit', { data: {} })).ok()).toBeTruthy();
  const sentId = await send(sentContact, 'Sid Sender', followUpId);
  await Promise.all([admin.dispose(), vendorApi.dispose()]);

  const paths = [
    '/', '/dashboard', '/vendors', `/vendors/${vendorId}`, '/assessments', `/assessments/${sentId}`,
    `/assessments/${submittedId}`, `/assessments/${sentId}/answers`, '/templates', `/templates/${templateId}`, '/incidents',
    '/scoring-models', '/schedules', '/users', '/tokens', '/audit', '/account', '/fourth-parties',
    '/regulations',
  ];
  return { adminEmail, password, vendorId, templateId, submittedId, sentId, sentContact, paths };
}

/** Waits until the page has drawn what it loads (no spinner left, a heading shown). */
export async function settled(page: Page) {
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main .loading')).toHaveCount(0);
}

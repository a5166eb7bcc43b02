// Delivery per recipient: an invitation the mail server refused shows so on the assessment
// page, with the server's reason, and Resend on that row (by keyboard) sends a new link,
// which this time arrives. On a 390 px phone the recipients never scroll sideways.
//
// The shared server of the other specs has no mail server, so this spec starts its own
// `assay serve` on a fresh data directory, pointed at a small SMTP server of its own that
// refuses the first message to each address (550, as for an unknown mailbox) and accepts
// the next.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, expect } from './fixtures';
import { assay, binary, freePort } from './env';
import { apiSession, signIn } from './session';

const password = 'e2e recipients passphrase 7';
const procurementEmail = 'petra@e2e.test';
const annEmail = 'ann.lee@vendor.e2e.test';

let server: ChildProcess | undefined;
let smtp: net.Server | undefined;
let origin = '';
let assessmentId = '';

/**
 * Just enough SMTP for Assay's client: the first RCPT for an address is refused for good,
 * later ones are accepted (and the message taken).
 */
function refusingOnceSmtp(port: number): Promise<net.Server> {
  const refused = new Set<string>();
  const smtpServer = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    socket.write('220 mx.vendor.e2e.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 Ok: queued\r\n');
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          socket.write('250 mx.vendor.e2e.test\r\n');
        } else if (verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP') {
          socket.write('250 2.1.0 Ok\r\n');
        } else if (verb === 'RCPT') {
          const address = (line.match(/<([^>]*)>/) ?? ['', ''])[1].toLowerCase();
          if (refused.has(address)) {
            socket.write('250 2.1.5 Ok\r\n');
          } else {
            refused.add(address);
            socket.write(`550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table\r\n`);
          }
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
        } else {
          socket.write('502 5.5.2 Error: command not recognized\r\n');
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => smtpServer.listen(port, '127.0.0.1', () => resolve(smtpServer)));
}

/** Ann's invitations as the API reports them, oldest first. */
async function annsLinks(): Promise<{ status: string; revoked: boolean }[]> {
  const api = await apiSession(origin, procurementEmail, password);
  const response = await api.get(`/api/assessments/${assessmentId}`);
  expect(response.ok()).toBeTruthy();
  const links = (await response.json()).invitations.filter((i: { recipient_email: string }) => i.recipient_email === annEmail);
  await api.dispose();
  return links;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const smtpPort = await freePort();
  smtp = await refusingOnceSmtp(smtpPort);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-recipients-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASSAY_DATA_DIR: dataDir,
    ASSAY_PUBLIC_URL: origin,
    ASSAY_SMTP_HOST: '127.0.0.1',
    ASSAY_SMTP_PORT: String(smtpPort),
    ASSAY_SMTP_SECURITY: 'none',
    ASSAY_SMTP_FROM: 'Assay <assay@e2e.test>',
    // A delivery round every second, so the test waits for seconds, not minutes.
    ASSAY_SCHEDULER_INTERVAL_SECS: '1',
    RUST_LOG: 'warn',
  };
  delete env.ASSAY_DATABASE_URL;
  server = spawn(binary, ['serve', '--bind', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await expect
    .poll(async () => (await fetch(`${origin}/api/health`).catch(() => undefined))?.status, { timeout: 60_000 })
    .toBe(200);

  const org = JSON.parse(assay(['org', 'create', '--name', 'Recipients Ltd'], undefined, dataDir));
  assay(['user', 'create', '--org', org.slug, '--email', procurementEmail, '--role', 'procurement', '--name', 'Petra Procurement'], password + '\n', dataDir);
  const api = await apiSession(origin, procurementEmail, password);
  const vendor = await api.post('/api/vendors', { data: { legal_name: 'Bounce Analytics Ltd', system_access: 'read_only', criticality: 'medium' } });
  expect(vendor.status(), 'vendor registered').toBe(201);
  const template = await api.post('/api/templates', { data: {
    content: 'type,id,text,required,condition\nyes_no,q_mfa,Do administrators use MFA?,true,\n',
    format: 'csv',
    title: 'Access review',
  } });
  expect(template.status(), 'template imported').toBe(201);
  const templateId = (await template.json()).id;
  expect((await api.post(`/api/templates/${templateId}/publish`, { data: {} })).ok(), 'template published').toBeTruthy();
  const sent = await api.post('/api/assessments', { data: {
    vendor_id: (await vendor.json()).id,
    template_id: templateId,
    due_date: '2099-06-30',
    recipients: [{ name: 'Ann Lee', email: annEmail }],
  } });
  expect(sent.status(), 'assessment sent').toBe(201);
  assessmentId = (await sent.json()).id;
  await api.dispose();
  // The scheduler tries the email within a second or two; the mail server refuses it.
  await expect.poll(async () => (await annsLinks()).map((l) => l.status), { timeout: 30_000 }).toEqual(['bounced']);
});

test.afterAll(async () => {
  server?.kill();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

test('a refused invitation shows the reason, and Resend on its row sends a link that arrives, by keyboard', async ({ page }) => {
  await signIn(page, procurementEmail, password, origin);
  await page.goto(`${origin}/assessments/${assessmentId}`);
  const recipients = page.getByTestId('recipients');
  const row = recipients.getByTestId('invitation-row').filter({ hasText: annEmail });

  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Ann Lee');
  await expect(row).toContainText('Whole questionnaire');
  await expect(row.getByTestId('recipient-status')).toHaveText('Bounced');
  await expect(row.getByTestId('recipient-detail')).toContainText('Recipient address rejected');
  await expect(row.getByTestId('recipient-detail')).toContainText('550');

  const resend = row.getByRole('button', { name: 'Resend to Ann Lee' });
  await resend.focus();
  await page.keyboard.press('Enter');

  const note = recipients.getByRole('status');
  await expect(note).toHaveText('New link sent to Ann Lee; the old one no longer works.');
  await expect(note).toBeFocused();
  const rows = recipients.getByTestId('invitation-row').filter({ hasText: annEmail });
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId('recipient-status')).toHaveText('Withdrawn');
  // This time the mail server takes it; the page shows so when it is opened again.
  await expect.poll(async () => (await annsLinks()).map((l) => l.status), { timeout: 30_000 }).toEqual(['revoked', 'delivered']);
  await page.reload();
  const newest = recipients.getByTestId('invitation-row').filter({ hasText: annEmail }).last();
  await expect(newest.getByTestId('recipient-status')).toHaveText('Delivered');
  await expect(newest.getByTestId('recipient-detail')).toContainText('Delivered');
  await expect(newest.getByRole('button', { name: 'Withdraw link of Ann Lee' })).toBeVisible();
});

test('on a 390 px phone the recipients wrap instead of scrolling sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, procurementEmail, password, origin);
  await page.goto(`${origin}/assessments/${assessmentId}`);
  const recipients = page.getByTestId('recipients');
  await expect(recipients.getByRole('button', { name: 'Resend to Ann Lee' })).toBeVisible();

  const widths = await page.evaluate(() => {
    const section = document.querySelector('[data-testid="recipients"]') as HTMLElement;
    return {
      page: document.documentElement.scrollWidth,
      section: section.scrollWidth,
      sectionBox: section.clientWidth,
    };
  });
  expect(widths.page, 'the page is no wider than the phone').toBeLessThanOrEqual(390);
  expect(widths.section, 'the recipients do not scroll inside their card').toBeLessThanOrEqual(widths.sectionBox);
});

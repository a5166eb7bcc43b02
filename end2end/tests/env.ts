// Where the binary under test and its data live; the same fallbacks as playwright.config.ts.
import * as net from 'node:net';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(__dirname, '..', '..', 'target');
export const binary = process.env.ASSAY_BIN ?? path.join(targetDir, 'release', 'assay');
export const dataDir = process.env.ASSAY_E2E_DATA_DIR ?? path.join(__dirname, '..', 'test-results', 'data');

/**
 * Runs an operator command against the server's database (SQLite allows it while serving);
 * `dir` names another server's data directory (a spec that starts its own).
 */
export function assay(args: string[], input?: string, dir: string = dataDir): string {
  return execFileSync(binary, args, {
    input,
    env: { ...process.env, ASSAY_DATA_DIR: dir, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
}

/** A loopback port nothing listens on (yet), for a server a spec starts itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The `#token=…` fragment of the `page` link (`portal`, `invitation`) in the newest
 * undelivered email to `recipient`, as the operator reads it on the server (`assay outbox
 * read`, with the server's data directory and so its master key): the API never shows an
 * email's text.
 */
export function linkFragment(recipient: string, page: 'portal' | 'invitation'): string {
  const email = assay(['outbox', 'read', '--to', recipient]);
  const link = email.match(new RegExp(`https?://\\S+/${page}#token=\\S+`));
  if (!link) {
    throw new Error(`no ${page} link in the newest email to ${recipient}:\n${email}`);
  }
  // Only the fragment matters: tests open it on whatever address they use.
  return new URL(link[0]).hash;
}

/** The fragment of the portal link in the newest email to `recipient`. */
export function portalFragment(recipient: string): string {
  return linkFragment(recipient, 'portal');
}

// Browser tests drive the real release binary in Debian's Chromium (never a downloaded
// browser). scripts/test sets ASSAY_E2E_PORT, ASSAY_E2E_DATA_DIR and ASSAY_BIN.
import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

const port = process.env.ASSAY_E2E_PORT ?? '18473';
const baseURL = `http://127.0.0.1:${port}`;
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(__dirname, '..', 'target');
const binary = process.env.ASSAY_BIN ?? path.join(targetDir, 'release', 'assay');
const dataDir = process.env.ASSAY_E2E_DATA_DIR ?? path.join(__dirname, 'test-results', 'data');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `"${binary}" serve --bind 127.0.0.1:${port}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // public_url names the test server, so printed and emailed links lead to it (and
    // `assay serve` has no mismatch to warn about).
    env: { ASSAY_DATA_DIR: dataDir, ASSAY_PUBLIC_URL: baseURL, RUST_LOG: 'warn' },
  },
});

// Every browser test fails when a page throws an uncaught error (a wasm panic, a JavaScript
// exception): such an error freezes the web app while the test might still find what it
// waits for elsewhere, or time out without saying why. Specs import `test` from here.
import { test as base, expect } from '@playwright/test';

export * from '@playwright/test';

export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const watch = (page: import('@playwright/test').Page) =>
        page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
      context.pages().forEach(watch);
      context.on('page', watch);
      await use();
      expect(errors, 'no page threw an uncaught error').toEqual([]);
    },
    { auto: true },
  ],
});

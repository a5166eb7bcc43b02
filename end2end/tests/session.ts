// Signing in, in the browser and through the API, for the tests that need both.
import { expect, Page, APIRequestContext, request as playwrightRequest } from '@playwright/test';

/**
 * Signs in through the sign-in page and waits for the welcome line; `origin` names a server
 * a spec started itself (the shared one when left out).
 */
export async function signIn(page: Page, email: string, password: string, origin = '') {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('welcome')).toBeVisible();
}

/**
 * An API client on the server under test, signed in as `email` when given (a vendor's
 * portal session starts from an anonymous one). Writes need the Origin header.
 */
export async function apiSession(baseURL: string, email?: string, password?: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  if (email) {
    const login = await context.post('/api/auth/login', { data: { email, password } });
    expect(login.ok(), `${email} signs in`).toBeTruthy();
  }
  return context;
}

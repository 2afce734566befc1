import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPatient, addSite, addUser, SEEDER } from '../helpers/api.js';
import {
  describeViolations,
  desktopContext,
  launchBrowser,
  phoneContext,
  type ReliefServer,
  saveScreenshot,
  seriousA11yViolations,
  signIn,
  startRelief,
} from './harness.js';

describe('signing in (browser)', () => {
  let server: ReliefServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRelief();
    browser = await launchBrowser();
    await addSite(server.services, 'lyon');
    await addPatient(server.services, 'p1', 'lyon');
    await addUser(server.services, { username: 'anna', role: 'patient', patientId: 'p1' });
    await addUser(server.services, { username: 'dr-roux', role: 'clinician', siteIds: ['lyon'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the sign-in page without serious accessibility problems', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/today`);
    await page.getByRole('heading', { name: 'Sign in to Relief' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await saveScreenshot(page, 'sign-in');
    await context.close();
  });

  it('refuses a wrong password with the message the API gives, and signs a patient in to Today', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Username').fill('anna');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password');
    await signIn(page, server.baseUrl, 'anna', 'anna-secret-pw');
    expect(new URL(page.url()).pathname).toBe('/today');
    await context.close();
  });

  it('sends a clinician to the patient list, and back to the page first asked for', async () => {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'dr-roux', 'dr-roux-secret-pw');
    expect(new URL(page.url()).pathname).toBe('/clinic');
    await page.goto(`${server.baseUrl}/clinic/cohort`);
    expect(new URL(page.url()).pathname).toBe('/clinic/cohort');
    await context.close();
  });

  it('makes a user with a one-time password choose a new one first, with the API’s messages', async () => {
    const { password } = await server.services.admin.createUser(SEEDER, {
      username: 'dr-new',
      displayName: 'Dr New',
      role: 'clinician',
      siteIds: ['lyon'],
    });
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await signIn(page, server.baseUrl, 'dr-new', password!);
    expect(new URL(page.url()).pathname).toBe('/password');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    await page.getByLabel('Current password').fill(password!);
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    // The field shows the API's own message for the same mistake.
    const fieldError = page.locator('.field-error');
    await fieldError.first().waitFor();
    expect(await fieldError.first().textContent()).toBe('must be at least 12 characters');
    await saveScreenshot(page, 'password-change');

    await page.getByLabel('New password').fill('a much longer new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL((url) => url.pathname === '/clinic');
    const user = (await server.services.admin.listUsers()).find((u) => u.username === 'dr-new')!;
    expect(user.mustChangePassword).toBe(false);
    await context.close();
  });

  it('serves the API as JSON and unknown API paths as a JSON 404, not the app', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/nowhere`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const page = await fetch(`${server.baseUrl}/clinic/patients/p1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const asset = await fetch(`${server.baseUrl}/assets/missing.js`);
    expect(asset.status).toBe(404);
  });
});

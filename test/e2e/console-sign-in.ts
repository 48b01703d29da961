// Signing in to the web console as a user would: the sign-in link (viewer), then the admin passphrase.
import { expect, type Page } from '@playwright/test';
import { adminPassphrase, type ConsoleAgent } from './console-agent.js';

/** Opens the sign-in link and waits until the page shows the viewer role. */
export async function signIn(page: Page, agent: Pick<ConsoleAgent, 'signInUrl'>): Promise<void> {
  await page.goto(agent.signInUrl);
  await expect(page.getByRole('status', { name: 'Overall health' })).toBeVisible();
  await expect(page.getByTestId('role')).toHaveText('Role: viewer');
}

/** Unlocks admin in the header with the passphrase the test agent was given. */
export async function unlockAdmin(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Unlock admin' }).click();
  await page.getByLabel('Admin passphrase').fill(adminPassphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByTestId('role')).toHaveText('Role: admin');
}

export async function signInAsAdmin(page: Page, agent: Pick<ConsoleAgent, 'signInUrl'>): Promise<void> {
  await signIn(page, agent);
  await unlockAdmin(page);
}

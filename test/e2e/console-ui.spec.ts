// Browser end to end: the renderer in Chromium, through the web console, against the real agent and ingest server.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signIn, unlockAdmin } from './console-sign-in.js';

const screenshots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const rejected = {
  kind: 'status',
  status: 400,
  body: '{"error":"invoice rejected: unknown customer"}',
} as const;

let agent: ConsoleAgent;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  agent = await startConsoleAgent();
});

test.afterAll(async () => {
  await agent?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
const banner = (page: Page) => page.getByRole('status', { name: 'Overall health' });
const card = (page: Page) => page.getByTestId('connection-card-invoices');

let fileCount = 0;
function dropFiles(count: number): void {
  for (let i = 0; i < count; i += 1, fileCount += 1) {
    writeFileSync(join(agent.inbox, `invoice-${fileCount}.json`), `{"invoice":${fileCount}}\n`);
  }
}

async function openPage(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

test('add a folder → HTTP connection in the wizard, drop files, watch them arrive and the overview turn green', async ({
  page,
}) => {
  await signIn(page, agent);
  await unlockAdmin(page);
  await openPage(page, 'Connections');
  await page.getByRole('link', { name: 'Add a connection' }).click();

  // Inline validation: an empty folder is refused before anything is sent.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('is required')).toBeVisible();
  await expect(page.getByLabel('Folder', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Folder', { exact: true }).fill(agent.inbox);
  await page.getByLabel('Quiet period (ms)').fill('200');
  await shot(page, 'connection-wizard');
  await page.getByRole('button', { name: 'Next' }).click();

  // The Shape step: records are sent as captured unless the admin starts a mapping.
  await expect(page.getByRole('radio', { name: /^Send as captured/ })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Endpoint URL').fill('ingest.example');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('must be an absolute http:// or https:// URL')).toBeVisible();
  await page.getByLabel('Endpoint URL').fill(`${agent.ingest.url}/ingest/invoices`);
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Connection id').fill('Invoices!');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Connection id')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Connection id').fill('invoices');
  await page.getByLabel('Display name').fill('Invoices to ingest');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('test-overall')).toBeVisible();
  await expect(page.getByTestId('test-overall')).not.toContainText('failed');
  await shot(page, 'connection-test');
  await page.getByRole('button', { name: 'Save and start' }).click();

  await expect(card(page)).toBeVisible();
  dropFiles(3);
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(3);
  await expect(banner(page)).toHaveAttribute('data-health', 'in-sync');
  await expect(banner(page)).toContainText('The connection is in sync');
  await expect(card(page).getByTestId('pending')).toHaveText('0');
  await shot(page, 'overview');

  await openPage(page, 'Connections');
  await expect(page.getByTestId('connection-row-invoices')).toBeVisible();
  await shot(page, 'connections');

  await openPage(page, 'Records');
  await page.getByLabel('Business key, file name or idempotency key').fill('invoice-');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('[data-testid^="record-row-"]')).toHaveCount(3);
  await expect(page.locator('[data-testid^="record-row-"]').first()).toBeVisible();
  await shot(page, 'records');
  await page.locator('[data-testid^="record-row-"] a').first().click();
  await expect(page.getByTestId('record-state')).toHaveText('delivered');
  await expect(page.getByRole('list', { name: 'What happened to this record' })).toContainText('delivered');
  await shot(page, 'record-timeline');

  await openPage(page, 'Activity');
  await shot(page, 'activity');
  await openPage(page, 'Settings');
  await expect(page.getByLabel('Data directory')).toHaveValue(agent.dataDir);
  await expect(page.getByTestId('at-rest-state')).toContainText('stored unencrypted');
  await shot(page, 'settings');
  await openPage(page, 'Diagnostics');
  // The bundle comes down into the browser as a zip named after the machine and the time.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download bundle' }).click();
  const bundle = await download;
  expect(bundle.suggestedFilename()).toMatch(/^diagnostics-[0-9a-f]{12}-\d{4}-\d\d-\d\dT[\d-]+Z\.zip$/);
  const zip = join(agent.dataDir, 'downloaded.zip');
  await bundle.saveAs(zip);
  expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })).toMatch(/^manifest\.json$/m);
  await expect(page.getByTestId('bundle-saved')).toContainText(`Downloaded ${bundle.suggestedFilename()}`);
  await expect(page.getByTestId('bundle-saved')).toContainText(join(agent.dataDir, 'diagnostics'));
  await shot(page, 'diagnostics');

  // Every page again in the dark theme (the screenshots go with the release notes).
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const title of [
    'Overview',
    'Connections',
    'Records',
    'Dead letters',
    'Activity',
    'Audit log',
    'Settings',
    'Diagnostics',
  ]) {
    await openPage(page, title);
    await shot(page, `${title.toLowerCase().replace(' ', '-')}-dark`);
  }
});

test('a server that refuses records fills the dead-letter queue; after the fix an admin replays them from the UI', async ({
  page,
}) => {
  await signIn(page, agent);
  agent.ingest.setFaults(() => rejected);
  dropFiles(2);
  await expect(card(page).getByTestId('dead')).toHaveText('2', { timeout: 20_000 });
  await expect(banner(page)).toHaveAttribute('data-health', 'attention');
  await shot(page, 'overview-dead-letters');

  await unlockAdmin(page);
  await openPage(page, 'Dead letters');
  await expect(page.locator('[data-testid^="record-row-"]')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Dead letters' })).toContainText('400');
  await shot(page, 'dead-letters');

  agent.ingest.setFaults(undefined);
  await page.getByRole('button', { name: 'Replay all (2)' }).click();
  await expect(page.getByTestId('dead-letter-outcome')).toContainText('Queued again: 2 records');
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(5);
  await expect(page.getByTestId('no-dead-letters')).toBeVisible();
  await openPage(page, 'Overview');
  await expect(banner(page)).toHaveAttribute('data-health', 'in-sync');
});

test('a viewer sees replay disabled, and the console refuses the replay call itself', async ({
  page,
  request,
}) => {
  await signIn(page, agent);
  agent.ingest.setFaults(() => rejected);
  dropFiles(1);
  await expect(card(page).getByTestId('dead')).toHaveText('1', { timeout: 20_000 });
  agent.ingest.setFaults(undefined);

  await openPage(page, 'Dead letters');
  const row = page.locator('[data-testid^="record-row-"]');
  await expect(row).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Replay all (1)' })).toBeDisabled();
  await expect(page.getByTestId('admin-hint')).toContainText('Unlock admin');
  const id = Number((await row.getAttribute('data-testid'))?.replace('record-row-', ''));
  expect(id).toBeGreaterThan(0);

  // The page's own session (cookie + header token, viewer) calling the API directly.
  const direct = await page.evaluate(
    async (ids) => {
      const response = await fetch('/api/call/replayDeadLetters', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-agent-session': sessionStorage.getItem('agent.sessionToken') ?? '',
        },
        body: JSON.stringify({ ids }),
      });
      return { status: response.status, body: (await response.json()) as { error?: { code?: string } } };
    },
    [id],
  );
  expect(direct.status).toBe(403);
  expect(direct.body.error?.code).toBe('forbidden');

  // A script with the token is a viewer too.
  const scripted = await request.post(`${agent.origin}/api/call/replayDeadLetters`, {
    headers: { authorization: `Bearer ${agent.token}` },
    data: { ids: [id] },
  });
  expect(scripted.status()).toBe(403);

  const still = await request.post(`${agent.origin}/api/call/listDeadLetters`, {
    headers: { authorization: `Bearer ${agent.token}` },
    data: {},
  });
  expect(((await still.json()) as { records: { id: number }[] }).records.map((r) => r.id)).toEqual([id]);
  expect(agent.ingest.applied()).toHaveLength(5);

  // The network doctor sends a credentialed request: admin only, so a viewer sees it disabled.
  await openPage(page, 'Diagnostics');
  await expect(page.getByRole('button', { name: 'Run checks' })).toBeDisabled();
});

test('requests without the token, with a foreign Host or a foreign Origin are refused', async ({
  request,
}) => {
  const call = (headers: Record<string, string>) =>
    request.post(`${agent.origin}/api/call/status`, { headers, data: {}, failOnStatusCode: false });
  const bearer = { authorization: `Bearer ${agent.token}` };

  expect((await call(bearer)).status()).toBe(200);
  expect((await call({})).status()).toBe(401);
  expect((await call({ authorization: 'Bearer not-the-token' })).status()).toBe(401);
  expect((await call({ ...bearer, host: 'evil.example' })).status()).toBe(421);
  expect((await call({ ...bearer, origin: 'http://evil.example' })).status()).toBe(403);
  expect((await request.get(`${agent.origin}/api/events`)).status()).toBe(401);
  // A bundle download is admin work: the token alone stays viewer.
  const download = await request.post(`${agent.origin}/api/download/diagnostics`, {
    headers: bearer,
    data: {},
    failOnStatusCode: false,
  });
  expect(download.status()).toBe(403);
  expect(((await download.json()) as { error: { message: string } }).error.message).toMatch(
    /exportDiagnostics changes the agent and needs the admin role/,
  );
});

test('the audit log lists a change made through the UI, with actor and target, to viewers too', async ({
  page,
}) => {
  await signIn(page, agent);
  await unlockAdmin(page);
  await openPage(page, 'Connections');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();

  await page.getByRole('button', { name: 'Lock admin' }).click();
  await expect(page.getByTestId('role')).toHaveText('Role: viewer');
  await openPage(page, 'Audit log');
  const rows = page.getByRole('table', { name: 'Audit log entries, newest first' }).locator('tbody tr');
  await expect(rows.first()).toContainText('connection.resume');
  await expect(rows.first()).toContainText('admin (console)');
  await expect(rows.first()).toContainText('invoices');
  await expect(rows.nth(1)).toContainText('connection.pause');
  await expect(page.getByText('connection.add')).toBeVisible(); // the wizard's change in the first scenario
  await shot(page, 'audit-log');
});

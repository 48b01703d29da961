// Browser end to end, as after installing: the default console port is taken, then the first connection replaces the sandbox.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runCli, startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signInAsAdmin } from './console-sign-in.js';

const defaultPort = 4517;
let agent: ConsoleAgent;
let squatter: Server | undefined;

test.describe.configure({ mode: 'serial' });

/** Holds the default console port, as another program would; when something holds it already, that does as well. */
function occupyDefaultPort(): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(defaultPort, '127.0.0.1', () => resolve(server));
  });
}

test.beforeAll(async () => {
  squatter = await occupyDefaultPort();
  agent = await startConsoleAgent({ sandbox: true, defaultPort: true });
});

test.afterAll(async () => {
  await agent?.stop();
  await new Promise((resolve) => (squatter ? squatter.close(resolve) : resolve(undefined)));
});

test('a taken default port: the console falls back to a free one and says where, in the output, status, console-url and the page', async ({
  page,
}) => {
  const port = Number(new URL(agent.origin).port);
  expect(port).not.toBe(defaultPort);
  expect(agent.output()).toContain(
    `port ${defaultPort} is in use; it listens on http://127.0.0.1:${port}/ instead`,
  );
  expect(await runCli(['status', '--data-dir', agent.dataDir])).toContain(`port ${defaultPort} is in use`);
  expect(await runCli(['console-url', '--data-dir', agent.dataDir])).toContain(`127.0.0.1:${port}/`);
  await page.goto(agent.signInUrl);
  await expect(page.getByText(`port ${defaultPort} is in use`).first()).toBeVisible();
});

test('the first connection saved in the wizard replaces the sandbox, says so before saving, and leaves no trace of it running', async ({
  page,
}) => {
  await signInAsAdmin(page, agent);
  await expect(page.locator('header .badge', { hasText: 'sandbox' })).toBeVisible();
  await expect(page.getByText(/SANDBOX: no config found/).first()).toBeVisible();

  await page.goto(`${agent.origin}/#/connections/new`);
  await page.getByLabel('Folder', { exact: true }).fill(agent.inbox);
  await page.getByLabel('Quiet period (ms)').fill('200');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Endpoint URL').fill(`${agent.ingest.url}/ingest/invoices`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Connection id').fill('invoices');
  await page.getByRole('button', { name: 'Next' }).click();
  // Before saving, the admin reads what will happen to the sandbox.
  await expect(page.getByTestId('replaces-sandbox')).toContainText(
    'Saving this first connection replaces it',
  );
  await page.getByRole('button', { name: 'Replace the sandbox and start' }).click();

  // Without a reload: the sandbox marker and notice are gone, the overview shows the new connection only.
  await expect(page.getByTestId('connection-card-invoices')).toBeVisible();
  await expect(page.locator('header .badge', { hasText: 'sandbox' })).toHaveCount(0);
  await expect(page.getByText(/SANDBOX: no config found/)).toHaveCount(0);
  await expect(page.getByTestId('connection-card-sandbox')).toHaveCount(0);

  const configFile = join(agent.dataDir, 'config.yaml');
  expect(existsSync(configFile)).toBe(true);
  const saved = readFileSync(configFile, 'utf8');
  expect(saved).toContain('id: invoices');
  expect(saved).not.toMatch(/sandbox/i);
  const listed = await runCli(['connections', 'list', '--data-dir', agent.dataDir]);
  expect(listed).toContain('invoices');
  expect(listed).not.toContain('(not in the config)');

  writeFileSync(join(agent.inbox, 'first.json'), '{"invoice":1}\n');
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(1);
});

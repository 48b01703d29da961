// Browser end to end: a console page open while the agent restarts says disconnected, then "sign in again"; an admin role lapses in the header without a reload.
import { expect, test, type Page } from '@playwright/test';
import { runCli, startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signIn, unlockAdmin } from './console-sign-in.js';

let agent: ConsoleAgent;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // 0.05 min: the admin role lapses 3 s after the last admin action.
  agent = await startConsoleAgent({ console: 'adminIdleMinutes: 0.05' });
});

test.afterAll(async () => {
  await agent?.stop();
});

const role = (page: Page) => page.getByTestId('role');
const linkState = (page: Page) => page.getByTestId('link-state');

test('the header shows the admin time left and drops to viewer when the role lapses, without a reload', async ({
  page,
}) => {
  await signIn(page, agent);
  await unlockAdmin(page);
  await expect(page.getByTestId('role-time-left')).toHaveText(/^admin for \d s more$/);
  await expect(role(page)).toHaveText('Role: viewer');
  await expect(page.getByTestId('role-time-left')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unlock admin' })).toBeVisible();
});

test('an agent restart under an open page: disconnected and reconnecting, then sign in again; the link signs in anew', async ({
  page,
}) => {
  await signIn(page, agent);
  await expect(linkState(page)).toHaveCount(0);
  const restarted = agent.restart();
  await expect(linkState(page)).toHaveAttribute('data-link', 'reconnecting');
  await expect(linkState(page)).toContainText('Disconnected from the agent since');
  await expect(page.getByRole('button', { name: 'Retry now' })).toBeVisible();
  await restarted;
  // The restarted agent no longer knows this session: retrying cannot help, signing in again does.
  await expect(linkState(page)).toHaveAttribute('data-link', 'signed-out');
  await expect(linkState(page)).toContainText('Sign in again');
  await expect(linkState(page)).toContainText('integration-agent console-url');
  await expect(role(page)).toHaveText('Not signed in');
  await signIn(page, agent);
  await expect(linkState(page)).toHaveCount(0);
});

test('live config reload: an edited config file adds a connection; an invalid edit is refused on the page and the running one stays', async ({
  page,
}) => {
  await signIn(page, agent);
  const connection = [
    '  - id: live-added',
    '    name: Added by editing the file',
    `    source: { type: folder, path: ${JSON.stringify(agent.inbox)} }`,
    `    destination: { type: http, url: "${agent.ingest.url}/ingest/live" }`,
  ];
  agent.writeConnections(connection);
  const row = page.getByTestId('connection-card-live-added');
  await expect(row).toBeVisible();
  await expect(row).toContainText('Added by editing the file');

  agent.writeConnections([...connection, '  - id: broken', '    source: { type: folder }']);
  await expect(page.getByText('The edited config file was not applied')).toBeVisible();
  await expect(row).toBeVisible();

  agent.writeConnections(connection);
  const answer = await runCli([
    'config',
    'reload',
    '--config',
    agent.configFile,
    '--data-dir',
    agent.dataDir,
  ]);
  // The refused edit never ran, so reverting it leaves the running config as it is.
  expect(answer).toContain('config reload: unchanged');
  await expect(page.getByText('The edited config file was not applied')).toHaveCount(0);
  await expect(row).toBeVisible();
});

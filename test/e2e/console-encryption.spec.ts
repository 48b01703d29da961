// Browser end to end: with outbox encryption on, Settings says so and an admin rotates a connection's data key.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fileSecrets } from '../support/file-secrets.js';
import { startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signInAsAdmin } from './console-sign-in.js';

let agent: ConsoleAgent;

test.beforeAll(async () => {
  agent = await startConsoleAgent({
    extraConfig: ({ dir }) => [
      'outbox: { encryption: { enabled: true } }',
      `secrets: ${JSON.stringify(fileSecrets(dir))}`,
    ],
    connections: ({ inbox, ingestUrl }) => [
      {
        id: 'invoices',
        name: 'Invoices',
        source: { type: 'folder', path: inbox, quietPeriodMs: 200 },
        destination: { type: 'http', url: `${ingestUrl}/ingest/invoices` },
      },
    ],
  });
});

test.afterAll(async () => {
  await agent?.stop();
});

test('Settings says payloads are encrypted; an admin rotates the data key and the audit log records start and end', async ({
  page,
}) => {
  writeFileSync(join(agent.inbox, 'a.json'), '{"invoice":1}\n');
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(1);

  await signInAsAdmin(page, agent);
  await page.goto(`${agent.origin}/#/settings`);
  await expect(page.getByTestId('at-rest-state')).toContainText('encrypted with AES-256-GCM');
  await page.getByRole('button', { name: 'Rotate data key' }).click();
  await expect(page.getByTestId('rotation-started')).toContainText("Rotation of invoices's data key started");

  await page.goto(`${agent.origin}/#/audit`);
  const rows = page.getByRole('table', { name: 'Audit log entries, newest first' }).locator('tbody tr');
  await expect(
    rows.filter({ hasText: 'data-key.rotate' }).filter({ hasText: 'admin (console)' }),
  ).toHaveCount(1);
  // The background re-encryption ends on its own; the page shows it after a reload.
  await expect(async () => {
    await page.reload();
    await expect(rows.filter({ hasText: 'data-key.rotated' })).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // Records captured after the rotation are still delivered.
  writeFileSync(join(agent.inbox, 'b.json'), '{"invoice":2}\n');
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(2);
});

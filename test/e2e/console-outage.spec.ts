// Browser end to end: an API outage while a dead letter waits; the page and `status` name the outage first, the dead letter too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runCli, startConsoleAgent, type ConsoleAgent } from './console-agent.js';

let agent: ConsoleAgent;

test.beforeAll(async () => {
  agent = await startConsoleAgent({
    connections: ({ inbox, ingestUrl }) => [
      {
        id: 'invoices',
        source: { type: 'folder', path: inbox, quietPeriodMs: 200 },
        destination: { type: 'http', url: `${ingestUrl}/ingest/invoices` },
      },
    ],
  });
});

test.afterAll(async () => {
  await agent?.stop();
});

test('with the API down and a dead letter waiting, the outage is named first in plain words and the dead letter does not mask it', async ({
  page,
}) => {
  await page.goto(agent.signInUrl);
  const banner = page.getByTestId('health-summary');
  const row = page.getByTestId('connection-card-invoices');

  agent.ingest.setFaults(() => ({ kind: 'status', status: 400, body: '{"error":"unknown customer"}' }));
  writeFileSync(join(agent.inbox, 'refused.json'), '{"invoice":1}\n');
  await expect(banner).toContainText('1 record in the dead-letter queue needs a decision');
  agent.ingest.setFaults(undefined);

  // The API goes away: connections are refused from now on.
  await agent.ingest.close();
  for (const n of [2, 3, 4]) writeFileSync(join(agent.inbox, `waiting-${n}.json`), `{"invoice":${n}}\n`);
  await expect(banner).toContainText('Cannot deliver to POST');
  await expect(banner).toContainText('3 records waiting');
  await expect(banner).toContainText(/ECONNREFUSED|connection refused/);
  await expect(banner).toContainText('1 record in the dead-letter queue needs a decision');
  const text = (await banner.textContent()) ?? '';
  expect(text.indexOf('Cannot deliver')).toBeLessThan(text.indexOf('dead-letter queue'));
  await expect(row).toContainText('Cannot deliver to POST');
  await expect(row.getByTestId('dead')).toHaveText('1');

  const status = await runCli(['status', '--data-dir', agent.dataDir]);
  expect(status).toMatch(/Cannot deliver to POST .*ECONNREFUSED|Cannot deliver to POST .*connection refused/);
  expect(status).toContain('dead-letter queue');
});

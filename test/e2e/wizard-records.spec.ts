// Browser end to end: an admin sets up a CSV folder in records mode in the wizard, guided by the preview of a real export.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signInAsAdmin } from './console-sign-in.js';

const screenshots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
/** A German export: semicolons, decimal commas, and one short row that capture rejects. */
const exportText = [
  'Rechnungsnr;Betrag;Kunde',
  'INV-2001;1.234,56;Muster GmbH',
  'INV-2002;99,00',
  'INV-2003;10,00;Beispiel AG',
  '',
].join('\r\n');

let agent: ConsoleAgent;

test.beforeAll(async () => {
  agent = await startConsoleAgent();
  writeFileSync(join(agent.inbox, 'invoices-0412.csv'), exportText);
});

test.afterAll(async () => {
  await agent?.stop();
});

const columnHeaders = (page: Page) => page.getByTestId('records-preview-table').getByRole('columnheader');

test('records mode in the wizard: the preview follows the options, shows the rejected row, and the saved connection sends each row', async ({
  page,
}) => {
  await signInAsAdmin(page, agent);
  await page.goto(`${agent.origin}/#/connections/new`);
  await page.getByLabel('Folder', { exact: true }).fill(agent.inbox);
  await page.getByLabel('Files to pick up').fill('*.csv');
  await page.getByLabel('Quiet period (ms)').fill('200');
  // Whole-file mode has nothing to preview; records mode shows the newest export at once.
  await expect(page.getByRole('heading', { name: 'Preview' })).toHaveCount(0);
  await page.getByLabel('Capture').selectOption('csv');
  const summary = page.getByTestId('records-preview-summary');
  await expect(summary).toContainText('Read invoices-0412.csv');

  // With the default comma the header is one column and every row (a decimal comma each) has two: all rejected.
  await expect(summary).toContainText('0 records, 3 rejected rows');
  await expect(page.getByTestId('records-preview-table')).toHaveCount(0);
  await expect(page.getByTestId('records-preview-rejected')).toContainText('Line 2');
  await page.getByLabel('Delimiter').fill(';');
  await expect(columnHeaders(page)).toHaveText(['Line', 'Rechnungsnr', 'Betrag', 'Kunde']);
  await expect(summary).toContainText('2 records, 1 rejected row');
  const firstRow = page.getByTestId('records-preview-table').getByRole('row').nth(1);
  await expect(firstRow.getByRole('cell')).toHaveText(['INV-2001', '1.234,56', 'Muster GmbH']);
  await expect(firstRow.getByRole('rowheader')).toHaveText('2');
  const rejected = page.getByTestId('records-preview-rejected');
  await expect(rejected).toContainText('Line 3');
  await expect(rejected).toContainText('INV-2002;99,00');
  await page.screenshot({ path: join(screenshots, 'wizard-records-preview.png'), fullPage: true });

  // A pasted sample goes through the same parser and options.
  await page.getByRole('radio', { name: 'A pasted sample' }).check();
  await page.getByLabel('Sample text').fill('Nr;Name\n7;Acme\n');
  await expect(summary).toContainText('Read the pasted sample: 1 record, no rejected rows');
  await expect(columnHeaders(page)).toHaveText(['Line', 'Nr', 'Name']);
  await page.getByRole('radio', { name: 'A file of the folder' }).check();
  await expect(summary).toContainText('Read invoices-0412.csv');

  await page.getByLabel('Key column').fill('Rechnungsnr');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: /^Send as captured/ })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Endpoint URL').fill(`${agent.ingest.url}/ingest/invoices`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Connection id').fill('invoices');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Save and start' }).click();

  // Each good row arrives as its own JSON record; the short row waits as a dead letter with its reason.
  await expect
    .poll(() => agent.ingest.applied().map((r) => JSON.parse(r.body.toString()) as unknown), {
      timeout: 20_000,
    })
    .toEqual([
      { Rechnungsnr: 'INV-2001', Betrag: '1.234,56', Kunde: 'Muster GmbH' },
      { Rechnungsnr: 'INV-2003', Betrag: '10,00', Kunde: 'Beispiel AG' },
    ]);
  expect(agent.ingest.applied().every((r) => r.contentType.startsWith('application/json'))).toBe(true);

  // The Edit page shows records mode with the options saved.
  await page.goto(`${agent.origin}/#/connections/invoices/edit`);
  await expect(page.getByLabel('Capture')).toHaveValue('csv');
  await expect(page.getByLabel('Delimiter')).toHaveValue(';');
  await expect(page.getByLabel('Key column')).toHaveValue('Rechnungsnr');
  await expect(summary).toContainText('2 records, 1 rejected row');
});

// Browser end to end: an admin fixes a mapping the contract rejects, watches the live preview change, saves v2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startConsoleAgent, type ConsoleAgent } from './console-agent.js';
import { signInAsAdmin } from './console-sign-in.js';

const screenshots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
let agent: ConsoleAgent;
const schema = {
  type: 'object',
  required: ['invoiceNo', 'amount'],
  properties: { invoiceNo: { type: 'string' }, amount: { type: 'number' } },
};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  agent = await startConsoleAgent({
    connections: ({ inbox, ingestUrl, dir }) => {
      const schemaFile = join(dir, 'invoice.schema.json');
      writeFileSync(schemaFile, JSON.stringify(schema));
      return [
        {
          id: 'invoices',
          source: {
            type: 'folder',
            path: inbox,
            quietPeriodMs: 200,
            records: { format: 'csv', delimiter: ';', businessKeyColumn: 'Rechnungsnr' },
          },
          destination: { type: 'http', url: `${ingestUrl}/ingest/invoices` },
          // v1 sends rows as captured: the contract rejects them (no invoiceNo, amount is text).
          mapping: { version: 1, expression: '$' },
          contract: { schemaFile },
        },
      ];
    },
  });
});

test.afterAll(async () => {
  await agent?.stop();
});

/** Dead letters of the connection, asked through the console with the token (a viewer call). */
async function deadLetters(): Promise<number> {
  const answer = await fetch(`${agent.origin}/api/call/listDeadLetters`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ connection: 'invoices' }),
  });
  return ((await answer.json()) as { records: unknown[] }).records.length;
}

test('an admin edits a mapping, sees the preview change and the contract pass, then saves it as v2', async ({
  page,
}) => {
  writeFileSync(join(agent.inbox, 'export-1.csv'), 'Rechnungsnr;Kunde;Betrag\nA-1;Müller GmbH;1.234,56\n');
  await expect.poll(deadLetters, { timeout: 20_000 }).toBe(1);

  await signInAsAdmin(page, agent);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Connections' }).click();
  await page.getByTestId('connection-row-invoices').getByRole('link', { name: 'Mapping' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Mapping of invoices' })).toBeVisible();
  await expect(page.getByTestId('mapping-version')).toHaveText('Active: mapping v1');

  // The rejected row is offered as a sample (it kept its source data); v1's result fails at the field.
  await expect(page.getByRole('list', { name: 'Recent source records' }).getByRole('checkbox')).toBeChecked();
  const payload = page.getByTestId('preview-0-payload');
  await expect(payload.getByTestId('preview-0-payload-field-/invoiceNo')).toContainText(
    'expected property "invoiceNo", found nothing',
  );
  await expect(page.getByTestId('preview-0-contract')).toContainText('Fails the contract');

  // The suggestion pairs the German columns with the contract's properties; the admin takes it.
  await page.getByRole('button', { name: 'Suggest from the columns' }).click();
  await expect(page.getByTestId('suggestion')).toContainText('Rechnungsnr');
  await page.getByRole('button', { name: 'Use this mapping' }).click();
  await expect(payload.getByTestId('preview-0-payload-field-/amount')).toContainText('1234.56');
  await expect(payload.getByTestId('preview-0-payload-field-/invoiceNo')).toContainText('"A-1"');
  await expect(page.getByTestId('preview-0-contract')).toContainText('Passes the contract');

  // An edit of the expression changes the preview; a broken one is shown at the expression field.
  const expression = page.getByLabel('Expression (JSONata)');
  await expression.fill('{ "invoiceNo": Rechnungsnr, "amount": Betrag + }');
  await expect(page.getByText(/the expression does not parse at position/)).toBeVisible();
  await expect(expression).toHaveAttribute('aria-invalid', 'true');
  await expression.fill('{ "invoiceNo": Rechnungsnr, "amount": Betrag, "customer": $text(Kunde) }');
  await expect(payload.getByTestId('preview-0-payload-field-/customer')).toContainText('Müller GmbH');
  await expect(page.getByTestId('preview-0-contract')).toContainText('Passes the contract');
  await page.screenshot({ path: join(screenshots, 'mapping-editor.png'), fullPage: true });

  await page.getByLabel('Why v1 is replaced (optional)').fill('rows were sent as captured');
  await page.getByRole('button', { name: 'Save as new version' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as mapping v2.' })).toBeVisible();
  await expect(page.getByTestId('mapping-version')).toContainText('Active: mapping v2');
  await expect(page.getByTestId('mapping-version')).toContainText('v1 (rows were sent as captured)');

  // The next export goes out with v2, and the records page says so.
  writeFileSync(join(agent.inbox, 'export-2.csv'), 'Rechnungsnr;Kunde;Betrag\nA-2;Schmidt AG;99,90\n');
  await expect.poll(() => agent.ingest.applied().length, { timeout: 20_000 }).toBe(1);
  expect(JSON.parse(agent.ingest.applied()[0]!.body.toString())).toEqual({
    invoiceNo: 'A-2',
    amount: 99.9,
    customer: 'Schmidt AG',
  });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Records' }).click();
  await page.getByLabel('Business key, file name or idempotency key').fill('A-');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.locator('[data-testid^="record-row-"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'A-2' }).getByTestId('record-mapping')).toHaveText('v2');
  await expect(rows.filter({ hasText: 'A-1' }).getByTestId('record-mapping')).toHaveText('v1');
});

// Capture SQL per dialect, identifier quoting, watermark arithmetic and value mapping.
import { describe, expect, it } from 'vitest';
import { quoteIdentifier, tableNameProblem } from '../../../../connectors/sources/database/identifiers.js';
import { SqlBuilder, type CaptureSpec } from '../../../../connectors/sources/database/sql-builder.js';
import {
  isoTimestamp,
  loadValue,
  storeValue,
  timestampLike,
  timestampMicros,
  toJson,
} from '../../../../connectors/sources/database/values.js';
import { Watermark } from '../../../../connectors/sources/database/watermark.js';

const spec = (overrides: Partial<CaptureSpec> = {}): CaptureSpec => ({
  dialect: 'postgres',
  table: 'sales.orders',
  columns: ['*'],
  watermark: { column: 'updated_at', type: 'timestamp' },
  primaryKey: ['region', 'id'],
  ...overrides,
});

describe('SqlBuilder', () => {
  it('pages by (watermark, key) with numbered parameters on PostgreSQL', () => {
    const builder = new SqlBuilder(spec());
    expect(builder.orderColumns).toEqual(['updated_at', 'region', 'id']);
    expect(builder.page(500, {})).toEqual({
      text:
        'SELECT * FROM "sales"."orders" WHERE "updated_at" IS NOT NULL ' +
        'ORDER BY "updated_at" ASC, "region" ASC, "id" ASC LIMIT 500',
      params: [],
    });
    expect(builder.page(10, { after: ['T', 'north', 7] })).toEqual({
      text:
        'SELECT * FROM "sales"."orders" WHERE "updated_at" >= $1 AND (("updated_at" > $2) OR ' +
        '("updated_at" = $3 AND "region" > $4) OR ("updated_at" = $5 AND "region" = $6 AND "id" > $7)) ' +
        'ORDER BY "updated_at" ASC, "region" ASC, "id" ASC LIMIT 10',
      params: ['T', 'T', 'T', 'north', 'T', 'north', 7],
    });
    expect(builder.page(10, { atLeast: 'T0' }).text).toContain('WHERE "updated_at" >= $1 ORDER BY');
  });

  it('uses backticks and ? on MySQL, selects named columns plus the paging columns, wraps queries', () => {
    const table = new SqlBuilder(
      spec({ dialect: 'mysql', table: 'orders', columns: ['amount', 'id'], primaryKey: ['id'] }),
    );
    expect(table.page(5, { after: ['T', 1] }).text).toBe(
      'SELECT `amount`, `id`, `updated_at` FROM `orders` WHERE `updated_at` >= ? AND ' +
        '((`updated_at` > ?) OR (`updated_at` = ? AND `id` > ?)) ORDER BY `updated_at` ASC, `id` ASC LIMIT 5',
    );
    const query = new SqlBuilder(
      spec({
        dialect: 'sqlite',
        table: undefined,
        query: ' SELECT o.id AS id FROM o ; ',
        watermark: undefined,
        primaryKey: ['id'],
      }),
    );
    expect(query.page(5, {}).text).toBe(
      'SELECT * FROM (SELECT o.id AS id FROM o\n) AS src ORDER BY "id" ASC LIMIT 5',
    );
  });

  it('looks keys up with IN for one column and OR of ANDs for composite keys', () => {
    expect(new SqlBuilder(spec({ primaryKey: ['id'] })).existing([[1], [2]])).toEqual({
      text: 'SELECT "id" FROM "sales"."orders" WHERE "id" IN ($1, $2)',
      params: [1, 2],
    });
    expect(new SqlBuilder(spec({ dialect: 'mysql' })).existing([['n', 1]]).text).toBe(
      'SELECT `region`, `id` FROM `sales`.`orders` WHERE (`region` = ? AND `id` = ?)',
    );
  });

  it('looks logged keys up as text, cast the way the delete trigger wrote them', () => {
    expect(new SqlBuilder(spec({ primaryKey: ['id'] })).presentKeys([['7']])).toEqual({
      text: 'SELECT "id"::text AS k0 FROM "sales"."orders" WHERE "id" IN ($1)',
      params: ['7'],
    });
    expect(new SqlBuilder(spec({ dialect: 'mysql' })).presentKeys([['n', '1']]).text).toBe(
      'SELECT CAST(`region` AS CHAR) AS k0, CAST(`id` AS CHAR) AS k1 FROM `sales`.`orders` ' +
        'WHERE (`region` = ? AND `id` = ?)',
    );
  });

  it('reads the delete log of the table from its schema', () => {
    expect(new SqlBuilder(spec()).deletedRows('41', 100)).toEqual({
      text:
        'SELECT CAST(id AS TEXT) AS id, pk FROM "sales"."integration_agent_deleted_rows" ' +
        'WHERE table_name = $1 AND id > $2 ORDER BY id ASC LIMIT 100',
      params: ['orders', '41'],
    });
  });

  it('never quotes an identifier the config pattern would refuse', () => {
    expect(quoteIdentifier('postgres', 'Order')).toBe('"Order"');
    expect(() => quoteIdentifier('postgres', 'a"b')).toThrow('refusing to quote');
    expect(() => quoteIdentifier('mysql', 'a`b')).toThrow('refusing to quote');
    expect(tableNameProblem('public.orders')).toBeUndefined();
  });
});

describe('database values', () => {
  it('maps driver values to JSON', () => {
    expect(toJson(12n)).toBe('12');
    expect(toJson(Buffer.from('hi'))).toBe('aGk=');
    expect(toJson(new Date('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z');
    expect(toJson('2024-05-01 10:00:00.5+00', 'timestamptz')).toBe('2024-05-01T10:00:00.5Z');
    expect(toJson('2024-05-01 10:00:00.5+05:30', 'timestamptz')).toBe('2024-05-01T10:00:00.5+05:30');
    expect(toJson('2024-05-01 10:00:00', 'timestamptz')).toBe('2024-05-01T10:00:00Z');
    expect(toJson('2024-05-01 10:00:00', 'timestamp')).toBe('2024-05-01T10:00:00');
    expect(toJson('{"a":1}', 'json')).toEqual({ a: 1 });
    expect(toJson(Number.NaN)).toBe('NaN');
    expect(isoTimestamp('2024-05-01 10:00:00-07', 'timestamptz')).toBe('2024-05-01T10:00:00-07:00');
  });

  it('stores key and watermark values losslessly for checkpoints', () => {
    for (const value of [null, 5, 'x', true, 2n ** 64n, Buffer.from([0, 255])]) {
      expect(
        loadValue(JSON.parse(JSON.stringify(storeValue(value))) as ReturnType<typeof storeValue>),
      ).toEqual(value);
    }
    expect(storeValue(7n)).toBe(7);
  });

  it('reads timestamps to the microsecond and writes overlap bounds in the column’s own text shape', () => {
    expect(timestampMicros('2024-05-01 10:00:00.123456+00')).toBe(Date.UTC(2024, 4, 1, 10) * 1000 + 123_456);
    expect(timestampMicros('2024-05-01T10:00:00Z')).toBe(Date.UTC(2024, 4, 1, 10) * 1000);
    expect(timestampMicros('2024-05-01')).toBe(Date.UTC(2024, 4, 1) * 1000);
    expect(timestampMicros('not a time')).toBeUndefined();
    const micros = Date.UTC(2024, 4, 1, 10, 0, 0, 250) * 1000;
    expect(timestampLike('2024-05-01 09:00:00.123456', micros)).toBe('2024-05-01 10:00:00.250');
    expect(timestampLike('2024-05-01T09:00:00Z', micros)).toBe('2024-05-01T10:00:00Z');
    expect(timestampLike('2024-05-01 09:00:00.5+00', micros)).toBe('2024-05-01 10:00:00.250+00:00');
    expect(timestampLike(1714554000000, micros)).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 250));
  });

  it('compares watermarks exactly and computes the overlap window start', () => {
    const timestamps = new Watermark({ column: 'u', type: 'timestamp' }, 'mysql', {
      overlapMs: 60_000,
      overlapValues: 0,
    });
    expect(timestamps.compare('2024-05-01 10:00:00.000001', '2024-05-01 10:00:00')).toBe(1);
    expect(timestamps.overlapStart('2024-05-01 10:00:30.000000')).toBe('2024-05-01 09:59:30.000');
    expect(() => timestamps.compare('soon', 'later')).toThrow(
      'the watermark column u holds "soon", which is not a timestamp. Fix: set watermark.type to integer',
    );
    const integers = new Watermark({ column: 'v', type: 'integer' }, 'sqlite', {
      overlapMs: 0,
      overlapValues: 10,
    });
    expect(integers.compare('9007199254740993', 9007199254740992n)).toBe(1);
    expect(integers.overlapStart(100n)).toBe(90n);
    const none = new Watermark({ column: 'v', type: 'integer' }, 'postgres', {
      overlapMs: 0,
      overlapValues: 0,
    });
    expect(none.overlapStart('100')).toBeUndefined();
  });
});

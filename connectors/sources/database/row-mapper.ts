// Turns a database row into a captured change: JSON payload, deterministic key, ordering key, origin.
import type { CapturedChange } from '../../core/change.js';
import { deleteKey, keyText, orderingKey, rowHash, rowKey, type CaptureIdentity } from './change-keys.js';
import { storeValue, toJson, type ColumnKind, type JsonValue } from './values.js';

export interface MappedRow {
  change: CapturedChange;
  /** Key values as stored in checkpoints (bindable again): for reconciliation. */
  storedKey: string;
  /** The version of the row this change captured: watermark value, or content hash. */
  version: string;
  /** Raw values of the paging columns (watermark, key): where the next page starts. */
  position: unknown[];
  /** Raw watermark value (undefined without a watermark). */
  watermark: unknown;
}

export interface RowMapperOptions {
  identity: CaptureIdentity;
  /** Table name, or "query": prefixes ordering keys and fills origin.table. */
  label: string;
  primaryKey: string[];
  orderColumns: string[];
  watermark?: string | undefined;
  businessKey?: string | undefined;
}

export class RowMapper {
  constructor(private readonly options: RowMapperOptions) {}

  map(row: Record<string, unknown>, kinds: Map<string, ColumnKind>): MappedRow {
    const json: Record<string, JsonValue> = {};
    for (const [column, value] of Object.entries(row)) json[column] = toJson(value, kinds.get(column));
    const pk = this.options.primaryKey.map((column) => this.column(row, json, column, 'primaryKey'));
    const pkText = keyText(pk);
    const payload = Buffer.from(JSON.stringify(json));
    const { watermark: watermarkColumn, businessKey } = this.options;
    const watermark = watermarkColumn === undefined ? undefined : row[watermarkColumn];
    const version =
      watermarkColumn === undefined
        ? rowHash(payload)
        : JSON.stringify(this.column(row, json, watermarkColumn, 'watermark.column'));
    const business =
      businessKey === undefined ? undefined : this.column(row, json, businessKey, 'businessKey');
    return {
      change: {
        idempotencyKey: rowKey(this.options.identity, pkText, version),
        orderingKey: orderingKey(this.options.label, pkText),
        ...(business === undefined || business === null
          ? {}
          : { businessKey: typeof business === 'string' ? business : JSON.stringify(business) }),
        contentType: 'application/json',
        payload,
        parsed: json,
        origin: { table: this.options.label, pk: pkText, op: 'upsert' },
      },
      storedKey: JSON.stringify(this.options.primaryKey.map((column) => storeValue(row[column]))),
      version,
      position: this.options.orderColumns.map((column) => row[column]),
      watermark,
    };
  }

  private column(
    row: Record<string, unknown>,
    json: Record<string, JsonValue>,
    column: string,
    setting: string,
  ): JsonValue {
    if (!(column in row)) {
      throw new Error(
        `the rows have no column "${column}" (${setting}); they have: ${Object.keys(row).join(', ')}. ` +
          'Fix: correct the column name (it is case-sensitive), or select that column in your query',
      );
    }
    return json[column] ?? null;
  }
}

/** A delete event `{ "op": "delete", "pk": { column: value } }`, keyed by the row and the version that disappeared. */
export function deleteChange(
  options: Pick<RowMapperOptions, 'identity' | 'label' | 'primaryKey'>,
  pk: readonly JsonValue[],
  version: string,
): CapturedChange {
  const pkText = keyText(pk);
  const named = Object.fromEntries(options.primaryKey.map((column, i) => [column, pk[i] ?? null]));
  const event = { op: 'delete', pk: named };
  return {
    idempotencyKey: deleteKey(options.identity, pkText, version),
    orderingKey: orderingKey(options.label, pkText),
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify(event)),
    parsed: event,
    origin: { table: options.label, pk: pkText, op: 'delete' },
  };
}

// Records mode of the folder source: streaming parsers for CSV, JSON array, NDJSON and XML, their config, record keys.
export { parseRecordBatches, parseRecords, type RecordInput } from './parse-records.js';
export {
  excerptOf,
  type ParsedRecord,
  type RecordEvent,
  type RecordValue,
  type RejectedRow,
} from './record-event.js';
export {
  recordEncodings,
  recordFormatSchema,
  type RecordEncoding,
  type RecordFormatInput,
  type RecordFormatOptions,
} from './record-format-schema.js';
export { businessKeyOf, canonicalJson, recordKey, RecordKeyError, rejectedRowKey } from './record-key.js';

// File-name templates of the file destination: {{placeholders}} filled from the record, and the rule for a safe name.
import type { OutgoingRecord } from '../../core/destination.js';
import {
  placeholderPattern,
  recordFieldText,
  templateFields,
  unknownPlaceholderProblems,
} from '../../core/record-template.js';
/** Placeholders that have a single value for a whole batch. */
const batchFields = new Set(['idempotencyKey', 'date']);
const maxNameBytes = 255;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const controlCharacter = /[\u0000-\u001f\u007f]/;
const windowsReserved = /[<>:"|?*]/;

export class FileNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileNameError';
  }
}

/** Fields of the template that have no single value for a batch of records. */
export function perRecordFields(template: string): string[] {
  return templateFields(template).filter((field) => !batchFields.has(field));
}

/** Why `text` cannot be (part of) a file name, or undefined when it can. */
function segmentProblem(text: string, windows: boolean): string | undefined {
  if (text.includes('/') || text.includes('\\')) return 'contains a path separator (/ or \\)';
  if (text.includes('..')) return 'contains ".."';
  if (controlCharacter.test(text)) return 'contains a control character';
  if (windows && windowsReserved.test(text)) return 'contains a character Windows refuses in names (<>:"|?*)';
  return undefined;
}

/** Why a whole rendered name is unsafe, or undefined when it is a single safe file-name segment. */
export function fileNameProblem(name: string, windows = false): string | undefined {
  if (name === '') return 'is empty';
  const problem = segmentProblem(name, windows);
  if (problem) return problem;
  if (name.startsWith('.')) return 'starts with a dot (hidden names are kept for temporary files)';
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > maxNameBytes)
    return `is ${bytes} bytes long, more than the ${maxNameBytes} a file name may have`;
  return undefined;
}

/** Problems with a template, for config validation: unknown placeholders, and literal text that is no safe name. */
export function fileNameTemplateProblems(template: string): string[] {
  const problems = unknownPlaceholderProblems(template, ['date']);
  const literal = template.replace(placeholderPattern, 'x');
  const problem = fileNameProblem(literal);
  if (problem) problems.push(`the name ${JSON.stringify(template)} ${problem}`);
  return problems;
}

function fieldValue(field: string, key: string, record: OutgoingRecord | undefined, now: Date): string {
  if (field === 'idempotencyKey') return key;
  if (field === 'date') return now.toISOString().slice(0, 10);
  if (!record)
    throw new FileNameError(
      `the file name needs {{${field}}}, which has no single value for a batch of records`,
    );
  return recordFieldText(field, record, key, 'the file name', (message) => new FileNameError(message));
}

export interface FileNameInput {
  /** The request's idempotency key: the record's own, or the batch's. */
  idempotencyKey: string;
  /** The record, for a single-record file; absent for a batch. */
  record?: OutgoingRecord;
  now: Date;
  /** Also refuse the characters Windows does not allow in names. */
  windows: boolean;
}

/** Fills the template; throws FileNameError naming the field when a value would make an unsafe name. */
export function renderFileName(template: string, input: FileNameInput): string {
  const name = template.replace(placeholderPattern, (_match, field: string) => {
    const value = fieldValue(field, input.idempotencyKey, input.record, input.now);
    const problem = segmentProblem(value, input.windows);
    if (problem)
      throw new FileNameError(
        `{{${field}}} is ${JSON.stringify(value)} for this record, which ${problem}: a file name must be a single name inside the folder`,
      );
    return value;
  });
  const problem = fileNameProblem(name, input.windows);
  if (problem)
    throw new FileNameError(
      `the file name ${JSON.stringify(name)} (from ${JSON.stringify(template)}) ${problem}`,
    );
  return name;
}

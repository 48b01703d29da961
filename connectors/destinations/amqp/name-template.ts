// Exchange and routing-key templates of the AMQP destination: {{placeholders}} filled from the record.
import type { OutgoingRecord } from '../../core/destination.js';
import {
  placeholderPattern,
  recordFieldText,
  unknownPlaceholderProblems,
} from '../../core/record-template.js';
/** AMQP 0-9-1 carries exchange names and routing keys as short strings: at most 255 bytes. */
export const maxNameBytes = 255;

/** Which setting a template belongs to, for messages that name it. */
export type NameField = 'exchange' | 'routingKey';

export class NameTemplateError extends Error {
  constructor(
    readonly field: NameField,
    message: string,
  ) {
    super(message);
    this.name = 'NameTemplateError';
  }
}

/** Problems with a template, for config validation: unknown placeholders and literal text over 255 bytes. */
export function templateProblems(template: string): string[] {
  const problems = unknownPlaceholderProblems(template);
  const literalBytes = new TextEncoder().encode(template.replace(placeholderPattern, '')).length;
  if (literalBytes > maxNameBytes)
    problems.push(`is ${literalBytes} bytes long without its placeholders; AMQP allows ${maxNameBytes}`);
  return problems;
}

/**
 * Fills `template` for one record; throws NameTemplateError naming the field when the result is over 255 bytes, or
 * empty although the template was not (an empty exchange is the default exchange only when configured as "").
 */
export function renderName(template: string, record: OutgoingRecord, key: string, field: NameField): string {
  const name = template.replace(placeholderPattern, (_match, name: string) =>
    recordFieldText(name, record, key, field, (message) => new NameTemplateError(field, message)),
  );
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > maxNameBytes)
    throw new NameTemplateError(
      field,
      `${field} renders to ${bytes} bytes for this record (from ${JSON.stringify(template)}); AMQP allows ${maxNameBytes}`,
    );
  if (name === '' && template !== '')
    throw new NameTemplateError(
      field,
      `${field} renders to an empty name for this record (from ${JSON.stringify(template)})`,
    );
  return name;
}

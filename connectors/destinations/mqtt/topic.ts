// MQTT topic templates: {{placeholders}} filled from the record, and the rules a topic name must keep to publish.
import type { OutgoingRecord } from '../../core/destination.js';

const placeholder = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const fieldName = /^(idempotencyKey|businessKey|record(\.[A-Za-z0-9_$-]+)+)$/;
/** MQTT strings carry at most 65535 bytes of UTF-8. */
export const maxTopicBytes = 65_535;

export class TopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicError';
  }
}

/** The placeholders of a template, e.g. ["businessKey", "record.region"]. */
export function topicFields(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] ?? '');
}

/** Why `topic` cannot be published to, or undefined when it can. */
export function topicProblem(topic: string): string | undefined {
  if (topic === '') return 'is empty';
  if (topic.includes('+') || topic.includes('#'))
    return 'contains a wildcard (+ or #), which only subscriptions may use';
  if (topic.includes('\u0000')) return 'contains a NUL character';
  if (topic.startsWith('$')) return 'starts with "$", which brokers keep for their own topics ($SYS…)';
  if (topic.split('/').some((level) => level === ''))
    return 'has an empty level (a leading, trailing or double "/")';
  const bytes = new TextEncoder().encode(topic).length;
  if (bytes > maxTopicBytes) return `is ${bytes} bytes long, more than the ${maxTopicBytes} MQTT allows`;
  return undefined;
}

/** Problems with a template, for config validation: unknown placeholders, and literal text that is no topic name. */
export function topicTemplateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const field of topicFields(template)) {
    if (!fieldName.test(field))
      problems.push(
        `unknown placeholder {{${field}}}: use {{idempotencyKey}}, {{businessKey}} or {{record.<field>}}`,
      );
  }
  const problem = topicProblem(template.replace(placeholder, 'x'));
  if (problem) problems.push(`the topic ${JSON.stringify(template)} ${problem}`);
  return problems;
}

/** The template with every placeholder replaced by `value` (check topics, examples). */
export function fillTopic(template: string, value: string): string {
  return template.replace(placeholder, value);
}

function payloadField(record: OutgoingRecord, field: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(record.payload.toString('utf8'));
  } catch {
    throw new TopicError(
      `the topic uses {{${field}}} but the record's payload is not JSON (${record.contentType})`,
    );
  }
  for (const part of field.split('.').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function fieldValue(field: string, record: OutgoingRecord): string {
  if (field === 'idempotencyKey') return record.idempotencyKey;
  const value = field === 'businessKey' ? (record.businessKey ?? undefined) : payloadField(record, field);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const what = value === undefined || value === null || value === '' ? 'no value' : 'a non-text value';
  throw new TopicError(`the topic needs {{${field}}}, but this record has ${what} for it`);
}

/** Why a placeholder's value cannot go into one topic level, or undefined when it can. */
function valueProblem(value: string): string | undefined {
  if (value.includes('/')) return 'contains "/", which would add topic levels';
  if (value.includes('+') || value.includes('#')) return 'contains a wildcard (+ or #)';
  if (value.includes('\u0000')) return 'contains a NUL character';
  return undefined;
}

/** Fills the template for one record; throws TopicError naming the field when the topic would be invalid. */
export function renderTopic(template: string, record: OutgoingRecord): string {
  const topic = template.replace(placeholder, (_match, field: string) => {
    const value = fieldValue(field, record);
    const problem = valueProblem(value);
    if (problem)
      throw new TopicError(
        `{{${field}}} is ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)} for this record, which ${problem}`,
      );
    return value;
  });
  const problem = topicProblem(topic);
  if (problem) {
    const shown = topic.length > 128 ? `${topic.slice(0, 128)}…` : topic;
    throw new TopicError(`the topic ${JSON.stringify(shown)} (from ${JSON.stringify(template)}) ${problem}`);
  }
  return topic;
}

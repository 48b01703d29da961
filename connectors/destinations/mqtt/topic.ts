// MQTT topic templates: {{placeholders}} filled from the record, and the rules a topic name must keep to publish.
import type { OutgoingRecord } from '../../core/destination.js';
import {
  placeholderPattern,
  recordFieldText,
  unknownPlaceholderProblems,
} from '../../core/record-template.js';
/** MQTT strings carry at most 65535 bytes of UTF-8. */
export const maxTopicBytes = 65_535;

export class TopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicError';
  }
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
  const problems = unknownPlaceholderProblems(template);
  const problem = topicProblem(template.replace(placeholderPattern, 'x'));
  if (problem) problems.push(`the topic ${JSON.stringify(template)} ${problem}`);
  return problems;
}

/** The template with every placeholder replaced by `value` (check topics, examples). */
export function fillTopic(template: string, value: string): string {
  return template.replace(placeholderPattern, value);
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
  const topic = template.replace(placeholderPattern, (_match, field: string) => {
    const value = recordFieldText(
      field,
      record,
      record.idempotencyKey,
      'the topic',
      (m) => new TopicError(m),
    );
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

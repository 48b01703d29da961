// A receiver's answer at rest: with outbox encryption on, its words and response excerpt are sealed with the record, only the verdict stays clear.
import type { ResponseExcerpt, SendResult } from '../../connectors/core/destination.js';
import { errorMessage } from '../shared/error-message.js';
import type { PayloadCodec } from './data-keys.js';
import type { TimelineEvent } from './timeline.js';

/** What the clear error says instead of the receiver's words. */
export const answerSealedNote = 'its answer is stored encrypted with the record (open its timeline as admin)';

/** What is sealed: the error as the destination worded it (with the receiver's words) and the response excerpt. */
interface SealedAnswer {
  error: string;
  response?: ResponseExcerpt;
}

export interface AnswerAtRest {
  /** The send's result as status, log and the record's last error may show it. */
  result: SendResult;
  /** The sealed answer (base64), stored on the attempt's timeline event; absent when nothing was sealed. */
  sealedAnswer?: string;
}

/**
 * Without a codec (encryption off) the result as it is. With one, a result that quotes the receiver
 * (`errorWithoutAnswer`) or carries a response excerpt is split: the error without the receiver's words (plus a note
 * saying where they are) stays clear, and the full error and the excerpt are sealed under the connection's data key.
 */
export function answerAtRest(
  codec: PayloadCodec | undefined,
  connection: string,
  result: SendResult,
): AnswerAtRest {
  if (!codec || (result.kind !== 'retry' && result.kind !== 'dead')) return { result };
  const response = result.kind === 'dead' ? result.response : undefined;
  const { errorWithoutAnswer } = result;
  if (errorWithoutAnswer === undefined && response === undefined) return { result };
  const answer: SealedAnswer = { error: result.error, ...(response ? { response } : {}) };
  const sealedAnswer = codec.seal(connection, Buffer.from(JSON.stringify(answer))).toString('base64');
  const error =
    errorWithoutAnswer === undefined ? result.error : `${errorWithoutAnswer}; ${answerSealedNote}`;
  const { errorWithoutAnswer: _quoted, ...rest } = result;
  if (rest.kind === 'dead') {
    const { response: _sealed, ...withoutResponse } = rest;
    return { result: { ...withoutResponse, error }, sealedAnswer };
  }
  return { result: { ...rest, error }, sealedAnswer };
}

/** The detail with its sealed answer opened (error and response as the destination gave them), or why it cannot be. */
function openedDetail(
  codec: PayloadCodec | undefined,
  connection: string,
  detail: Record<string, unknown>,
  sealed: string,
): Record<string, unknown> {
  const { sealedAnswer: _sealed, ...rest } = detail;
  if (!codec)
    return {
      ...rest,
      answer:
        'stored encrypted, and outbox.encryption.enabled is off. Fix: turn it on again (the data keys are still in the secret store) to read it',
    };
  try {
    const answer = JSON.parse(
      codec.open(connection, Buffer.from(sealed, 'base64')).toString('utf8'),
    ) as SealedAnswer;
    return { ...rest, error: answer.error, ...(answer.response ? { response: answer.response } : {}) };
  } catch (error) {
    return { ...rest, answer: `stored encrypted, and cannot be opened: ${errorMessage(error)}` };
  }
}

/**
 * Timeline events as the reader may see them: for an admin (`open`) every sealed answer opened; for anyone else
 * it stays sealed and the event says so. Events without a sealed answer pass through.
 */
export function answersFor(
  codec: PayloadCodec | undefined,
  connection: string,
  events: TimelineEvent[],
  open: boolean,
): TimelineEvent[] {
  return events.map((event) => {
    const sealed = event.detail?.sealedAnswer;
    if (typeof sealed !== 'string' || !event.detail) return event;
    if (open) return { ...event, detail: openedDetail(codec, connection, event.detail, sealed) };
    const { sealedAnswer: _sealed, ...rest } = event.detail;
    return { ...event, detail: { ...rest, answer: 'stored encrypted; an admin sees it on this timeline' } };
  });
}

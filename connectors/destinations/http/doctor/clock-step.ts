// Compares this computer's clock with a server's Date header: OAuth token lifetimes and HMAC timestamps break on skew.
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';

export const clockWarnMs = 60_000;
export const clockFailMs = 5 * 60_000;

export interface DatedAnswer {
  /** The Date header, as sent. */
  date: string;
  /** Local clock (ms) when the request was sent and when the answer arrived. */
  sentAt: number;
  receivedAt: number;
  /** Host (and port) that answered, for the message. */
  from: string;
}

const fix =
  'turn on time synchronisation on this computer (Linux: timedatectl set-ntp true; Windows: w32tm /resync; macOS: System Settings → Date & Time → Set automatically); OAuth tokens and HMAC signatures are rejected when the clocks differ';

function describeSkew(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const amount = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  return ms > 0 ? `this computer's clock is ${amount} behind` : `this computer's clock is ${amount} ahead of`;
}

/** Clock check from a server answer; skip when there was none or it carried no usable Date. */
export function checkClock(answer: DatedAnswer | undefined): DoctorCheck {
  const title = 'Clock';
  if (answer === undefined)
    return {
      id: 'clock',
      title,
      status: 'skip',
      detail: 'no server answer with a Date header to compare with',
    };
  const server = Date.parse(answer.date);
  if (Number.isNaN(server))
    return {
      id: 'clock',
      title,
      status: 'skip',
      detail: `the Date header from ${answer.from} is unreadable`,
    };
  // The Date header has whole seconds: compare with the middle of the exchange and allow that second.
  const local = (answer.sentAt + answer.receivedAt) / 2;
  const raw = server - local;
  const skewMs = Math.abs(raw) <= 1000 + (answer.receivedAt - answer.sentAt) / 2 ? 0 : Math.round(raw);
  const data = { skewMs, serverDate: answer.date, from: answer.from };
  if (Math.abs(skewMs) > clockFailMs)
    return {
      id: 'clock',
      title,
      status: 'fail',
      detail: `${describeSkew(skewMs)} ${answer.from}'s clock`,
      fix,
      data,
    };
  if (Math.abs(skewMs) > clockWarnMs)
    return {
      id: 'clock',
      title,
      status: 'warn',
      detail: `${describeSkew(skewMs)} ${answer.from}'s clock`,
      fix,
      data,
    };
  return {
    id: 'clock',
    title,
    status: 'pass',
    detail: `within ${Math.max(1, Math.round(Math.abs(skewMs) / 1000))} s of ${answer.from}'s clock`,
    data,
  };
}

// amqplib loads on the first connect, not at start: an agent without an AMQP destination never pays for it.
import type * as Library from 'amqplib';

type AmqpModule = typeof Library;

let loading: Promise<AmqpModule> | undefined;

export function loadAmqp(): Promise<AmqpModule> {
  loading ??= import('amqplib');
  return loading;
}

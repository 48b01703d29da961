// Example consumer that applies each agent message once: it remembers applied keys in SQLite (message-id / MQTT user property).
// Run: node --import tsx test/support/dedupe-consumer.ts <amqp://user:pass@host/vhost | mqtt://host:1883> <queue | topic filter> <state.db> [count]
import Database from 'better-sqlite3';

const [url, source, stateFile, countText] = process.argv.slice(2);
if (!url || !source || !stateFile) {
  console.error(
    'usage: dedupe-consumer.mjs <amqp://… | mqtt://…> <queue | topic filter> <state.db> [stop after N new messages]',
  );
  process.exit(2);
}
const stopAfter = countText ? Number(countText) : Infinity;
if (Number.isNaN(stopAfter)) {
  console.error(`the count must be a number, got ${countText}`);
  process.exit(2);
}

// The key and the effect are committed together: a crash between them cannot apply a message twice or lose it.
const db = new Database(stateFile);
db.pragma('journal_mode = WAL');
db.exec(
  `CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY, payload BLOB NOT NULL, applied_at INTEGER NOT NULL)`,
);
const insert = db.prepare('INSERT OR IGNORE INTO applied (key, payload, applied_at) VALUES (?, ?, ?)');
let fresh = 0;
let duplicates = 0;
let stop: () => void = () => undefined;

/** Applies a message once per key; returns after the commit, so the caller may acknowledge it to the broker. */
function apply(key: unknown, payload: Buffer): void {
  if (typeof key !== 'string' || key === '') {
    console.log(
      JSON.stringify({ event: 'no-key', note: 'message without idempotency key: applied without dedupe' }),
    );
    return;
  }
  const { changes } = insert.run(key, payload, Date.now());
  if (changes === 0) duplicates += 1;
  else fresh += 1;
  console.log(JSON.stringify({ event: changes === 0 ? 'duplicate' : 'applied', key }));
}

let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  console.log(JSON.stringify({ event: 'done', applied: fresh, duplicates }));
  db.close();
  process.exit(0);
}

if (url.startsWith('amqp')) {
  const { default: amqp } = await import('amqplib');
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.prefetch(100);
  stop = () => void connection.close().then(finish, finish);
  // Ack only after the commit: an unacked message comes back after a crash and is then dropped as a duplicate.
  await channel.consume(source, (message) => {
    if (!message) return;
    apply(message.properties.messageId as unknown, message.content);
    channel.ack(message);
    if (fresh >= stopAfter) stop();
  });
} else {
  const { connectAsync } = await import('mqtt');
  // A fixed client id without clean start: the broker keeps the session and queues messages while we are away.
  const client = await connectAsync(url, {
    protocolVersion: 5,
    clientId: `dedupe-consumer-${source.replace(/[^A-Za-z0-9]/g, '-')}`,
    clean: false,
    properties: { sessionExpiryInterval: 86400 },
    // Acknowledge after the handler returned, i.e. after the commit.
    customHandleAcks: (_topic, _message, _packet, done) => done(0),
  });
  stop = () => void client.endAsync().then(finish, finish);
  client.on('message', (_topic, payload, packet) => {
    const key = packet.properties?.userProperties?.['idempotency-key'];
    apply(Array.isArray(key) ? key[0] : key, payload);
    if (fresh >= stopAfter) setImmediate(stop); // after mqtt.js sent the PUBACK
  });
  await client.subscribeAsync(source, { qos: 1 });
}
console.log(JSON.stringify({ event: 'ready' }));
process.on('SIGTERM', () => stop());
process.on('SIGINT', () => stop());

// The size in bytes of the PUBLISH packet a message makes, to refuse one the broker's Maximum Packet Size would not take.
import type { IClientPublishOptions } from 'mqtt';

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Bytes of a variable byte integer (MQTT's remaining length and property length). */
function varIntBytes(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

function propertyBytes(properties: IClientPublishOptions['properties']): number {
  if (!properties) return 0;
  let bytes = 0;
  if (properties.contentType !== undefined) bytes += 1 + 2 + utf8(properties.contentType);
  if (properties.messageExpiryInterval !== undefined) bytes += 1 + 4;
  for (const [key, value] of Object.entries(properties.userProperties ?? {}))
    for (const item of [value].flat()) bytes += 1 + 2 + utf8(key) + 2 + utf8(item);
  return bytes;
}

/** The whole PUBLISH packet at QoS 1 or 2: fixed header, topic, packet id, properties (MQTT 5) and payload. */
export function publishPacketBytes(
  topic: string,
  payload: Buffer,
  options: IClientPublishOptions,
  protocolVersion: 4 | 5,
): number {
  const properties = propertyBytes(options.properties);
  const propertySection = protocolVersion === 5 ? varIntBytes(properties) + properties : 0;
  const remaining = 2 + utf8(topic) + 2 + propertySection + payload.length;
  return 1 + varIntBytes(remaining) + remaining;
}

// Counts what the devices on a broker publish, per device and topic kind: messages, payload
// bytes and MQTT PUBLISH packet bytes (fixed header, topic, packet id, properties, payload; not
// TCP/TLS framing or the PUBACKs). Prints one JSON object. Used by scripts/measure-traffic.sh
// for the figures in docs/dashboard.md.
//
//   node tools/measure-traffic.mjs --mqtt mqtt://127.0.0.1:1883 --seconds 120 [--root edgeemo/v1]

import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const { values: args } = parseArgs({
  options: { mqtt: { type: 'string' }, seconds: { type: 'string', default: '120' }, root: { type: 'string', default: 'edgeemo/v1' } },
});
if (!args.mqtt) {
  console.error('error: --mqtt mqtt://HOST:PORT is required');
  process.exit(2);
}

/** MQTT's variable-length integer: 1 to 4 bytes. */
const varintBytes = (n) => (n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4);

const counts = {};
const client = await mqtt.connectAsync(args.mqtt, { protocolVersion: 5, clientId: `edgeemo-traffic-${process.pid}` });
const started = Date.now();
client.on('message', (topic, payload, packet) => {
  const rest = topic.slice(args.root.length + 1);
  const slash = rest.indexOf('/');
  const device = rest.slice(0, slash);
  const kind = rest.slice(slash + 1);
  if (kind === 'ota/request') return;
  const c = ((counts[device] ??= {})[kind] ??= { messages: 0, payloadBytes: 0, packetBytes: 0, retained: 0 });
  c.messages++;
  c.payloadBytes += payload.length;
  c.packetBytes += 1 + varintBytes(packet.length) + packet.length;
  if (packet.retain) c.retained++;
});
await client.subscribeAsync(`${args.root}/+/#`, { qos: 1 });
await new Promise((resolve) => setTimeout(resolve, Number(args.seconds) * 1000));
const seconds = (Date.now() - started) / 1000;
await client.endAsync();

const perDevice = {};
for (const [device, kinds] of Object.entries(counts)) {
  const total = { messages: 0, payloadBytes: 0, packetBytes: 0 };
  const byKind = {};
  for (const [kind, c] of Object.entries(kinds)) {
    byKind[kind] = {
      ...c,
      perSecond: +(c.messages / seconds).toFixed(3),
      meanPayloadBytes: Math.round(c.payloadBytes / c.messages),
      meanPacketBytes: Math.round(c.packetBytes / c.messages),
      packetBytesPerHour: Math.round((c.packetBytes / seconds) * 3600),
    };
    total.messages += c.messages;
    total.payloadBytes += c.payloadBytes;
    total.packetBytes += c.packetBytes;
  }
  perDevice[device] = {
    byKind,
    messagesPerSecond: +(total.messages / seconds).toFixed(3),
    messagesPerHour: Math.round((total.messages / seconds) * 3600),
    payloadBytesPerHour: Math.round((total.payloadBytes / seconds) * 3600),
    packetBytesPerHour: Math.round((total.packetBytes / seconds) * 3600),
  };
}
console.log(JSON.stringify({ seconds: +seconds.toFixed(1), devices: perDevice }, null, 2));

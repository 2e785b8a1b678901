// Where the dashboard connects: the broker that served the page (same host and port, ws:// or
// wss:// after the page's own scheme), unless the query string names another one.

/** The MQTT topic root every device publishes under (docs/mqtt.md, Mqtt.TopicRoot). */
export const DEFAULT_TOPIC_ROOT = 'edgeemo/v1';

/** The path of the WebSockets endpoint: mosquitto takes any, EMQX, HiveMQ and VerneMQ use /mqtt. */
export const DEFAULT_WS_PATH = '/mqtt';

/**
 * Reads the connection settings from the page's address.
 * `?broker=wss://broker.clinic.example:8884/mqtt` overrides the broker, `?root=site/edgeemo/v1`
 * the topic root. Throws an Error with a one-line message for a value it cannot use.
 * @param {{protocol: string, host: string, search: string}} location
 */
export function connectionSettings(location) {
  const query = new URLSearchParams(location.search);
  const override = query.get('broker');
  let brokerUrl;
  if (override) {
    let parsed;
    try {
      parsed = new URL(override);
    } catch {
      throw new Error(`broker '${override}' is not a URL like wss://host:port/mqtt`);
    }
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new Error(`broker '${override}' must start with ws:// or wss:// (a browser speaks MQTT over WebSockets only)`);
    }
    if (parsed.username || parsed.password) {
      throw new Error('broker URL must not hold a user name or password: type them into the form');
    }
    brokerUrl = parsed.pathname === '/' && !override.endsWith('/') ? `${parsed.origin}${DEFAULT_WS_PATH}` : parsed.href;
  } else {
    if (location.protocol !== 'http:' && location.protocol !== 'https:') {
      throw new Error(`the page was opened from ${location.protocol}//: open it from the broker (http://host:port/) or add ?broker=ws://host:port`);
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    brokerUrl = `${scheme}//${location.host}${DEFAULT_WS_PATH}`;
  }

  const root = (query.get('root') ?? DEFAULT_TOPIC_ROOT).replace(/\/+$/, '');
  if (root === '' || /[+#]/.test(root)) {
    throw new Error(`root '${root}' must be a topic prefix without + or #`);
  }

  return { brokerUrl, root, compact: query.get('view') === 'compact' };
}

/** The topics a dashboard reads: every device's status, scores, health and OTA status (not ota/request). */
export function subscriptions(root) {
  return [`${root}/+/status`, `${root}/+/scores`, `${root}/+/health`, `${root}/+/ota/status`];
}

/**
 * Splits a topic under the root into the device id and the message kind
 * (status, scores, health, ota/status); null for anything else.
 */
export function parseTopic(root, topic) {
  if (!topic.startsWith(`${root}/`)) {
    return null;
  }
  const rest = topic.slice(root.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0) {
    return null;
  }
  const deviceId = rest.slice(0, slash);
  const kind = rest.slice(slash + 1);
  return ['status', 'scores', 'health', 'ota/status'].includes(kind) ? { deviceId, kind } : null;
}

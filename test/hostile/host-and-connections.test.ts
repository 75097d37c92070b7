/**
 * DNS rebinding and connection floods against a real `edgewatch sensor` on loopback: a Host
 * header naming another site gets 421, and connections beyond web.max-connections are refused
 * while those already open keep working.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type SensorUnderTest, startSensor } from '../helpers/sensor-process.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

/** One GET with the given Host header on a new connection: the status, or 0 if it was closed. */
function getWithHost(port: number, host: string | undefined, path = '/sensor'): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', () => undefined);
    const hostLine = host === undefined ? '' : `Host: ${host}\r\n`;
    socket.write(`GET ${path} HTTP/1.${host === undefined ? 0 : 1}\r\n${hostLine}\r\n`);
  });
}

describe('Host header and connection limits', () => {
  const sysfs = new SysfsTree().typicalBox();
  let sensor: SensorUnderTest;
  let port: number;

  before(async () => {
    sensor = await startSensor(sysfs, ['--web.allowed-hosts=box-17.site.example', '--web.max-connections=8']);
    port = sensor.port;
  });
  after(async () => {
    await sensor?.stop();
    sysfs.remove();
  });

  it('answers loopback names and configured names', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      '[::1]',
      'box-17.site.example',
      undefined,
    ]) {
      assert.equal(await getWithHost(port, host), 200, String(host));
    }
  });

  it('refuses a rebound name with 421 on every route', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, '10.0.0.5', 'localhost.evil.example', '[']) {
      for (const path of ['/sensor', '/metrics', '/api/stack', '/healthz']) {
        assert.equal(await getWithHost(port, host, path), 421, `${host} ${path}`);
      }
    }
  });

  it('refuses connections beyond web.max-connections and keeps serving those it has', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        held.push(socket);
      }
      // Node closes sockets past maxConnections at accept: no answer, the connection just ends.
      assert.equal(await getWithHost(port, '127.0.0.1'), 0);
      const first = held[0] as Socket;
      const answer = new Promise<string>((resolve) =>
        first.once('data', (c: Buffer) => resolve(c.toString())),
      );
      first.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      assert.match(await answer, /^HTTP\/1\.1 200/);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await waitFor('a connection after the flood', async () => (await getWithHost(port, '127.0.0.1')) === 200);
    assert.equal(sensor.proc.child.exitCode, null);
  });
});

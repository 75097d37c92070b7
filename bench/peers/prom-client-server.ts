/**
 * The peer: a straightforward node:http + prom-client sensor service, written the way most
 * Node services are (default metrics, metrics rendered per scrape). Same endpoints and sensors
 * as edgewatch's (a simulated temperature and humidity pair per sensor), for the benchmark only.
 *
 *   node prom-client-server.js <port> <sensors>
 */
import { createServer } from 'node:http';
import client from 'prom-client';

const port = Number(process.argv[2] ?? 8001);
const sensors = Number(process.argv[3] ?? 4);
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const temperature = new client.Gauge({
  name: 'sensor_temperature_celsius',
  help: 'Temperature reading.',
  labelNames: ['source', 'device', 'channel', 'location'],
  registers: [registry],
});
const humidity = new client.Gauge({
  name: 'sensor_humidity_ratio',
  help: 'Relative humidity reading.',
  labelNames: ['source', 'device', 'channel', 'location'],
  registers: [registry],
});
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Request duration.',
  labelNames: ['route'],
  registers: [registry],
});
const readings: Array<{ device: string; temp: number; hum: number; at: number }> = [];
for (let i = 0; i < sensors; i++) readings.push({ device: `sim${i}`, temp: 21, hum: 0.45, at: Date.now() });
setInterval(() => {
  for (const r of readings) {
    r.temp += Math.random() - 0.5;
    r.hum = Math.min(1, Math.max(0, r.hum + (Math.random() - 0.5) / 100));
    r.at = Date.now();
    temperature.set({ source: 'simulated', device: r.device, channel: 'temp', location: '' }, r.temp);
    humidity.set({ source: 'simulated', device: r.device, channel: 'humidityrelative', location: '' }, r.hum);
  }
}, 5000);

createServer(async (req, res) => {
  const end = duration.startTimer({ route: req.url ?? '' });
  if (req.url === '/metrics') {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(body);
  } else if (req.url === '/sensor') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', timestamp: new Date().toISOString(), sensors: readings }));
  } else {
    res.writeHead(404);
    res.end();
  }
  end();
}).listen(port, '127.0.0.1');

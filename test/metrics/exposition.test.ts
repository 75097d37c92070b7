import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExpositionFormat } from '../../src/metrics/exposition.js';
import { CounterFamily, GaugeFamily, HistogramFamily, InfoFamily } from '../../src/metrics/metric.js';
import { negotiateFormat, Registry } from '../../src/metrics/registry.js';

function build() {
  const registry = new Registry();
  const gauge = registry.register(
    new GaugeFamily({
      name: 'test_temperature_celsius',
      help: 'A "gauge"\\ with\nnewline.',
      labelNames: ['device'],
    }),
  );
  gauge.series({ device: 'a"b\\c\nd' }).value = 21.5;
  const counter = registry.register(new CounterFamily({ name: 'test_errors_total', help: 'Errors.' }));
  counter.series().value = 3;
  registry
    .register(new InfoFamily({ name: 'test_build_info', help: 'Build.', labelNames: ['version'] }))
    .series({
      version: '1.0',
    });
  const histogram = registry.register(
    new HistogramFamily({
      name: 'test_duration_seconds',
      help: 'Durations.',
      labelNames: ['route'],
      buckets: [0.1, 1],
    }),
  );
  const h = histogram.series({ route: 'metrics' });
  for (const v of [0.05, 0.5, 0.5, 5]) h.observe(v);
  return registry;
}

// The same expectations for both formats, as prom-client tests its registry.
for (const format of ['prometheus', 'openmetrics'] as ExpositionFormat[]) {
  describe(`exposition (${format})`, () => {
    const text = build().render(format);
    const lines = text.split('\n');

    it('escapes label values and help text', () => {
      assert.ok(lines.includes('test_temperature_celsius{device="a\\"b\\\\c\\nd"} 21.5'), text);
      assert.ok(text.includes('A "gauge"\\\\ with\\nnewline.'));
    });

    it('renders histograms cumulatively with +Inf, sum and count', () => {
      assert.ok(lines.includes('test_duration_seconds_bucket{route="metrics",le="0.1"} 1'));
      assert.ok(lines.includes('test_duration_seconds_bucket{route="metrics",le="1"} 3'));
      assert.ok(lines.includes('test_duration_seconds_bucket{route="metrics",le="+Inf"} 4'));
      assert.ok(lines.includes('test_duration_seconds_sum{route="metrics"} 6.05'));
      assert.ok(lines.includes('test_duration_seconds_count{route="metrics"} 4'));
    });

    it('keeps counter samples named _total', () => {
      assert.ok(lines.includes('test_errors_total 3'));
      assert.ok(lines.includes('test_build_info{version="1.0"} 1'));
    });

    if (format === 'openmetrics') {
      it('names families without suffixes and ends with # EOF', () => {
        assert.ok(lines.includes('# TYPE test_errors counter'));
        assert.ok(lines.includes('# TYPE test_build info'));
        assert.equal(lines.at(-2), '# EOF');
      });
    } else {
      it('types counters by full name and info metrics as gauges', () => {
        assert.ok(lines.includes('# TYPE test_errors_total counter'));
        assert.ok(lines.includes('# TYPE test_build_info gauge'));
        assert.ok(!text.includes('# EOF'));
      });
    }
  });
}

describe('families', () => {
  it('refuses invalid names and counters without _total', () => {
    assert.throws(() => new GaugeFamily({ name: '1bad', help: 'x' }));
    assert.throws(() => new CounterFamily({ name: 'test_errors', help: 'x' }));
  });
  it('prints nothing for a family without series', () => {
    const registry = new Registry();
    registry.register(new GaugeFamily({ name: 'empty_gauge', help: 'x', labelNames: ['a'] }));
    assert.equal(registry.render(), '');
  });
  it('negotiates OpenMetrics only when asked by name', () => {
    assert.equal(negotiateFormat(undefined), 'prometheus');
    assert.equal(negotiateFormat('text/plain;version=0.0.4;q=1,*/*;q=0.1'), 'prometheus');
    assert.equal(
      negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'),
      'openmetrics',
    );
  });
});

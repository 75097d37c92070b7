/** A chart's legend statistics, its CSV, its threshold lines and its sensor names, without a browser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartCsv, seriesStats, toChartData, withLines } from '../../dashboard/src/chart-data.js';
import { ChartMeta, linesFor } from '../../dashboard/src/chart-meta.js';
import { charts } from '../../dashboard/src/queries.js';
import type { ThresholdJson } from '../../src/api/types.js';

const spec = (id: string) => charts.find((c) => c.id === id) ?? assert.fail(id);

describe('chart data', () => {
  it('min, max and avg over the drawn points; gaps are not zeros', () => {
    assert.deepEqual(seriesStats([20, null, 22, undefined, 24]), { min: 20, max: 24, avg: 22 });
    assert.equal(seriesStats([null, null]), null);
  });

  it('CSV of what the chart shows: RFC 3339 time, a column per series, empty cells in gaps', () => {
    const csv = chartCsv({
      xs: [1_764_842_400, 1_764_842_405],
      series: [
        { label: 'shed bme280 Temperature', values: [21.5, null], dashed: false, latest: 21.5 },
        { label: 'a "quoted", label', values: [1, 2], dashed: false, latest: 2 },
      ],
    });
    assert.equal(
      csv,
      'time,shed bme280 Temperature,"a ""quoted"", label"\r\n' +
        '2025-12-04T10:00:00.000Z,21.5,1\r\n' +
        '2025-12-04T10:00:05.000Z,,2\r\n',
    );
  });

  it('threshold lines on the charts whose query reads the metric, in the chart unit', () => {
    const t = (
      alert: string,
      metric: string,
      direction: 'above' | 'below',
      value: number,
    ): ThresholdJson => ({
      alert,
      metric,
      direction,
      value,
      option: 'x',
    });
    const thresholds = [
      t('SensorTemperatureHigh', 'sensor_temperature_celsius', 'above', 40),
      t('SensorHumidityHigh', 'sensor_humidity_ratio', 'above', 0.9),
    ];
    assert.deepEqual(linesFor(spec('temperature'), thresholds), [{ label: 'alert above', value: 40 }]);
    assert.deepEqual(linesFor(spec('humidity'), thresholds), [{ label: 'alert above', value: 90 }]);
    assert.deepEqual(linesFor(spec('pressure'), thresholds), []);
  });

  it('threshold lines span the whole window, the data columns padded with gaps', () => {
    assert.deepEqual(withLines([20, 30], [[1, 2]], [40], { start: 0, end: 60 }), [
      [0, 20, 30, 60],
      [null, 1, 2, null],
      [40, 40, 40, 40],
    ]);
    assert.deepEqual(withLines([0, 60], [[1, 2]], [], { start: 0, end: 60 }), [
      [0, 60],
      [1, 2],
    ]);
  });

  it('a sensor series is named as its card is, then the quantity in words', () => {
    const meta = new ChartMeta();
    meta.names.set('iio/iio:device0', 'shed bme280');
    const labels = {
      __name__: 'sensor_humidity_ratio',
      source: 'iio',
      device: 'iio:device0',
      channel: 'humidityrelative',
      location: 'shed',
    };
    assert.equal(meta.seriesName(labels), 'shed bme280 Humidity');
    assert.equal(meta.seriesName({ ...labels, device: 'other' }), undefined);
    const data = toChartData(
      [
        {
          query: spec('humidity').queries[0] ?? assert.fail(),
          series: [{ metric: labels, values: [[1, '0.5']] }],
          latest: [],
        },
      ],
      () => true,
      (l) => meta.seriesName(l),
    );
    assert.equal(data.series[0]?.label, 'shed bme280 Humidity');
  });
});

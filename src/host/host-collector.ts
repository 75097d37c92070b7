/**
 * The host's health under node_exporter's names and labels, so existing dashboards and alert
 * rules work unchanged. Values are copied into series handles only when a new sample arrives;
 * a scrape then only joins prebuilt `name{labels} ` prefixes with numbers.
 */
import type { ExpositionFormat } from '../metrics/exposition.js';
import { CounterFamily, FamilyGroup, GaugeFamily } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';
import type { HostSampler, HostSnapshot } from './host-sampler.js';
import { CPU_MODES, MEMINFO_FIELDS } from './procfs.js';

type FsLabel = 'device' | 'fstype' | 'mountpoint';

export class HostCollector implements Collector {
  readonly #sampler: Pick<HostSampler, 'latest'>;
  #applied: HostSnapshot | undefined;

  readonly #cpu = new CounterFamily({
    name: 'node_cpu_seconds_total',
    help: 'CPU seconds per mode.',
    labelNames: ['cpu', 'mode'],
  });
  readonly #memory = MEMINFO_FIELDS.map(
    (field) =>
      [
        field,
        new GaugeFamily({
          name: `node_memory_${field}_bytes`,
          help: `${field} from /proc/meminfo.`,
        }),
      ] as const,
  );
  readonly #load1 = new GaugeFamily({ name: 'node_load1', help: '1m load average.' });
  readonly #load5 = new GaugeFamily({ name: 'node_load5', help: '5m load average.' });
  readonly #load15 = new GaugeFamily({ name: 'node_load15', help: '15m load average.' });
  readonly #fsAvail = fsFamily('node_filesystem_avail_bytes', 'Space available to non-root users.');
  readonly #fsSize = fsFamily('node_filesystem_size_bytes', 'Filesystem size.');
  readonly #fsFree = fsFamily('node_filesystem_free_bytes', 'Free space, root reserve included.');
  readonly #rxBytes = netFamily('node_network_receive_bytes_total', 'Bytes received.');
  readonly #txBytes = netFamily('node_network_transmit_bytes_total', 'Bytes transmitted.');
  readonly #rxErrs = netFamily('node_network_receive_errs_total', 'Receive errors.');
  readonly #txErrs = netFamily('node_network_transmit_errs_total', 'Transmit errors.');
  readonly #bootTime = new GaugeFamily({ name: 'node_boot_time_seconds', help: 'Boot time, unix seconds.' });
  readonly #time = new GaugeFamily({
    name: 'node_time_seconds',
    help: 'Time of the sample, unix seconds.',
  });

  /** Per CPU, one handle per mode in CPU_MODES order. */
  readonly #cpuSeries = new SeriesCache([this.#cpu], (cpu: string) =>
    CPU_MODES.map((mode) => this.#cpu.series({ cpu, mode })),
  );
  /** Per interface: receive bytes, transmit bytes, receive errors, transmit errors. */
  readonly #netSeries = new SeriesCache(
    [this.#rxBytes, this.#txBytes, this.#rxErrs, this.#txErrs],
    (device: string) =>
      [
        this.#rxBytes.series({ device }),
        this.#txBytes.series({ device }),
        this.#rxErrs.series({ device }),
        this.#txErrs.series({ device }),
      ] as const,
  );
  readonly #group = new FamilyGroup([
    this.#cpu,
    ...this.#memory.map(([, family]) => family),
    this.#load1,
    this.#load5,
    this.#load15,
    this.#fsAvail,
    this.#fsSize,
    this.#fsFree,
    this.#rxBytes,
    this.#txBytes,
    this.#rxErrs,
    this.#txErrs,
    this.#bootTime,
    this.#time,
  ]);
  #fsKey = '';

  constructor(sampler: Pick<HostSampler, 'latest'>) {
    this.#sampler = sampler;
  }

  collect(out: string, format: ExpositionFormat): string {
    const snapshot = this.#sampler.latest;
    if (snapshot !== this.#applied) {
      this.#apply(snapshot);
      this.#applied = snapshot;
    }
    return this.#group.collect(out, format);
  }

  #apply(s: HostSnapshot | undefined): void {
    const cpus = s?.cpus ?? [];
    const cpuHandles = this.#cpuSeries.sync(cpus.map((c) => c.cpu));
    cpus.forEach((c, i) => {
      cpuHandles[i]!.forEach((series, m) => {
        series.value = c.seconds[m]!;
      });
    });

    for (const [field, family] of this.#memory) setGauge(family, s?.memory?.[field]);
    setGauge(this.#load1, s?.load?.load1);
    setGauge(this.#load5, s?.load?.load5);
    setGauge(this.#load15, s?.load?.load15);

    const network = s?.network ?? [];
    const netHandles = this.#netSeries.sync(network.map((n) => n.device));
    network.forEach((n, i) => {
      const [rxBytes, txBytes, rxErrs, txErrs] = netHandles[i]!;
      rxBytes.value = n.receiveBytes;
      txBytes.value = n.transmitBytes;
      rxErrs.value = n.receiveErrs;
      txErrs.value = n.transmitErrs;
    });

    const fs = s?.filesystem;
    const fsKey = fs ? `${fs.device}\u0000${fs.fstype}\u0000${fs.mountPoint}` : '';
    if (fsKey !== this.#fsKey) {
      // A new mount (or none) replaces the old series rather than adding beside them.
      for (const f of [this.#fsAvail, this.#fsSize, this.#fsFree]) f.clear();
      this.#fsKey = fsKey;
    }
    if (fs) {
      const labels = { device: fs.device, fstype: fs.fstype, mountpoint: fs.mountPoint };
      this.#fsAvail.series(labels).value = fs.availBytes;
      this.#fsSize.series(labels).value = fs.sizeBytes;
      this.#fsFree.series(labels).value = fs.freeBytes;
    }

    setGauge(this.#bootTime, s?.bootTime);
    setGauge(this.#time, s?.time);
  }
}

function fsFamily(name: string, help: string): GaugeFamily<FsLabel> {
  return new GaugeFamily({ name, help, labelNames: ['device', 'fstype', 'mountpoint'] });
}

function netFamily(name: string, help: string): CounterFamily<'device'> {
  return new CounterFamily({ name, help, labelNames: ['device'] });
}

function setGauge(family: GaugeFamily, value: number | undefined): void {
  if (value === undefined) family.clear();
  else family.series().value = value;
}

/**
 * Series handles for a list of label values (CPUs, interfaces) that rarely changes. While the
 * list is the same, sync() returns the same handles; when it changes (hotplug, a new interface),
 * the families are cleared and rebuilt so vanished series stop being exported.
 */
class SeriesCache<H> {
  #keys: readonly string[] = [];
  #handles: H[] = [];

  constructor(
    readonly families: readonly { clear(): void }[],
    readonly create: (key: string) => H,
  ) {}

  sync(keys: readonly string[]): readonly H[] {
    if (keys.length !== this.#keys.length || keys.some((k, i) => k !== this.#keys[i])) {
      for (const f of this.families) f.clear();
      this.#keys = keys;
      this.#handles = keys.map(this.create);
    }
    return this.#handles;
  }
}

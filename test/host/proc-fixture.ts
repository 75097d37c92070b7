/** A Raspberry Pi 4's procfs, trimmed: what the host parsers and collector are tested against. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const stat = `cpu  1000 20 300 40000 50 0 60 7 0 0
cpu0 250 5 75 10000 12 0 15 2 0 0
cpu1 251 5 76 10001 13 0 16 2 0 0
cpu2 249 5 74 9999 12 0 14 1 0 0
cpu3 250 5 75 10000 13 0 15 2 0 0
intr 123456 0 0 ${Array.from({ length: 200 }, (_, i) => i).join(' ')}
ctxt 987654
btime 1700000000
processes 4321
procs_running 1
procs_blocked 0
softirq 55555 1 2 3 4 5 6 7 8 9 10
`;

export const meminfo = `MemTotal:        3884008 kB
MemFree:         2400000 kB
MemAvailable:    3100000 kB
Buffers:           50000 kB
Cached:           600000 kB
SwapCached:            0 kB
Active:           500000 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

export const loadavg = '0.52 0.58 0.59 1/345 12345\n';

export const netDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0
  eth0: 98765432  80000    3    0    0     0          0       120 12345678   60000    1    0    0     0       0          0
 wlan0:4294967296  10    0    0    0     0          0         0       10       1    0    0    0     0       0          0
vethab12:    500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
`;

/** Mount lines; `dataMount` is where the test's data directory lives. */
export function mountinfo(dataMount: string): string {
  const escaped = dataMount.replace(/ /g, '\\040');
  return `22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/root rw
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
24 22 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=1827032k
40 22 8:1 / ${escaped} rw,relatime shared:30 master:2 - ext4 /dev/sda1 rw
41 40 0:40 / ${escaped}-other rw,relatime - tmpfs tmpfs rw
`;
}

export class ProcTree {
  readonly root = mkdtempSync(join(tmpdir(), 'ew-proc-'));

  constructor(files: Record<string, string>) {
    this.write(files);
  }

  write(files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.root, name)), { recursive: true });
      writeFileSync(join(this.root, name), content);
    }
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

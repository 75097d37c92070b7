import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findMount,
  parseLoadavg,
  parseMeminfo,
  parseMountinfo,
  parseNetDev,
  parseStat,
} from '../../src/host/procfs.js';
import * as fixture from './proc-fixture.js';

describe('procfs parsers', () => {
  it('/proc/stat: per-CPU seconds by mode at USER_HZ 100, and the boot time', () => {
    const { cpus, bootTime } = parseStat(fixture.stat);
    assert.equal(bootTime, 1_700_000_000);
    assert.deepEqual(
      cpus.map((c) => c.cpu),
      ['0', '1', '2', '3'],
    );
    assert.deepEqual(cpus[1]?.seconds, [2.51, 0.05, 0.76, 100.01, 0.13, 0, 0.16, 0.02]);
  });

  it('/proc/stat: tolerates old kernels without steal and a missing btime', () => {
    const { cpus, bootTime } = parseStat('cpu  1 2 3 4\ncpu0 100 200 300 400 500 600 700\n');
    assert.equal(bootTime, undefined);
    assert.deepEqual(cpus, []);
  });

  it('/proc/meminfo: total and available in bytes, nothing else', () => {
    assert.deepEqual(parseMeminfo(fixture.meminfo), {
      MemTotal: 3884008 * 1024,
      MemAvailable: 3100000 * 1024,
    });
    assert.deepEqual(parseMeminfo('MemTotal: 100 kB\nMemFree: 50 kB\n'), { MemTotal: 102400 });
  });

  it('/proc/loadavg', () => {
    assert.deepEqual(parseLoadavg(fixture.loadavg), { load1: 0.52, load5: 0.58, load15: 0.59 });
    assert.equal(parseLoadavg('garbage'), undefined);
  });

  it('/proc/net/dev: bytes and errors per interface, even when a counter touches the colon', () => {
    assert.deepEqual(parseNetDev(fixture.netDev), [
      { device: 'lo', receiveBytes: 123456, receiveErrs: 0, transmitBytes: 123456, transmitErrs: 0 },
      { device: 'eth0', receiveBytes: 98765432, receiveErrs: 3, transmitBytes: 12345678, transmitErrs: 1 },
      { device: 'wlan0', receiveBytes: 4294967296, receiveErrs: 0, transmitBytes: 10, transmitErrs: 0 },
      { device: 'vethab12', receiveBytes: 500, receiveErrs: 0, transmitBytes: 500, transmitErrs: 0 },
    ]);
  });

  it('mountinfo: mount point, source and type; the innermost mount holding a path', () => {
    const mounts = parseMountinfo(fixture.mountinfo('/mnt/ssd data'));
    assert.deepEqual(mounts[0], { mountPoint: '/', device: '/dev/root', fstype: 'ext4' });
    assert.deepEqual(mounts[3], { mountPoint: '/mnt/ssd data', device: '/dev/sda1', fstype: 'ext4' });
    assert.equal(findMount(mounts, '/mnt/ssd data/vm')?.device, '/dev/sda1');
    assert.equal(findMount(mounts, '/mnt/ssd data')?.device, '/dev/sda1');
    // A sibling sharing a prefix is not inside the mount.
    assert.equal(findMount(mounts, '/mnt/ssd datastore')?.device, '/dev/root');
    assert.equal(findMount(mounts, '/mnt/ssd data-other/x')?.fstype, 'tmpfs');
    assert.equal(findMount(mounts, '/home/pi')?.device, '/dev/root');
  });

  it('mountinfo: the later of two mounts on the same point wins', () => {
    const mounts = parseMountinfo(
      '30 22 8:1 / /data rw - ext4 /dev/sda1 rw\n31 22 8:17 / /data rw shared:5 - btrfs /dev/sdb1 rw\n',
    );
    assert.equal(findMount(mounts, '/data/x')?.device, '/dev/sdb1');
  });
});

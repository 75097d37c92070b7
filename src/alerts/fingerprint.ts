/**
 * The identity of an alert: a hash of its sorted labels, computed exactly as Prometheus'
 * `model.LabelSet.Fingerprint` does (64-bit FNV-1a over name, 0xff, value, 0xff), so the
 * 16 hex digits match what Alertmanager shows for the same alert.
 */

const offset64 = 14695981039346656037n;
const prime64 = 1099511628211n;
const separator = 0xff;

export type AlertLabels = Readonly<Record<string, string>>;

export function fingerprint(labels: AlertLabels): string {
  let hash = offset64;
  const add = (byte: number) => {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * prime64);
  };
  // Go compares strings bytewise; for the ASCII label names Prometheus allows, so does sort().
  for (const name of Object.keys(labels).sort()) {
    for (const byte of Buffer.from(name, 'utf8')) add(byte);
    add(separator);
    for (const byte of Buffer.from(labels[name] as string, 'utf8')) add(byte);
    add(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * What one posted alert may hold. Without these a notification of 1 MiB alerts was stored whole
 * (~90 of them exhausted V8's heap) and every control character reached the action command's
 * environment, where a NUL made `spawn` throw. Sizes are counted in UTF-16 code units (a JS
 * string's length), which bounds the memory they take: at most 2 bytes each.
 */

/** Longest label or annotation name. */
export const MAX_NAME_LENGTH = 128;
/** Longest label value: vmalert's labels are identifiers, a few dozen characters. */
export const MAX_LABEL_VALUE_LENGTH = 1024;
/** Longest annotation value: a summary or a description of a few paragraphs. */
export const MAX_ANNOTATION_VALUE_LENGTH = 4096;
/** Most labels, and most annotations, per alert. */
export const MAX_ENTRIES = 64;
/** Names and values of labels and annotations together, per alert. */
export const MAX_ALERT_LENGTH = 16 * 1024;

/** Prometheus' label-name syntax. */
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/**
 * `__`-names are reserved by Prometheus; `constructor` and `prototype` (like `__proto__`) are
 * names that code doing `labels[name]` on a plain object would find without them being sent.
 */
const RESERVED = new Set(['constructor', 'prototype']);
/** C0 controls and DEL; annotations may hold tab, line feed and carriage return (multi-line descriptions). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const LABEL_CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const ANNOTATION_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export type EntryKind = 'labels' | 'annotations';

/** Why one label or annotation is refused, or undefined when it is fine. */
export function entryProblem(kind: EntryKind, name: string, value: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `name is longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME.test(name)) return 'name must match [a-zA-Z_][a-zA-Z0-9_]*';
  if (name.startsWith('__') || RESERVED.has(name)) return 'name is reserved';
  const max = kind === 'labels' ? MAX_LABEL_VALUE_LENGTH : MAX_ANNOTATION_VALUE_LENGTH;
  if (value.length > max) return `is ${value.length} characters, more than ${max}`;
  const control = (kind === 'labels' ? LABEL_CONTROL : ANNOTATION_CONTROL).exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `contains the control character U+${code.toUpperCase()}`;
  }
  return undefined;
}

/** What an alert's labels and annotations count against MAX_ALERT_LENGTH. */
export function entriesLength(map: Readonly<Record<string, string>>): number {
  let length = 0;
  for (const [name, value] of Object.entries(map)) length += name.length + value.length;
  return length;
}

/**
 * Limits checked before a config file reaches the YAML parser. The parser recurses once per
 * nesting level: `a: [[[[…` 100,000 deep ended the process with a V8 heap OOM (exit 134) while
 * it built its error message, which no try/catch can stop. A real edgewatch file is a few KB
 * and a handful of levels deep, so these limits refuse only hostile or broken input.
 */

/** Largest config file read, bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of flow collections (`[`, `{`) accepted. */
export const MAX_FLOW_DEPTH = 32;
/** Widest indentation accepted, columns: block nesting is written as indentation. */
export const MAX_INDENT = 128;

/** What is wrong with the text as a config file, before parsing, or undefined. */
export function yamlLimitProblem(text: string): string | undefined {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) return `larger than ${MAX_CONFIG_BYTES} bytes`;
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = true;
      indent = 0;
      if (quote === undefined) continue;
    }
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-' || c === '\t') {
        if (++indent > MAX_INDENT) return `line ${line} is indented deeper than ${MAX_INDENT} columns`;
        continue;
      }
      lineStart = false;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
    } else if ((c === '"' || c === "'") && startsToken(text[i - 1])) {
      // A quote opens a scalar only at a token's start: the ' in `don't` is a plain character.
      quote = c;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_DEPTH) return `line ${line} nests deeper than ${MAX_FLOW_DEPTH} levels`;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function startsToken(previous: string | undefined): boolean {
  return previous === undefined || /[\s[{,:]/.test(previous);
}

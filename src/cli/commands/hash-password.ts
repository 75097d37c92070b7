/**
 * `edgewatch hash-password`: turns a password into the scrypt hash web.auth.password-file holds.
 * The password comes from stdin, never from an argument or the environment, so it does not show
 * up in `ps` or the shell's history: piped (the first line), or typed at a prompt without echo.
 */
import { EdgewatchError, ErrorCode } from '../../errors.js';
import { hashPassword } from '../../http/password-hash.js';
import type { Command } from '../command.js';

/** Longer input is refused rather than buffered: no password is 4 KiB long, a wrong file can be. */
const MAX_PASSWORD_BYTES = 4096;

/** Exit code after Ctrl-C at the prompt, as a shell reports a SIGINT. */
const CANCELLED_EXIT_CODE = 130;

export const hashPasswordCommand: Command = {
  name: 'hash-password',
  summary: 'Print the scrypt hash of a password read from stdin, for web.auth.password-file.',
  description:
    'Reads a password from standard input (its first line; at a terminal it asks twice, without echo) and prints its scrypt hash (scrypt$N$r$p$salt$hash) on standard output, the format web.auth.password-file holds. The password is never an argument, so it stays out of `ps` and shell history. Example: `edgewatch hash-password > /etc/edgewatch/password`. Exits 2 when the password is empty, too long, or the two entries differ.',
  options: [],
  async run() {
    let password: string;
    if (process.stdin.isTTY) {
      const first = await promptHidden('Password: ');
      if (first === undefined) return CANCELLED_EXIT_CODE;
      checkPassword(first);
      const again = await promptHidden('Repeat password: ');
      if (again === undefined) return CANCELLED_EXIT_CODE;
      if (again !== first) throw new EdgewatchError(ErrorCode.USAGE, 'the passwords differ; nothing printed');
      password = first;
    } else {
      password = await readFirstLine(process.stdin);
      checkPassword(password);
    }
    process.stdout.write(`${await hashPassword(password)}\n`);
    return 0;
  },
};

function checkPassword(password: string): void {
  if (password === '') {
    throw new EdgewatchError(
      ErrorCode.USAGE,
      'empty password: type one at the prompt, or give it as the first line of standard input',
    );
  }
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw new EdgewatchError(ErrorCode.USAGE, `password longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
}

/**
 * The first line of a pipe or file, without its line ending; '' when the input is empty. Stops
 * reading at the first newline, or once the line is known to be too long.
 */
async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const newline = buffer.indexOf(0x0a);
    const part = newline === -1 ? buffer : buffer.subarray(0, newline);
    chunks.push(part);
    size += part.length;
    if (newline !== -1 || size > MAX_PASSWORD_BYTES) break;
  }
  return Buffer.concat(chunks, size).toString('utf8').replace(/\r$/, '');
}

/**
 * Reads one line from the terminal in raw mode, echoing nothing; the prompt goes to stderr so
 * stdout holds only the hash. Undefined when the user pressed Ctrl-C.
 */
function promptHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    const finish = (value: string | undefined) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(line);
        if (ch === '\u0003') return finish(undefined);
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * A minimal keep-alive HTTP/1.1 client on one socket: for guards and benchmarks that make
 * thousands of requests, where fetch's own allocations and CPU would drown what is measured.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: string;
  body: Buffer;
}

export class RawHttpClient {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiter: ((r: RawResponse) => void) | undefined;
  #failed: ((e: Error) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
    socket.on('error', (err) => this.#failed?.(err));
    socket.on('close', () => this.#failed?.(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawHttpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RawHttpClient(socket)));
      socket.once('error', reject);
    });
  }

  request(path: string, headers = ''): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failed = reject;
      this.#socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    });
  }

  close(): void {
    this.#failed = undefined;
    this.#socket.destroy();
  }

  #drain(): void {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = this.#buffer.subarray(0, end).toString('latin1');
    const m = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!m) {
      this.#failed?.(new Error(`response without content-length: ${head}`));
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (this.#buffer.length < total) return;
    const body = this.#buffer.subarray(end + 4, total);
    this.#buffer = this.#buffer.subarray(total);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ status: Number(head.slice(9, 12)), headers: head, body });
  }
}

/** One request/response exchange over a fresh TCP connection, keeping the raw response bytes. */
import { connect } from 'node:net';

export interface RawResponse {
  raw: Buffer;
  status: number;
  /** Header name/value pairs as sent (names in the server's case), in wire order. */
  headers: [string, string][];
  body: Buffer;
}

export function exchange(host: string, port: number, request: Buffer, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(request));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.toString('latin1', 0, end).split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = lines.slice(1).map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const length = headers.find(([name]) => name.toLowerCase() === 'content-length');
      if (!length) {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error('response without Content-Length'));
        return;
      }
      const total = end + 4 + Number(length[1]);
      if (buf.length < total) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ raw: buf.subarray(0, total), status, headers, body: buf.subarray(end + 4, total) });
    });
  });
}

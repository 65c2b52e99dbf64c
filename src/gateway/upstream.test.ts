import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamTarget } from './upstream.js';

/** What the gateway parsed on every call before upstreamTarget: the URL, then http.request's options of it. */
const reference = (base: string, path: string) => urlToHttpOptions(new URL(base.replace(/\/+$/, '') + path));

const BASES = [
  'http://127.0.0.1:4000',
  'http://127.0.0.1:4000/',
  'http://localhost:8080/v1//',
  'https://api.openai.com',
  'https://user:p%40ss@example.com:8443/proxy/',
  'http://[::1]:9000/base',
];
const PATHS = [
  '/v1/chat/completions',
  '/v1/messages?beta=true',
  '/v1/models/gpt-4o',
  '/v1/../v1/./x%20y?q=a b&r=ü#frag',
  '/',
];

describe('upstreamTarget', () => {
  it('gives the options http.request derives from the URL, for every base and path', () => {
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const base of BASES) {
        for (const path of PATHS) {
          expect({ ...upstreamTarget(base, path) }).toEqual({ ...reference(base, path) });
          compared++;
        }
      }
    }
    expect(compared).toBe(2 * BASES.length * PATHS.length);
  });

  it('serves a URL it has seen from the cache, and throws as new URL does on a bad one', () => {
    expect(upstreamTarget('http://127.0.0.1:4000', '/v1/embeddings')).toBe(
      upstreamTarget('http://127.0.0.1:4000', '/v1/embeddings'),
    );
    expect(() => reference('not a url', '/v1/x')).toThrow(TypeError);
    expect(() => upstreamTarget('not a url', '/v1/x')).toThrow(TypeError);
  });

  it('stays correct past its size bound', () => {
    for (let i = 0; i < 600; i++) {
      const path = `/v1/models/m${i}?n=${i}`;
      expect(upstreamTarget('http://127.0.0.1:4000', path).path).toBe(path);
    }
  });

  describe('on the wire', () => {
    let server: net.Server;
    let port = 0;
    const heads: string[] = [];
    beforeAll(async () => {
      server = net.createServer((socket) => {
        let data = '';
        socket.on('data', (chunk) => {
          data += chunk.toString('latin1');
          if (data.endsWith('hello')) {
            heads.push(data);
            socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
          }
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    const send = (request: () => http.ClientRequest) =>
      new Promise<void>((done, fail) => {
        const req = request();
        req.on('response', (res) => {
          res.resume();
          res.on('end', done);
        });
        req.on('error', fail);
        req.end(Buffer.from('hello'));
      });

    it('sends the same request as http.request(url, options)', async () => {
      const base = `http://user:secret@127.0.0.1:${port}/up/`;
      const path = '/v1/chat/completions?x=1';
      const options = {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 5, authorization: 'Bearer k' },
        agent: false as const,
      };
      await send(() => http.request(new URL(base.replace(/\/+$/, '') + path), { ...options }));
      await send(() => http.request({ ...upstreamTarget(base, path), ...options }));
      expect(heads).toHaveLength(2);
      expect(heads[1]).toBe(heads[0]);
      expect(heads[0]).toContain('POST /up/v1/chat/completions?x=1 HTTP/1.1\r\n');
    });
  });
});

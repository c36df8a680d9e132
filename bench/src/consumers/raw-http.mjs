// @ts-check
/**
 * The reference (1.00): `node:http`, `zlib.createGunzip` for gzip, a
 * string decoder, split on `\r\n`, `JSON.parse`. No validation, no
 * reconnects: the practical limit of a consumer in JavaScript.
 */
import { request } from 'node:http';
import { constants, createGunzip } from 'node:zlib';

/** @type {import('../consumer.mjs').Adapter} */
export default function rawHttp({ url, bearerToken, gzip, onMessage, signal }) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        signal,
        headers: {
          authorization: `Bearer ${bearerToken}`,
          'accept-encoding': gzip ? 'gzip' : 'identity',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        /** @type {import('node:stream').Readable} */
        let body = res;
        if (res.headers['content-encoding'] === 'gzip') {
          body = res.pipe(createGunzip({ flush: constants.Z_SYNC_FLUSH }));
        }
        body.setEncoding('utf8');
        let pending = '';
        body.on('data', (/** @type {string} */ chunk) => {
          const text = pending + chunk;
          let start = 0;
          let end = text.indexOf('\r\n', Math.max(0, pending.length - 1));
          while (end !== -1) {
            if (end > start) onMessage(JSON.parse(text.slice(start, end)));
            start = end + 2;
            end = text.indexOf('\r\n', start);
          }
          pending = start === 0 ? text : text.slice(start);
        });
        body.on('end', () => resolve());
        body.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
      },
    );
    req.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
    req.end();
  });
}

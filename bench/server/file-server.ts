/**
 * The baseline of the content benchmark: a bare `node:http` file server, in a process of its own,
 * answering the same URLs as the Preservation API's `/content/…` with the same bytes (the
 * group's content files), looked up in a Map prepared before it listens. Per request it does what
 * any file server does and no more: stat for the length, stream the file. No authentication, no
 * routing, no logging.
 *
 *   node dist/bench/server/file-server.js <map.json> <port>
 *
 * `map.json`: `{ "<url path>": "<absolute file path>", … }`. Prints `listening` once it listens.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';

const [mapFile, port] = process.argv.slice(2);
const files = new Map(
  Object.entries(JSON.parse(readFileSync(mapFile ?? '', 'utf8')) as Record<string, string>),
);

const server = createServer(async (req, res) => {
  const file = files.get(req.url ?? '');
  if (file === undefined) {
    res.writeHead(404).end();
    return;
  }
  try {
    const { size } = await stat(file);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(500).end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

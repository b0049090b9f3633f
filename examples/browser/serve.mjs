// Serves the browser example and the SDK's <script> bundle: node examples/browser/serve.mjs (PORT, default 8080).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const routes = {
  '/': { file: new URL('./index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/index.html': { file: new URL('./index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/sdk/messagejs.min.js': {
    file: new URL('../../packages/sdk/dist/messagejs.min.js', import.meta.url),
    type: 'text/javascript; charset=utf-8',
  },
};

const port = Number(process.env.PORT || 8080);

const server = createServer(async (req, res) => {
  const route = routes[new URL(req.url ?? '/', 'http://localhost').pathname];
  if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await readFile(route.file);
    res.writeHead(200, { 'Content-Type': route.type, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
  } catch {
    // The bundle is a build output: say how to make it rather than a bare 404.
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end(`missing ${fileURLToPath(route.file)}: run npm --prefix packages/sdk run build\n`);
  }
});

server.listen(port, () => console.log(`browser example at http://localhost:${server.address().port}/`));

// Ends cleanly when a test harness stops it.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

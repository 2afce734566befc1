import Fastify from 'fastify';

/**
 * The floor of `npm run bench:api`: a bare Fastify app that echoes the JSON body of POST /echo.
 * Relief cannot answer faster than this on the same machine and client.
 *
 *   node dist/bench/echo-server.js [PORT]    prints "listening on http://127.0.0.1:PORT"
 */
const app = Fastify({ logger: false });
app.post('/echo', async (request) => request.body);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`listening on http://127.0.0.1:${port}\n`);

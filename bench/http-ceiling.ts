// The HTTP ceiling of POST /order: bare Koa + @koa/router + JSON body parsing, answering the service's 201
// JSON without validation or Kafka. Run as its own process: `node --import tsx bench/http-ceiling.ts PORT`.
import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';

const port = Number(process.argv[2] ?? 0);
const app = new Koa();
const router = new Router();

router.get('/readyz', (ctx) => {
  ctx.body = { status: 'ready' };
});
router.post('/order', bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }), (ctx) => {
  const body = ctx.request.body as { OrderId?: unknown } | undefined;
  const orderId = typeof body?.OrderId === 'string' ? body.OrderId : randomUUID();
  ctx.set('X-Request-Id', ctx.get('X-Request-Id') || randomUUID());
  ctx.status = 201;
  ctx.body = { status: 'success', message: 'Order Created', orderId };
});
app.use(router.routes());

const server = app.listen(port, '127.0.0.1');
server.keepAliveTimeout = 65000;
// Exit through process.exit so that `--cpu-prof` writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

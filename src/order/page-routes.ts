// The live page's static files: GET / (the HTML), its script and its style sheet, read once from ./page/ next to
// this module (src/order/page under tsx; dist/order/page, copied there by `make build` and the Dockerfile).
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';

/** Each file of the page: its path, its file in ./page/ and its content type. */
export const pageFiles = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/page/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/page/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
] as const;

const pageDirectory = new URL('./page/', import.meta.url);
// Scripts, styles and the event stream from this service only: nothing inline, nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Adds the page's routes to `router`; the files are read now, so a missing one fails the start, not a request.
 * @example pageRoutes(router); // GET / serves index.html
 */
export function pageRoutes(router: Router): void {
  for (const { path, file, type } of pageFiles) {
    const body = readFileSync(new URL(file, pageDirectory));
    router.get(path, (ctx) => {
      ctx.type = type;
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Content-Security-Policy', contentSecurityPolicy);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = body;
    });
  }
}

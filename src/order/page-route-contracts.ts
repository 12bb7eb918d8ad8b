// The live page's entries of the route table (GET /, its script and style sheet, GET /events): what the OpenAPI
// document says of the page and its Server-Sent Events.
import type { ResponseContract, RouteContract } from './route-contract.js';

const text = (description: string, contentType: string, name: string, example: string): ResponseContract => ({
  description,
  contentType,
  body: { name, schema: { type: 'string' } },
  examples: { [name.charAt(0).toLowerCase() + name.slice(1)]: example },
});
const pageFile = (path: string, operationId: string, summary: string, contentType: string, example: string) => ({
  method: 'get' as const,
  path,
  operationId,
  summary,
  responses: {
    200: text(`${summary}.`, contentType, `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}`, example),
  },
});

/** GET /, the page's files and GET /events, as the OpenAPI document tells them. */
export const pageRouteContracts: RouteContract[] = [
  pageFile(
    '/',
    'livePage',
    'The live page: place orders, watch them move (docs/status.md)',
    'text/html',
    '<!doctype html>',
  ),
  pageFile('/page/app.js', 'livePageScript', "The live page's script", 'text/javascript', '// The live page'),
  pageFile('/page/style.css', 'livePageStyle', "The live page's style sheet", 'text/css', ':root {}'),
  {
    method: 'get',
    path: '/events',
    operationId: 'liveEvents',
    summary: 'Server-Sent Events of the order_status projection, for the live page (docs/status.md)',
    description:
      'First `snapshot` ({ orders: the 50 newest OrderStatus records, deadLetters: the records on dead_letter }), ' +
      'then `order` (an OrderStatus record) per change and `dead-letters` ({ count }); a comment every 15 s. ' +
      'A client that stops reading is cut off past 256 KiB unsent; EventSource reconnects.',
    responses: {
      200: text(
        'An endless text/event-stream.',
        'text/event-stream',
        'EventStream',
        'retry: 2000\n\nevent: snapshot\ndata: {"orders":[],"deadLetters":0}\n\nevent: dead-letters\ndata: {"count":1}\n\n',
      ),
    },
  },
];

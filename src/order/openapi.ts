// The order service's HTTP API as an OpenAPI 3.1 document, generated from the route table and the schemas the
// service validates and answers with: served at GET /openapi.json and committed as docs/openapi.json.
import { contractVersion } from '../contracts/asyncapi.js';
import type { JsonSchema } from '../contracts/message-contracts.js';
import { requestIdPattern } from './http-schemas.js';
import { commonResponses, type NamedSchema, type ResponseContract, type RouteContract } from './route-contract.js';
import { orderRoutes } from './routes.js';

const json = 'application/json';

function content(
  body: NamedSchema,
  examples: Record<string, unknown>,
  schemas: Map<string, JsonSchema>,
  type = json,
): object {
  const known = schemas.get(body.name);
  if (known !== undefined && known !== body.schema) throw new Error(`two schemas are named ${body.name}`);
  schemas.set(body.name, body.schema);
  return {
    [type]: {
      schema: { $ref: `#/components/schemas/${body.name}` },
      examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])),
    },
  };
}

function response(contract: ResponseContract, schemas: Map<string, JsonSchema>): object {
  return {
    description: contract.description,
    headers: { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } },
    content: content(contract.body, contract.examples, schemas, contract.contentType),
  };
}

function operation(route: RouteContract, schemas: Map<string, JsonSchema>): object {
  const responses = { ...commonResponses, ...route.responses };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    parameters: [{ $ref: '#/components/parameters/RequestId' }, ...(route.parameters ?? [])],
    ...(route.requestBody === undefined
      ? {}
      : {
          requestBody: {
            description: route.requestBody.description,
            required: true,
            content: content(route.requestBody.body, route.requestBody.examples, schemas),
          },
        }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, contract]) => [status, response(contract, schemas)]),
    ),
  };
}

/** The OpenAPI path of a Koa path: `/orders/:id` is `/orders/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The OpenAPI 3.1 document of the order service: every route of `routes`, its parameters, bodies and answers. */
export function openApiDocument(routes: RouteContract[] = orderRoutes): Record<string, unknown> {
  const schemas = new Map<string, JsonSchema>();
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route, schemas) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kafka-webshop order service',
      version: contractVersion,
      description: 'Places orders on Kafka. Every answer is JSON; every failure has the ErrorBody shape.',
    },
    servers: [{ url: 'http://localhost:5001', description: 'The order service of `make dev` and `make up`.' }],
    paths,
    components: {
      schemas: Object.fromEntries([...schemas].sort(([a], [b]) => a.localeCompare(b))),
      parameters: {
        RequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description: "The request's correlation id, carried by the events it causes; a UUID when absent or invalid.",
          schema: { type: 'string', pattern: requestIdPattern },
        },
      },
      headers: {
        RequestId: {
          description: 'The X-Request-Id sent, or the one generated.',
          schema: { type: 'string', pattern: requestIdPattern },
        },
      },
    },
  };
}

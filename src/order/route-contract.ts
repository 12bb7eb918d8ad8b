// The shape of the route table the OpenAPI document is generated from: a route, its parameters and answers, and
// the answers every route shares. The tables: routes.ts (the order service), status-route-contracts.ts.
import type { JsonSchema } from '../contracts/message-contracts.js';
import { errorBodySchema, type ErrorBody } from './http-schemas.js';

/** A schema under components/schemas, by its name. */
export interface NamedSchema {
  name: string;
  schema: JsonSchema;
}

/** One answer of a route: its body's schema (JSON unless `contentType` says otherwise) and named examples of it. */
export interface ResponseContract {
  description: string;
  contentType?: string;
  body: NamedSchema;
  examples: Record<string, unknown>;
}

/** A path or query parameter. */
export interface ParameterContract {
  name: string;
  in: 'path' | 'query';
  description: string;
  required: boolean;
  schema: JsonSchema;
  example: unknown;
}

/** One route: `path` as Koa writes it (`/orders/:id`). */
export interface RouteContract {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  parameters?: ParameterContract[];
  requestBody?: { description: string; body: NamedSchema; examples: Record<string, unknown> };
  responses: Record<number, ResponseContract>;
}

export const answer = (
  description: string,
  body: NamedSchema,
  examples: Record<string, unknown>,
): ResponseContract => ({
  description,
  body,
  examples,
});
const errorBody: NamedSchema = { name: 'ErrorBody', schema: errorBodySchema };
export const error = (description: string, examples: Record<string, ErrorBody>): ResponseContract =>
  answer(description, errorBody, examples);

/** The answers every route may give: no such route, no such method on it, an unexpected failure. */
export const commonResponses: Record<number, ResponseContract> = {
  404: error('No route for this method and path.', { route: { status: 'error', message: 'No route for GET /nope' } }),
  405: error('The path exists, with another method.', { method: { status: 'error', message: 'Method not allowed' } }),
  500: error('An unexpected failure: logged with its stack, never returned.', {
    internal: { status: 'error', message: 'Internal server error' },
  }),
};

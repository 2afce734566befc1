import { z } from 'zod';
import type { RouteSpec } from './route-spec.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema);
  return Object.entries(s.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: property,
  }));
}

const ERROR_RESPONSES = {
  '400': 'invalid input: `error.issues` lists every field path and problem',
  '401': 'not signed in',
  '403': 'not allowed for this role (or CSRF token missing)',
  '404': 'not found, or not yours to see',
  '409': 'version conflict: send If-Match with the current version',
  '413': 'body too large',
  '415': 'body is not JSON',
  '429': 'too many sign-in attempts from this address: wait for Retry-After seconds',
};

/** OpenAPI 3.1 from the route table: the same zod schemas that validate each request. */
export function buildOpenApi(routes: readonly RouteSpec[], prefix: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = prefix + spec.url.replace(/:(\w+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      'x-relief-access': spec.access,
      parameters: [
        ...parameters(spec.params, 'path'),
        ...parameters(spec.query, 'query'),
        ...(spec.ifMatch
          ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', example: '"3"' } }]
          : []),
      ],
      responses: {
        ...Object.fromEntries(
          spec.success.map((s) => [
            String(s),
            {
              description: s === 201 ? 'created' : 'success',
              ...(spec.response && { content: { 'application/json': { schema: jsonSchema(spec.response) } } }),
            },
          ]),
        ),
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES).map(([s, description]) => [
            s,
            { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ]),
        ),
      },
      security: spec.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    };
    if (spec.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } };
    }
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Relief API',
      version: '1',
      description:
        'Headache and pain diary, ICHD-3 classification and outcome registry. Writes are idempotent PUTs under ' +
        'client-chosen ids; a change to an existing record needs If-Match with its version. Cookie-authenticated ' +
        'writes send the session’s CSRF token in X-CSRF-Token.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'relief_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token (rlf_…)' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, message: { type: 'string' } },
                  },
                },
              },
              required: ['code', 'message'],
            },
          },
        },
      },
    },
  };
}

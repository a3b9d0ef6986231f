/**
 * OpenAPI from the same zod schemas that validate requests (one schema per input,
 * shared by the API, the importer and the docs). Routes attach a description with
 * `openapi({...})` in their route options; app.ts collects them into /api/openapi.json.
 *
 *   app.get('/api/progress', openapi({ summary: '…', query: progressQuery, response: progressResponse }), handler)
 *
 * Validation itself stays in the handler (`schema.parse(req.query)`), so a bad request
 * gets the catalogue's bilingual error with every problem located.
 */
import { z, type ZodType } from 'zod';
import { EduplanError, type Problem } from '../core/errors.ts';

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly query?: ZodType;
  readonly params?: ZodType;
  readonly body?: ZodType;
  readonly response?: ZodType;
  /** Needs a signed-in account (documented as a security requirement). */
  readonly auth?: boolean;
}

export function openapi(doc: RouteDoc): { config: { openapi: RouteDoc } } {
  return { config: { openapi: doc } };
}

/** Parse with a zod schema; on failure throw E_INPUT_INVALID listing every issue with its path. */
export function parseInput<T>(schema: ZodType<T>, value: unknown, where: 'query' | 'params' | 'body'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems: Problem[] = r.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    rule: i.code,
    message_zh: `参数不符合要求：${i.message}`,
    message_en: i.message,
  }));
  throw new EduplanError('E_INPUT_INVALID', { problems });
}

type JsonSchema = Record<string, unknown>;
const toJson = (s: ZodType): JsonSchema => {
  const j = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  delete j.$schema;
  return j;
};

function parametersFrom(schema: ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const j = toJson(schema);
  const props = (j.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((j.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s, ...(s.description ? { description: s.description } : {}) }));
}

export function buildOpenApiDocument(routes: ReadonlyArray<{ method: string; url: string; doc: RouteDoc }>): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const op: JsonSchema = {
      summary: r.doc.summary,
      ...(r.doc.description ? { description: r.doc.description } : {}),
      ...(r.doc.tags ? { tags: r.doc.tags } : {}),
      parameters: [...parametersFrom(r.doc.params, 'path'), ...parametersFrom(r.doc.query, 'query')],
      ...(r.doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(r.doc.body) } } } } : {}),
      responses: {
        '200': { description: 'OK', ...(r.doc.response ? { content: { 'application/json': { schema: toJson(r.doc.response) } } } : {}) },
        '4XX': { description: 'Error: {error: {code, message_zh, message_en, fix_zh, fix_en, problems[]}}' },
      },
      ...(r.doc.auth ? { security: [{ session: [] }] } : {}),
    };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'eduplan API', version: '0.1.0', description: '天津市教育现代化“十四五”规划监测平台 API / Tianjin education plan monitoring API' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'eduplan_session' } } },
    paths,
  };
}

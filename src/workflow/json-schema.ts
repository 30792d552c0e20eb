// The JSON Schema of the workflow format, from the same zod schema the loader validates with, so
// that editors (the YAML language server) autocomplete and check workflows as flow would.
import * as z from 'zod';
import { workflowSchema } from './schema.js';

/** A draft-07 JSON Schema (the draft the YAML language server supports best). */
export function workflowJsonSchema(): object {
  const schema = z.toJSONSchema(workflowSchema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://github.com/nbflow/nbflow/schema/workflow-v1.json',
    title: 'flow workflow',
    ...schema,
  };
}

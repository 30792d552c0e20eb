import { expect, test } from 'vitest';
import { workflowJsonSchema } from '../../../src/workflow/json-schema.js';

test('the JSON Schema describes nodes strictly, so that editors flag unknown keys', () => {
  const s = workflowJsonSchema() as Record<string, any>;
  expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
  expect(s.required).toEqual(['name', 'nodes']);
  expect(s.additionalProperties).toBe(false);
  const node = s.properties.nodes.additionalProperties;
  // No key is required: a decision node has `next` and no `notebook` (checked at load, with line:col).
  expect(node.required ?? []).toEqual([]);
  expect(node.additionalProperties).toBe(false);
  expect(Object.keys(node.properties)).toEqual(
    expect.arrayContaining(['notebook', 'needs', 'params', 'outputs', 'next', 'if', 'run_if', 'retry', 'matrix', 'continue_on_error']),
  );
  expect(node.properties.run_if.enum).toContain('none_failed_min_one_success');
  expect(JSON.stringify(node.properties.timeout)).toContain('(ms|s|m|h)');
});

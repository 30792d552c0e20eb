// CEL environments: a typed one per scope to check expressions when the workflow loads, and one
// untyped one to evaluate them at run time. Limits bound what any expression can cost.
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { OutputType } from './types.js';

/** Longer expressions are refused before parsing. */
export const maxExpressionLength = 2000;

const limits = { maxAstNodes: 500, maxDepth: 32, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

const celTypes: Record<OutputType, string> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
  list: 'list',
  object: 'map',
  any: 'dyn',
};

export function celType(t: OutputType, asList = false): string {
  if (!asList) return celTypes[t];
  return t === 'list' || t === 'object' || t === 'any' ? 'list' : `list<${celTypes[t]}>`;
}

/** What an expression may read where it is written. */
export interface ExprScope {
  readonly params: Readonly<Record<string, OutputType>>;
  readonly vars: Readonly<Record<string, OutputType>>;
  /** Readable nodes → their declared outputs; `matrix` nodes expose each output as a list. */
  readonly nodes: Readonly<Record<string, { outputs: Readonly<Record<string, OutputType>>; matrix: boolean }>>;
  /** The node's own outputs, inside `next`. */
  readonly outputs?: Readonly<Record<string, OutputType>>;
}

const checkEnvs = new Map<string, Environment>();

/** A typed environment for a scope; cached, since workflows repeat scopes. */
export function checkEnvironment(scope: ExprScope): Environment {
  const key = JSON.stringify(scope);
  let env = checkEnvs.get(key);
  if (!env) {
    env = new Environment({ limits });
    // One message type per distinct shape of node (its outputs' types), shared by every node of
    // that shape: a type per node made an environment of 1,000 nodes cost ≈0.3 s to build, since
    // registering a type checks it against every type registered before (measured).
    const shapes = new Map<string, string>();
    const nodes: Record<string, string> = {};
    for (const [id, n] of Object.entries(scope.nodes)) {
      const outputs: Record<string, string> = {};
      for (const [name, t] of Object.entries(n.outputs)) outputs[name] = celType(t, n.matrix);
      const shape = JSON.stringify([outputs, n.matrix]);
      let typeName = shapes.get(shape);
      if (!typeName) {
        typeName = `flow.Node${shapes.size}`;
        env.registerType({ name: typeName, schema: n.matrix ? { outputs, status: 'string', by: 'map' } : { outputs, status: 'string' } });
        shapes.set(shape, typeName);
      }
      nodes[id] = typeName;
    }
    const params = Object.fromEntries(Object.entries(scope.params).map(([k, t]) => [k, celType(t)]));
    env
      .registerVariable({ name: 'params', schema: params })
      .registerVariable({ name: 'vars', schema: Object.fromEntries(Object.entries(scope.vars).map(([k, t]) => [k, celType(t)])) })
      .registerVariable({ name: 'nodes', schema: nodes })
      .registerVariable({
        name: 'run',
        schema: {
          id: 'string',
          date: 'string',
          started_at: 'string',
          logical_date: 'google.protobuf.Timestamp',
          trigger: 'string',
          lineage_id: 'string',
        },
      })
      // A matrix instance's values, in node params (check-expressions.ts checks the keys).
      .registerVariable('matrix', 'map');
    if (scope.outputs) {
      const outputs = Object.fromEntries(Object.entries(scope.outputs).map(([k, t]) => [k, celType(t)]));
      env.registerVariable({ name: 'outputs', schema: outputs });
    }
    if (checkEnvs.size > 200) checkEnvs.clear();
    checkEnvs.set(key, env);
  }
  return env;
}

let runtime: Environment | undefined;
const programs = new Map<string, ParseResult>();

/** A parsed program for evaluation (params, vars, nodes, outputs, run and matrix as maps of dyn). Cached. */
export function runtimeProgram(source: string): ParseResult {
  let p = programs.get(source);
  if (!p) {
    runtime ??= new Environment({ limits })
      .registerVariable('params', 'map')
      .registerVariable('vars', 'map')
      .registerVariable('nodes', 'map')
      .registerVariable('outputs', 'map')
      .registerVariable('run', 'map')
      .registerVariable('matrix', 'map');
    p = runtime.parse(source);
    if (programs.size > 1000) programs.clear();
    programs.set(source, p);
  }
  return p;
}

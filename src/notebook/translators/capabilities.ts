// What a node asks of its kernel's language beyond parameters (env, outputs read from variables), checked against its translator.
import type { OutputType } from '../../workflow/types.js';
import { lookupTranslator } from './index.js';

/** A node's requests of its kernel, and which kernel (as executeNotebook picks its translator). */
export interface KernelRequests {
  /** The notebook's language, e.g. from `notebookKernel(nb).language`. */
  language: string;
  /** The kernel name (the node's `kernel:`, else the notebook's kernelspec). */
  kernelName?: string;
  /** Names of the environment variables the node sets. */
  env: readonly string[];
  /** The node's declared outputs, by name. */
  outputs: Readonly<Record<string, OutputType>>;
}

/** One thing the language cannot do; `message` reads after `node "<id>" `. */
export interface CapabilityProblem {
  /** The workflow field the problem is in, and the key in it. */
  field: 'env' | 'outputs';
  name: string;
  message: string;
  hint?: string;
}

/**
 * What of `requests` the kernel's translator cannot do. Declared outputs need no translator when
 * the notebook records them with scrapbook, so only a type that variables cannot have is refused.
 */
export function checkKernelRequests(requests: KernelRequests): CapabilityProblem[] {
  const t = lookupTranslator(requests.language, requests.kernelName);
  const problems: CapabilityProblem[] = [];
  const language = t?.language ?? requests.language;
  for (const name of requests.env) {
    if (!t?.setEnvironment) {
      problems.push({
        field: 'env',
        name,
        message: `sets env ${name}, but flow cannot set environment variables in a ${language} kernel`,
        hint: 'set it in the notebook itself, or in the environment flow runs in',
      });
    } else if (t.isValidEnvName && !t.isValidEnvName(name)) {
      problems.push({
        field: 'env',
        name,
        message: `sets env ${name}, which a ${language} kernel cannot set: it is not a valid variable name there`,
        hint: 'use letters, digits and "_", not starting with a digit',
      });
    }
  }
  const readable = t?.readVariables ? t.readableTypes : undefined;
  for (const [name, type] of Object.entries(requests.outputs)) {
    if (readable === undefined || readable.includes(type)) continue;
    const kinds = readable.filter((k) => k !== 'any');
    problems.push({
      field: 'outputs',
      name,
      message: `declares output "${name}" as ${type}, but flow reads ${language} variables as ${kinds.join(', ')} only`,
      hint: `declare it ${[...kinds, 'any'].join(', ').replace(/, ([^,]*)$/, ' or $1')}`,
    });
  }
  return problems;
}

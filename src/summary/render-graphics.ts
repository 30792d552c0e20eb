// SVG from the libraries that lay things out: Graphviz (compiled to WebAssembly, @viz-js/viz) for
// the DAG, Vega-Lite 5 compiled to Vega and rendered headless for charts. Loaded on first use.
import type { TopLevelSpec } from 'vega-lite';

type Viz = Awaited<ReturnType<typeof import('@viz-js/viz').instance>>;
let viz: Promise<Viz> | undefined;

/** The SVG of a DOT graph, ready to inline (no XML prolog or doctype). */
export async function renderDot(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success' || result.output === undefined) {
    throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return inlineSvg(result.output);
}

/** The SVG of a Vega-Lite spec, rendered without a browser. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return inlineSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

function inlineSvg(svg: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/^<!DOCTYPE[^>]*>\s*/, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '');
}

// nbformat v4 as TypeScript types: just what flow reads and writes; unknown fields are kept.

export type MultilineString = string | string[];

export interface NotebookMetadata {
  kernelspec?: { name: string; display_name?: string; language?: string; [k: string]: unknown };
  language_info?: { name: string; [k: string]: unknown };
  papermill?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface CellMetadata {
  tags?: string[];
  papermill?: Record<string, unknown>;
  execution?: Record<string, string>;
  [k: string]: unknown;
}

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: 'code';
  id?: string;
  source: MultilineString;
  metadata: CellMetadata;
  outputs: Output[];
  execution_count: number | null;
}
export interface MarkdownCell {
  cell_type: 'markdown';
  id?: string;
  source: MultilineString;
  metadata: CellMetadata;
  attachments?: Record<string, unknown>;
}
export interface RawCell {
  cell_type: 'raw';
  id?: string;
  source: MultilineString;
  metadata: CellMetadata;
  attachments?: Record<string, unknown>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}

/** Join nbformat's string-or-lines form. */
export function sourceText(s: MultilineString): string {
  return Array.isArray(s) ? s.join('') : s;
}

// workflows/hesa-return.yml end to end through the built CLI, in both branches of its validation
// (test/fixtures/examples/expected.md): one run per branch, every assertion on that run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNotebooks } from '../helpers/validate-notebook.js';
import {
  countXmlElements,
  executedNotebooks,
  flow,
  HESA_CLEAN_STATUSES,
  injectedSource,
  mimetypes,
  readNotebook,
  scraps,
  statuses,
} from '../helpers/example-run.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-examples-hesa-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** The executed node notebooks (not the run's summary.ipynb). */
const notebooksIn = executedNotebooks;

describe('workflows/hesa-return.yml', () => {
  it('with no errors: validate chooses build_xml, the XML is built and checked, error_report is skipped', async () => {
    const work = join(tmp, 'work');
    const { exitCode, run, stdout } = await flow(['run', 'workflows/hesa-return.yml', '-p', `workdir=${work}`], join(tmp, 'runs'));
    expect(exitCode, stdout).toBe(0);
    expect(run.status).toBe('succeeded');
    expect(statuses(run)).toEqual(HESA_CLEAN_STATUSES);
    const wd = join(work, run.runId);
    const n = run.nodes;
    expect(n.generate!.outputs).toEqual({
      students_generated: 3000,
      engagements_generated: 3000,
      injected_errors: 0,
      raw_dir_path: join(wd, 'raw'),
    });
    expect(n.load_reference_data!.outputs).toMatchObject({ code_lists: 11, reference_version: '22056-synthetic-1', attempts_used: 1 });
    expect(n.load_reference_data!.attempts).toHaveLength(1);
    expect(n.extract!.outputs).toEqual({
      students_extracted: 3000,
      engagements_extracted: 3000,
      sessions_extracted: 3069,
      module_instances_extracted: 7751,
      extract_dir: join(wd, 'extract'),
    });
    expect(n.validate!.outputs).toMatchObject({ errors: 0, warnings: 22, rules_failed: 0, rules_checked: 44 });
    expect(n.error_report!.skip).toMatchObject({
      kind: 'branch_not_taken',
      by: 'validate',
      chose: 'build_xml',
      operands: { 'outputs.errors': 0 },
    });
    expect(stdout).toContain('validate chose build_xml because outputs.errors > 0 was false (outputs.errors=0)');
    const xmlPath = join(wd, 'submission', '10000000_2025_P1.xml');
    expect(n.build_xml!.outputs).toMatchObject({ xml_path: xmlPath, students_written: 3000 });
    expect(n.build_xml!.outputs!.xml_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(n.check_xml!.outputs).toEqual({ well_formed: true, counts_match: true, checks_passed: 13, checks_failed: 0 });
    expect(n.summary!.outputs).toEqual({ outcome: 'ready_to_submit', summary_path: join(wd, 'summary.md') });

    // The XML itself, parsed independently of check_xml.
    const xml = await countXmlElements(xmlPath);
    expect(xml.root).toBe('DataFutures');
    expect(xml.counts).toMatchObject({ Student: 3000, Engagement: 3000, StudentCourseSession: 3069, ModuleInstance: 7751 });
    expect(readFileSync(join(wd, 'summary.md'), 'utf8')).toContain('Submission file `10000000_2025_P1.xml` built; 13/13 checks passed.');

    // The executed notebooks: one per node that ran, valid nbformat, papermill's injected cell.
    const nbs = notebooksIn(run.runDir);
    expect(nbs.map((p) => p.slice(run.runDir.length + 1)).sort()).toEqual(
      ['build_xml', 'check_xml', 'extract', 'generate', 'load_reference_data', 'summary', 'validate'].map((id) => `${id}.ipynb`),
    );
    await validateNotebooks(nbs);
    const validateNb = readNotebook(join(run.runDir, 'validate.ipynb'));
    expect(injectedSource(validateNb)).toContain(`extract_dir = "${join(wd, 'extract')}"`);
    expect(scraps(validateNb)).toMatchObject({ errors: 0, warnings: 22 });
    expect(validateNb.metadata.papermill).toMatchObject({ exception: null }); // papermill writes null on success
    expect(validateNb.cells.filter((c) => c.cell_type === 'code').every((c) => c.metadata.papermill?.status === 'completed')).toBe(true);
  }, 180_000);

  it('with inject_errors=true: validate finds the 25 planted errors and chooses error_report; the run still succeeds', async () => {
    const work = join(tmp, 'work');
    const { exitCode, run, stdout } = await flow(
      ['run', 'workflows/hesa-return.yml', '-p', 'inject_errors=true', '-p', `workdir=${work}`],
      join(tmp, 'runs'),
    );
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toEqual({
      generate: 'succeeded',
      load_reference_data: 'succeeded',
      extract: 'succeeded',
      validate: 'succeeded',
      error_report: 'succeeded',
      build_xml: 'skipped',
      check_xml: 'skipped',
      summary: 'succeeded',
    });
    const wd = join(work, run.runId);
    const n = run.nodes;
    expect(n.generate!.outputs).toMatchObject({ students_generated: 3000, engagements_generated: 3002, injected_errors: 25 });
    expect(n.extract!.outputs).toMatchObject({ engagements_extracted: 3002 });
    // Validation finds exactly what was planted.
    expect(n.validate!.outputs).toMatchObject({ errors: 25, warnings: 22, rules_failed: 10, rules_checked: 44 });
    expect(n.build_xml!.skip).toMatchObject({
      kind: 'branch_not_taken',
      by: 'validate',
      chose: 'error_report',
      because: 'outputs.errors > 0',
      operands: { 'outputs.errors': 25 },
    });
    expect(n.check_xml!.skip).toEqual({ kind: 'upstream_skipped', upstream: ['build_xml'] });
    expect(stdout).toContain('validate chose error_report because outputs.errors > 0 was true (outputs.errors=25)');
    expect(n.error_report!.outputs).toEqual({
      report_path: join(wd, 'report', 'error_report.html'),
      chart_path: join(wd, 'report', 'failing_rules.png'),
      rules_in_report: 12,
    });
    expect(existsSync(join(wd, 'report', 'failing_rules.png'))).toBe(true);
    expect(readFileSync(join(wd, 'report', 'error_report.html'), 'utf8')).toContain('QR.STUDENT.Student.SID.003');
    expect(n.summary!.outputs).toMatchObject({ outcome: 'errors_to_fix' });
    // The join ran with the skipped branch's xml_path as "" (the workflow asks build_xml's status first).
    expect(n.summary!.params).toMatchObject({ xml_path: '', errors: 25 });
    expect(existsSync(join(wd, 'submission'))).toBe(false);

    const nbs = notebooksIn(run.runDir);
    expect(nbs.some((p) => p.endsWith('build_xml.ipynb') || p.endsWith('check_xml.ipynb'))).toBe(false);
    await validateNotebooks(nbs);
    // The report notebook shows its chart inline, and its table of failing rules.
    const report = readNotebook(join(run.runDir, 'error_report.ipynb'));
    expect(mimetypes(report)).toContain('image/png');
    expect(mimetypes(report)).toContain('text/html');
    expect(scraps(report)).toMatchObject({ rules_in_report: 12 });
  }, 180_000);
});

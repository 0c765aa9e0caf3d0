import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AuditOutcome, AuditRecord } from '../../core/audit/auditEvent';
import type { AuditQuery } from '../../core/audit/auditQuery';
import { Commands } from '../../core/ids';
import { exportAuditLogToFile, type ExportFormat } from '../../node/audit/auditExport';
import { describeCount, type VerifyResult } from '../../node/audit/auditVerifier';
import type { Warden } from '../warden';

type Handler = (warden: Warden, ...args: unknown[]) => unknown;
type AuditCommandId =
  | typeof Commands.verifyAuditLog
  | typeof Commands.exportAuditKey
  | typeof Commands.exportAuditLog
  | typeof Commands.clearAuditLog
  | typeof Commands.filterAuditLog
  | typeof Commands.clearAuditFilter
  | typeof Commands.showAuditOutput
  | typeof Commands.showAuditRecord
  | typeof Commands.loadMoreAuditRecords;

/** The Audit Log's commands. `verifyAuditLog` also returns its result, for other extensions and tests. */
export const auditCommandHandlers: Record<AuditCommandId, Handler> = {
  [Commands.verifyAuditLog]: async (warden): Promise<VerifyResult> => {
    await warden.audit.flush();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Verifying the MCP Warden audit log' },
      (progress) => {
        let reported = 0;
        return warden.audit.verify((done, total) => {
          const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
          if (percent > reported) {
            progress.report({ increment: percent - reported, message: `${percent}%` });
            reported = percent;
          }
        });
      },
    );
    for (const note of result.notes) warden.audit.channel.warn(`verify: ${note}`);
    const head = result.head ? ` Head: ${result.head.seq}:${result.head.mac}.` : '';
    if (result.ok) {
      const admitted = result.notes.length > 0 ? ` ${result.notes.length} record(s) admit a loss or suspected tampering (see MCP Warden: Audit).` : '';
      const message = result.keyed
        ? `MCP Warden: the audit log is intact: ${describeCount(result)}, every MAC and every link holds, and it ends at the head MCP Warden kept.${admitted}${head}`
        : `MCP Warden: the audit log's structure holds (${describeCount(result)}), but it could not be checked with its key.${admitted}`;
      if (result.notes.length > 0 || !result.keyed) void vscode.window.showWarningMessage(message, 'Show Output').then((c) => c && warden.audit.channel.show(true));
      else void vscode.window.showInformationMessage(message);
      warden.audit.channel.info(`verify: ok, ${describeCount(result)}, ${result.keyed ? 'keyed' : 'structure only'}.${head}`);
    } else {
      const broken = result.broken!;
      warden.audit.channel.error(`verify: broken at ${broken.file}:${broken.line}: ${broken.reason}`);
      void vscode.window
        .showErrorMessage(`MCP Warden: the audit log is broken at ${broken.file}:${broken.line}: ${broken.reason}`, { modal: false }, 'Open')
        .then(async (choice) => {
          if (choice !== 'Open') return;
          const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(warden.audit.dir, broken.file)));
          const position = new vscode.Position(Math.max(0, broken.line - 1), 0);
          await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
        });
    }
    return result;
  },
  [Commands.exportAuditKey]: async (warden, path?: unknown) => {
    // Always asked, whoever runs the command: other extensions cannot read our SecretStorage, and must not get
    // the key through a command either. A path argument only skips the save dialog.
    const choice = await vscode.window.showWarningMessage(
      'Export the audit verification key?',
      {
        modal: true,
        detail:
          "With this key an auditor can prove that nobody without it edited, inserted, deleted or reordered a record of this workspace's audit log (node dist/audit-cli.js verify <folder> --key-file <file>). But anyone who has it can also write records that verify. Keep the file where only auditors can read it.",
      },
      'Export Key…',
    );
    if (choice !== 'Export Key…') return undefined;
    // Suggested in the home folder, never the workspace: a key file in a repository could be committed.
    const suggested = vscode.Uri.file(join(homedir(), `mcp-warden-audit-key-${(await warden.audit.keyId()) ?? 'workspace'}.json`));
    const target =
      typeof path === 'string'
        ? vscode.Uri.file(path)
        : await vscode.window.showSaveDialog({ title: 'Export Audit Verification Key', defaultUri: suggested, filters: { 'MCP Warden audit key': ['json'] } });
    if (!target) return undefined;
    const keyId = await warden.audit.exportKey(target.fsPath);
    warden.audit.pipeline.record({ type: 'audit', action: 'exported', detail: `the audit verification key (id ${keyId}) was exported`, data: { keyId } });
    void vscode.window.showInformationMessage(`MCP Warden: the audit verification key (id ${keyId}) was written to ${target.fsPath}. Anyone with it can forge records: keep it safe.`);
    return keyId;
  },
  [Commands.exportAuditLog]: async (warden) => {
    const format = await vscode.window.showQuickPick(
      [
        { label: 'JSON Lines', description: 'the records as stored: an export of the whole log verifies like the log', format: 'jsonl' as ExportFormat },
        { label: 'CSV', description: 'for spreadsheets', format: 'csv' as ExportFormat },
      ],
      { title: 'Export Audit Log (1/2): format' },
    );
    if (!format) return;
    const range = await pickTimeRange('Export Audit Log (2/2): which records?', true);
    if (!range) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `mcp-warden-audit-${new Date().toISOString().slice(0, 10)}.${format.format === 'csv' ? 'csv' : 'jsonl'}`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Audit Log',
      ...(folder && { defaultUri: vscode.Uri.joinPath(folder, name) }),
      filters: format.format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] },
    });
    if (!target) return;
    await warden.audit.flush();
    const count = await exportAuditLogToFile(warden.audit.dir, target.fsPath, format.format, range.query);
    warden.audit.pipeline.record({ type: 'audit', action: 'exported', detail: `${count} records exported as ${format.label}${range.query.from !== undefined ? ` (${range.label})` : ''}`, data: { records: count, format: format.format } });
    void vscode.window.showInformationMessage(`MCP Warden: exported ${count} audit records to ${target.fsPath}.`);
    return count;
  },
  [Commands.clearAuditLog]: async (warden) => {
    const choice = await vscode.window.showWarningMessage(
      'Clear the MCP Warden audit log?',
      { modal: true, detail: `Every record of this workspace's audit log is deleted. A record of the clearing, chained to what was deleted, starts the new log.` },
      'Clear Audit Log',
    );
    if (choice !== 'Clear Audit Log') return;
    const cleared = await warden.audit.clear();
    warden.auditTree.refresh();
    void vscode.window.showInformationMessage(`MCP Warden: the audit log was cleared (${cleared} records).`);
  },
  [Commands.filterAuditLog]: async (warden) => {
    const query = await askFilter(warden, warden.auditTree.query);
    if (query) warden.auditTree.query = query;
  },
  [Commands.clearAuditFilter]: (warden) => {
    warden.auditTree.query = {};
  },
  [Commands.showAuditOutput]: (warden) => warden.audit.channel.show(true),
  [Commands.showAuditRecord]: async (warden, record) => {
    const r = record as AuditRecord | undefined;
    if (!r || typeof r.seq !== 'number') return;
    await warden.documents.show(`audit-record-${r.seq}.json`, JSON.stringify(r, null, 2), 'json');
  },
  [Commands.loadMoreAuditRecords]: (warden, key) => (typeof key === 'string' ? warden.auditTree.loadMore(key) : undefined),
};

/** Asks which part of the filter to change; returns the new query, or undefined when cancelled. */
async function askFilter(warden: Warden, current: AuditQuery): Promise<AuditQuery | undefined> {
  const dimension = await vscode.window.showQuickPick(
    [
      { label: 'Server…', id: 'server' },
      { label: 'Kind…', id: 'kind', description: 'requests, notifications, lifecycle, server log, settings, audit' },
      { label: 'Outcome…', id: 'outcome', description: 'ok, error, info' },
      { label: 'Text…', id: 'text', description: 'anywhere in the record' },
      { label: 'Time range…', id: 'time' },
    ] as const,
    { title: 'Filter the Audit Log', placeHolder: 'Narrow the log by…' },
  );
  if (!dimension) return undefined;
  switch (dimension.id) {
    case 'server': {
      const servers = warden.audit.current?.index.servers() ?? [];
      const pick = await vscode.window.showQuickPick(servers, { title: 'Filter: server' });
      return pick === undefined ? undefined : { ...current, server: pick };
    }
    case 'kind': {
      const kinds = ['request', 'notification', 'lifecycle', 'server-log', 'config', 'permission', 'auth', 'audit'] as const;
      const picks = await vscode.window.showQuickPick(
        kinds.map((kind) => ({ label: kind, picked: current.types?.includes(kind) ?? false })),
        { title: 'Filter: kinds of record', canPickMany: true },
      );
      if (!picks) return undefined;
      const { types: _types, ...rest } = current;
      return picks.length === 0 || picks.length === kinds.length ? rest : { ...rest, types: picks.map((p) => p.label) };
    }
    case 'outcome': {
      const outcomes: AuditOutcome[] = ['error', 'ok', 'info'];
      const pick = await vscode.window.showQuickPick(outcomes.map((outcome) => ({ label: outcome, outcome })), { title: 'Filter: outcome' });
      return pick === undefined ? undefined : { ...current, outcome: pick.outcome };
    }
    case 'text': {
      const text = await vscode.window.showInputBox({ title: 'Filter: text', prompt: 'Records containing this text (case does not matter)', value: current.text ?? '' });
      if (text === undefined) return undefined;
      const { text: _text, ...rest } = current;
      return text === '' ? rest : { ...rest, text };
    }
    case 'time': {
      const range = await pickTimeRange('Filter: time range', false);
      if (!range) return undefined;
      const { from: _from, to: _to, ...rest } = current;
      return { ...rest, ...range.query };
    }
  }
}

/** A time range from a short list, or typed as "from .. to" in ISO form. */
async function pickTimeRange(title: string, allowAll: boolean): Promise<{ label: string; query: AuditQuery } | undefined> {
  const now = Date.now();
  const choices = [
    ...(allowAll ? [{ label: 'Everything', ms: 0 }] : []),
    { label: 'Last 15 minutes', ms: 15 * 60_000 },
    { label: 'Last hour', ms: 3_600_000 },
    { label: 'Last 24 hours', ms: 86_400_000 },
    { label: 'Last 7 days', ms: 7 * 86_400_000 },
    { label: 'Custom…', ms: -1 },
  ];
  const pick = await vscode.window.showQuickPick(choices, { title });
  if (!pick) return undefined;
  if (pick.ms === 0) return { label: pick.label, query: {} };
  if (pick.ms > 0) return { label: pick.label, query: { from: now - pick.ms } };
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'From and to, in ISO form, separated by "..": 2026-11-20T08:00 .. 2026-11-20T18:00 (leave a side empty for open)',
    validateInput: (value) => (parseRange(value) ? undefined : 'Write two times like 2026-11-20T08:00, separated by ".."'),
  });
  const range = text === undefined ? undefined : parseRange(text);
  return range ? { label: text!, query: range } : undefined;
}

function parseRange(text: string): AuditQuery | undefined {
  const [fromText = '', toText = ''] = text.split('..').map((s) => s.trim());
  const from = fromText ? Date.parse(fromText) : undefined;
  const to = toText ? Date.parse(toText) : undefined;
  if ((from !== undefined && Number.isNaN(from)) || (to !== undefined && Number.isNaN(to)) || (from === undefined && to === undefined)) return undefined;
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

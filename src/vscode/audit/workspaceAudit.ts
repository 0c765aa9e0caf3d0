import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditPipeline } from '../../core/audit/auditPipeline';
import { recordLine } from '../../core/audit/auditText';
import { DisposableStore } from '../../core/disposable';
import { Emitter } from '../../core/events';
import { SETTINGS_SECTION, Settings } from '../../core/ids';
import { errorMessage, type Logger } from '../../core/ports';
import type { Redactor } from '../../core/redaction';
import { AuditLog, type AuditHead } from '../../node/audit/auditLog';
import { AuditReader } from '../../node/audit/auditReader';
import { verifyAuditLog, type VerifyResult } from '../../node/audit/auditVerifier';

const HEAD_KEY = 'mcpWarden.audit.head';

/**
 * The audit log of this workspace, in its extension storage (never in the repository): opens it, feeds every
 * producer through one pipeline, mirrors records to the "MCP Warden: Audit" channel, and keeps a copy of the
 * log's head in the workspace state, outside the log folder, so deleting records at the end is caught.
 */
export class WorkspaceAudit implements vscode.Disposable {
  readonly pipeline = new AuditPipeline();
  readonly dir: string;
  private _channel: vscode.LogOutputChannel | undefined;
  readonly reader: AuditReader;
  readonly ready: Promise<AuditLog | undefined>;
  private log: AuditLog | undefined;
  private readonly disposables = new DisposableStore();
  private readonly changeEmitter = this.disposables.add(new Emitter<void>());
  /** Fires when records were written or the log was cleared. */
  readonly onDidChange = this.changeEmitter.event;
  private headTimer: ReturnType<typeof setTimeout> | undefined;
  /** The newest record known to be on disk. */
  private writtenHead: AuditHead | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly redactor: Redactor,
    private readonly logger: Logger,
  ) {
    this.dir = join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit');
    this.reader = new AuditReader(this.dir);
    this.pipeline.enabled = this.enabled();
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.${Settings.auditEnabled}`)) this.pipeline.enabled = this.enabled();
      }),
    );
    this.ready = this.open();
  }

  /** "MCP Warden: Audit", created with the first record rather than at activation. */
  get channel(): vscode.LogOutputChannel {
    this._channel ??= this.disposables.add(vscode.window.createOutputChannel('MCP Warden: Audit', { log: true }));
    return this._channel;
  }

  /** The open log, or undefined until it opened (or if it could not be). */
  get current(): AuditLog | undefined {
    return this.log;
  }

  verify(onProgress?: (done: number, total: number) => void): Promise<VerifyResult> {
    const head = this.context.workspaceState.get<AuditHead>(HEAD_KEY);
    return verifyAuditLog(this.dir, { ...(head && { expectedHead: head }), ...(onProgress && { onProgress }) });
  }

  async clear(): Promise<number> {
    const log = await this.ready;
    if (!log) throw new Error(`the audit log at ${this.dir} is not open`);
    const cleared = await log.clear();
    this.changeEmitter.fire();
    return cleared;
  }

  /** Writes what is queued; everything recorded so far is then on disk (unless the folder fails). */
  async flush(): Promise<void> {
    await (await this.ready)?.flush();
  }

  dispose(): void {
    void this.close();
  }

  async close(): Promise<void> {
    clearTimeout(this.headTimer);
    const log = await this.ready;
    await log?.close();
    if (this.writtenHead) await this.context.workspaceState.update(HEAD_KEY, this.writtenHead);
    this.disposables.dispose();
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(Settings.auditEnabled, true);
  }

  private async open(): Promise<AuditLog | undefined> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const knownHead = this.context.workspaceState.get<AuditHead>(HEAD_KEY);
    try {
      const log = await AuditLog.open({
        dir: this.dir,
        redactor: this.redactor,
        maxSegmentBytes: Math.max(1, config.get<number>(Settings.auditMaxSegmentMiB, 16)) * 1024 * 1024,
        retentionDays: Math.max(0, config.get<number>(Settings.auditRetentionDays, 90)),
        ...(knownHead && { knownHead }),
      });
      this.log = log;
      this.disposables.add(
        log.onDidAppend((records) => {
          for (const record of records) {
            const line = recordLine(record);
            if (record.outcome === 'error') this.channel.error(line);
            else this.channel.info(line);
          }
          this.changeEmitter.fire();
        }),
      );
      this.disposables.add(log.onDidWriteHead((head) => this.saveHead(head)));
      this.disposables.add(
        log.onDidFail((error) => {
          this.logger.error(`cannot write the audit log in ${this.dir}: ${errorMessage(error)}`);
          void vscode.window.showWarningMessage(
            `MCP Warden cannot write the audit log (${errorMessage(error)}). Events are kept in memory, up to 100,000, until it can; it retries every few seconds.`,
          );
        }),
      );
      this.disposables.add(log.onDidRecover(() => this.logger.info('the audit log can be written again')));
      this.pipeline.connect(log);
      this.logger.info(`audit log: ${this.dir} (${log.head.seq} records)`);
      this.changeEmitter.fire();
      return log;
    } catch (error) {
      this.logger.error(`cannot open the audit log in ${this.dir}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`MCP Warden cannot open its audit log in ${this.dir}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private saveHead(head: AuditHead): void {
    this.writtenHead = head;
    if (this.headTimer) return;
    this.headTimer = setTimeout(() => {
      this.headTimer = undefined;
      void this.context.workspaceState.update(HEAD_KEY, this.writtenHead);
    }, 500);
  }
}

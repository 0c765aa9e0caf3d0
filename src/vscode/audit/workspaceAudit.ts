import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditPipeline } from '../../core/audit/auditPipeline';
import { recordLine } from '../../core/audit/auditText';
import { DisposableStore } from '../../core/disposable';
import { Emitter } from '../../core/events';
import { Commands, SETTINGS_SECTION, Settings } from '../../core/ids';
import { errorMessage, type Logger } from '../../core/ports';
import type { Redactor } from '../../core/redaction';
import { AuditKey } from '../../node/audit/auditKey';
import { AuditLog, type AuditHead } from '../../node/audit/auditLog';
import { AuditReader } from '../../node/audit/auditReader';
import { verifyAuditLog, type VerifyResult } from '../../node/audit/auditVerifier';
import { numberAtLeast, userSetting } from '../userSettings';

/** How often, at most, the head is copied to SecretStorage while records are written. */
const HEAD_SAVE_DELAY_MS = 1000;

/**
 * The audit log of this workspace, in its extension storage (never in the repository): opens it with the
 * workspace's audit key (kept only in SecretStorage), feeds every producer through one pipeline, mirrors records
 * to the "MCP Warden: Audit" channel, and keeps the log's head in SecretStorage too, outside the folder, so a log
 * cut short or rewritten is caught when it is opened and when it is verified.
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
  private key: AuditKey | undefined;
  /** SecretStorage names of this log's key and head: per log folder, so per workspace. */
  private readonly keyName: string;
  private readonly headName: string;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly redactor: Redactor,
    private readonly logger: Logger,
  ) {
    this.dir = join((context.storageUri ?? context.globalStorageUri).fsPath, 'audit');
    const folderId = createHash('sha256').update(this.dir).digest('hex').slice(0, 16);
    this.keyName = `mcpWarden.audit.key.${folderId}`;
    this.headName = `mcpWarden.audit.head.${folderId}`;
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

  /** Verifies the log with the key and the head kept in SecretStorage: nothing edited, inserted, deleted or reordered. */
  async verify(onProgress?: (done: number, total: number) => void): Promise<VerifyResult> {
    await this.ready;
    const head = this.writtenHead ?? (await this.storedHead());
    return verifyAuditLog(this.dir, { ...(this.key && { key: this.key }), ...(head && { expectedHead: head }), ...(onProgress && { onProgress }) });
  }

  /** The id of this workspace's audit key (not secret), once the log is open. */
  async keyId(): Promise<string | undefined> {
    await this.ready;
    return this.key?.id;
  }

  /** Writes the verification key to a file, for an auditor's `audit-cli verify --key-file`. Returns the key id. */
  async exportKey(path: string): Promise<string> {
    await this.ready;
    if (!this.key) throw new Error(`the audit log at ${this.dir} has no key: it could not be opened`);
    await writeFile(path, this.key.toFile({ logFolder: this.dir, exportedAt: new Date().toISOString() }), { mode: 0o600 });
    return this.key.id;
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
    await this.storeHead();
    this.disposables.dispose();
  }

  private enabled(): boolean {
    return userSetting(Settings.auditEnabled, (v): v is boolean => typeof v === 'boolean', true);
  }

  private async open(): Promise<AuditLog | undefined> {
    try {
      const { key, isNew } = await this.loadKey();
      this.key = key;
      const knownHead = await this.storedHead();
      const log = await AuditLog.open({
        dir: this.dir,
        redactor: this.redactor,
        // The user's values only: a repository must not shorten retention or grow segments.
        maxSegmentBytes: userSetting(Settings.auditMaxSegmentMiB, numberAtLeast(1), 16) * 1024 * 1024,
        retentionDays: userSetting(Settings.auditRetentionDays, numberAtLeast(0), 90),
        key,
        keyIsNew: isNew,
        ...(knownHead && { knownHead }),
      });
      this.log = log;
      this.writtenHead = log.head;
      if (log.suspicions.length > 0) this.reportSuspicions(log.suspicions);
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

  /** The workspace's key from SecretStorage, or a new one (stored there) on first use. */
  private async loadKey(): Promise<{ key: AuditKey; isNew: boolean }> {
    const stored = await this.context.secrets.get(this.keyName);
    if (stored !== undefined) {
      try {
        return { key: AuditKey.fromText(stored), isNew: false };
      } catch (error) {
        this.logger.error(`the audit key in SecretStorage is damaged (${errorMessage(error)}): a new one is made`);
      }
    }
    const key = AuditKey.generate();
    try {
      await this.context.secrets.store(this.keyName, key.toText());
    } catch (error) {
      // Deny when unsure, but keep auditing: this session's records are MACed with a key that dies with it.
      this.logger.error(`cannot keep the audit key in SecretStorage (${errorMessage(error)}): this session's records cannot be verified later`);
      void vscode.window.showWarningMessage(`MCP Warden cannot keep its audit key in secret storage (${errorMessage(error)}): the audit log of this session cannot be verified later.`);
    }
    return { key, isNew: true };
  }

  private async storedHead(): Promise<AuditHead | undefined> {
    try {
      const head = JSON.parse((await this.context.secrets.get(this.headName)) ?? 'null') as Partial<AuditHead> | null;
      return typeof head?.seq === 'number' && typeof head.mac === 'string' ? { seq: head.seq, mac: head.mac } : undefined;
    } catch {
      return undefined;
    }
  }

  private reportSuspicions(suspicions: readonly string[]): void {
    for (const suspicion of suspicions) this.logger.warn(`audit log: ${suspicion}`);
    void vscode.window
      .showWarningMessage(
        `MCP Warden: the audit log was changed outside MCP Warden: ${suspicions[0]}${suspicions.length > 1 ? ` (and ${suspicions.length - 1} more)` : ''}. A tamper-suspected record says so in the log.`,
        'Verify',
        'Show Output',
      )
      .then((choice) => {
        if (choice === 'Verify') void vscode.commands.executeCommand(Commands.verifyAuditLog);
        if (choice === 'Show Output') this.channel.show(true);
      });
  }

  private saveHead(head: AuditHead): void {
    this.writtenHead = head;
    if (this.headTimer) return;
    this.headTimer = setTimeout(() => {
      this.headTimer = undefined;
      void this.storeHead();
    }, HEAD_SAVE_DELAY_MS);
  }

  private async storeHead(): Promise<void> {
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
    if (!this.writtenHead) return;
    await Promise.resolve(this.context.secrets.store(this.headName, JSON.stringify(this.writtenHead))).catch((error: unknown) =>
      this.logger.error(`cannot keep the audit log's head in SecretStorage: ${errorMessage(error)}`),
    );
  }
}

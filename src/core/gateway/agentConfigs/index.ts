import type { AgentConfigFormat } from './agentConfigFormat';
import type { AgentId } from './agents';
import { claudeCode } from './claudeCode';
import { cline } from './cline';
import { codex } from './codex';
import { cursor } from './cursor';
import { geminiCli } from './geminiCli';
import { windsurf } from './windsurf';

/** Each agent's configuration format, by agent id. */
export const agentConfigFormats: Readonly<Record<AgentId, AgentConfigFormat>> = {
  'claude-code': claudeCode,
  cursor,
  cline,
  codex,
  windsurf,
  'gemini-cli': geminiCli,
};

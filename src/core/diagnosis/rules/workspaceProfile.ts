/**
 * A workspace profile is an intended override: this window's terminals run the agents with its token and
 * models instead of the global files. Said as information (with what it sets), so the global findings read
 * right; a generated file that went missing is a warning, since that agent then falls back or fails.
 */
import * as l10n from '@vscode/l10n';
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import type { Finding } from '../types';
import { joinParts, make, sentences, type Rule } from './common';

export const WORKSPACE_PROFILE_RULE: Rule = {
  id: 'workspace.profile',
  check(f) {
    const p = f.workspaceProfile;
    if (!p) return undefined;
    const agents = (Object.keys(p.models) as AgentId[]).map((a) => l10n.t('{0}: {1}', AGENT_LABELS[a], p.models[a]!));
    const evidence = [l10n.t('Terminal variables: {0}', p.variables.join(', ')), ...p.files.map((file) => (file.exists ? file.path : l10n.t('{0} (missing)', file.path)))];
    const out: Finding[] = [make('workspace.profile', 'info', l10n.t('This workspace uses its own profile: "{0}" ({1})', p.token, joinParts(agents)), sentences(
      l10n.t('An intended override: agents started in this window\'s terminals use the workspace profile, not the global files checked above, which still apply in other windows.'),
      l10n.t('Tokaify: Clear Workspace Profile puts the terminals back.'),
    ), evidence)];
    const missing = p.files.filter((file) => !file.exists);
    if (missing.length) {
      out.push(make('workspace.profile-file-missing', 'warning', l10n.t('A file of the workspace profile is missing'), sentences(
        l10n.t('Codex started in this window\'s terminals looks for it and stops without it.'),
        l10n.t('Run Tokaify: Use for This Workspace… again to write it.'),
      ), missing.map((file) => file.path)));
    }
    return out;
  },
};

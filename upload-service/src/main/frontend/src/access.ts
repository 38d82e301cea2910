// What the token held now allows, as GET /caller tells it, so the dashboard offers only the buttons the API would
// act on for it. The API still decides every call; until the caller is known, or if it cannot be, all are offered.
import { api, type Caller } from './api';

let caller: Caller | null = null;

export const access = {
  /** Asks the API who the token is; a failure leaves every button offered, as the API decides anyway. */
  async load(): Promise<void> {
    try {
      caller = await api.caller();
    } catch {
      caller = null;
    }
  },
  /** May deploy, cancel, redeploy and roll back `project`'s deployments (with none, those of no project). */
  mayDeploy(project?: string | null): boolean {
    if (caller === null || caller.scope === 'admin') return true;
    if (caller.scope !== 'deploy') return false;
    if (!caller.projects) return true;
    return !!project && caller.projects.includes(project);
  },
  /** May start some deployment: of any project, or of those a deploy token names. */
  mayDeployAny(): boolean {
    return caller === null || caller.scope !== 'read';
  },
  /** May change projects, notifications, tokens and dead letters. */
  isAdmin(): boolean {
    return caller === null || caller.scope === 'admin';
  },
};

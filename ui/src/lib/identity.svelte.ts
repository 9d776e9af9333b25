/**
 * Who is working on this computer (their identity: a key made by "Who are you?"), shared by
 * the header, the review bar and the review views. Loaded once; the dialog is opened on the
 * first review action when there is none.
 */
import { ipc } from "./ipc";
import type { IdentityInfo } from "./types/IdentityInfo";
import type { Role } from "./types/Role";

export const me = $state<{ info: IdentityInfo | null; loaded: boolean; asking: boolean }>({
  info: null,
  loaded: false,
  asking: false,
});

export async function loadIdentity(): Promise<void> {
  me.info = await ipc.identityInfo();
  me.loaded = true;
}

export async function createIdentity(name: string, role: Role): Promise<void> {
  me.info = await ipc.createIdentity(name, role);
  me.asking = false;
}

/** True when there is an identity; otherwise opens "Who are you?" and returns false. */
export function requireIdentity(): boolean {
  if (me.info) return true;
  me.asking = true;
  return false;
}

/** The role review offers actions for: the team roster's, else the one the person chose. */
export function reviewRole(): Role | null {
  return me.info ? (me.info.team_role ?? me.info.role) : null;
}

/** Who is signed in. Reviewers are known by a pseudonym only, never by name. */
export const roles = ['reviewer', 'supervisor'] as const;
export type Role = (typeof roles)[number];

/** `demo` runs on the bundled batch with no service; `service` is signed in to one. */
export const sessionModes = ['demo', 'service'] as const;
export type SessionMode = (typeof sessionModes)[number];

export type ReviewerIdentity = {
  readonly pseudonym: string;
  readonly role: Role;
};

export type SessionInfo = {
  readonly identity: ReviewerIdentity;
  readonly mode: SessionMode;
};

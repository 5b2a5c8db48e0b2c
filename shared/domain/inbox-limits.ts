/**
 * The escalation inbox's fixed values, with no dependency at all: the renderer imports these,
 * and a renderer that pulled in a schema library would also pull in its code generation, which
 * the content security policy refuses.
 */

/** Where an escalation stands: nobody answered yet, seen, handed to a referral target, closed. */
export const escalationStatuses = ['open', 'acknowledged', 'referred', 'closed'] as const;

/** Longest close reason and guidance text. */
export const MAX_REASON_CHARS = 500;
export const MAX_GUIDANCE_CHARS = 2_000;

/** From this many escalations in one shift, the inbox marks the reviewer for a supervisor's attention. */
export const SEVERAL_ESCALATIONS_IN_SHIFT = 3;

/** Longest text a teammate may propose for a span in a second listen. */
export const MAX_PROPOSAL_CHARS = 500;

/**
 * SQL for a supervisor's answers to escalations waiting for the service (migration 0013), and
 * for when each reviewer last saw the answers to their own escalations.
 */
import type { EscalationAction } from '../../../shared/sync/escalation-inbox';
import type { Connection } from '../connection';

export type AnswerState = 'pending' | 'sent' | 'refused';

export type AnswerRow = {
  readonly responseId: string;
  readonly author: string;
  readonly opId: string;
  readonly action: EscalationAction;
  /** The sealed answer; empty once the service holds it. */
  readonly body: Buffer;
  readonly createdAt: number;
  readonly state: AnswerState;
  readonly attempts: number;
  readonly problem: string | null;
};

type Raw = {
  response_id: string;
  author: string;
  op_id: string;
  action: EscalationAction;
  body: Buffer;
  created_at: number;
  state: AnswerState;
  attempts: number;
  problem: string | null;
};

const toRow = (r: Raw): AnswerRow => ({
  responseId: r.response_id,
  author: r.author,
  opId: r.op_id,
  action: r.action,
  body: r.body,
  createdAt: r.created_at,
  state: r.state,
  attempts: r.attempts,
  problem: r.problem,
});

const COLUMNS = 'response_id, author, op_id, action, body, created_at, state, attempts, problem';

export function createEscalationAnswerRepository(db: Connection) {
  const insert = db.prepare<[string, string, string, EscalationAction, Buffer, number]>(
    'INSERT INTO escalation_answers (response_id, author, op_id, action, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pending = db.prepare<[string], Raw>(
    `SELECT ${COLUMNS} FROM escalation_answers WHERE author = ? AND state = 'pending' ORDER BY created_at, rowid`,
  );
  const unsent = db.prepare<[string], Raw>(
    `SELECT ${COLUMNS} FROM escalation_answers WHERE author = ? AND state != 'sent' ORDER BY created_at, rowid`,
  );
  const attempt = db.prepare<[string]>('UPDATE escalation_answers SET attempts = attempts + 1 WHERE response_id = ?');
  // The service holds the answer now: what it said need not stay here.
  const sent = db.prepare<[number, string]>(
    "UPDATE escalation_answers SET state = 'sent', body = X'', settled_at = ?, problem = NULL WHERE response_id = ?",
  );
  const refused = db.prepare<[string, number, string]>(
    "UPDATE escalation_answers SET state = 'refused', body = X'', problem = ?, settled_at = ? WHERE response_id = ?",
  );
  const dismiss = db.prepare<[string, string]>(
    "DELETE FROM escalation_answers WHERE response_id = ? AND author = ? AND state = 'refused'",
  );
  const seenAt = db.prepare<[string], { seen_at: number }>('SELECT seen_at FROM escalation_notices WHERE author = ?');
  const markSeen = db.prepare<[string, number]>(
    `INSERT INTO escalation_notices (author, seen_at) VALUES (?, ?)
     ON CONFLICT (author) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)`,
  );

  return {
    /** Queues an answer given now. */
    add(a: Pick<AnswerRow, 'responseId' | 'author' | 'opId' | 'action' | 'body' | 'createdAt'>): void {
      insert.run(a.responseId, a.author, a.opId, a.action, a.body, a.createdAt);
    },
    /** The author's answers still to send, oldest first. */
    pending: (author: string): AnswerRow[] => pending.all(author).map(toRow),
    /** The author's answers the service does not hold: waiting, or refused and not yet dismissed. */
    unsent: (author: string): AnswerRow[] => unsent.all(author).map(toRow),
    attempted: (responseId: string): void => {
      attempt.run(responseId);
    },
    sent: (responseId: string, at: number): void => {
      sent.run(at, responseId);
    },
    refused: (responseId: string, problem: string, at: number): void => {
      refused.run(problem, at, responseId);
    },
    /** Forgets a refused answer once the supervisor has seen why; false when there is none. */
    dismiss: (responseId: string, author: string): boolean => dismiss.run(responseId, author).changes === 1,
    /** When the reviewer last saw the answers to their escalations; 0 when never. */
    seenAt: (author: string): number => seenAt.get(author)?.seen_at ?? 0,
    markSeen: (author: string, at: number): void => {
      markSeen.run(author, at);
    },
  };
}

export type EscalationAnswerRepository = ReturnType<typeof createEscalationAnswerRepository>;

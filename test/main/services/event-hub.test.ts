import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { createEventHub, type EventHub } from '../../../main/services/event-hub';
import { makeTempDir } from '../../support/temp-dir';

describe('event hub', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  let hub: EventHub;
  let delivered: string[];

  beforeEach(() => {
    tmp = makeTempDir('earmark-hub-');
    db = openDatabase(join(tmp.dir, 'earmark.db'));
    hub = createEventHub({ afterCommit: db.unitOfWork.afterCommit });
    delivered = [];
    hub.subscribe((event) => delivered.push(event));
    hub.on('work:saved', () => delivered.push('work:saved'));
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('never delivers an event raised inside a transaction that throws', () => {
    expect(() =>
      db.unitOfWork.run(() => {
        hub.emit('batches:changed', []);
        hub.publish('work:saved');
        throw new Error('the submit failed');
      }),
    ).toThrow('the submit failed');
    expect(delivered).toEqual([]);
  });

  it('delivers an event raised inside a committed transaction once, after the commit', () => {
    db.unitOfWork.run(() => {
      hub.emit('batches:changed', []);
      hub.publish('work:saved');
      expect(delivered).toEqual([]);
    });
    expect(delivered).toEqual(['batches:changed', 'work:saved']);
  });

  it('delivers at once outside a transaction, to each handler until it unsubscribes', () => {
    const identities: string[] = [];
    const off = hub.on('session:signedIn', (identity) => identities.push(identity.pseudonym));
    hub.publish('session:signedIn', { pseudonym: 'rv-1', role: 'reviewer' });
    off();
    hub.publish('session:signedIn', { pseudonym: 'rv-2', role: 'reviewer' });
    expect(identities).toEqual(['rv-1']);
  });
});

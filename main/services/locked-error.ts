import { ServiceError } from './service-error';

/** The answer to anything that needs a key or clip content while the app is locked. */
export const lockedError = (): ServiceError => new ServiceError('LOCKED', 'Earmark is locked: unlock it to carry on.');

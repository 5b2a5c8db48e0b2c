/** The service's operations switches as `parseArgs` gives them by default, with `over` set. */
import { operationsOptions, type OperationsValues } from '../../service/operations-options';

export const operationsValues = (over: Partial<OperationsValues> = {}): OperationsValues => ({
  host: operationsOptions.host.default,
  'insecure-no-tls': false,
  'log-format': 'text',
  'audio-retention-days': operationsOptions['audio-retention-days'].default,
  'shutdown-grace-seconds': operationsOptions['shutdown-grace-seconds'].default,
  ...over,
});

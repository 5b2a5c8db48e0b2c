/** Build facts the renderer may show (an About line, a support report). */
export type AppInfo = {
  readonly name: string;
  readonly version: string;
  /** The database schema version the running code expects. */
  readonly schemaVersion: number;
};

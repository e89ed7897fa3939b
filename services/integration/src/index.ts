// What operator tools (the CLI) use to run the reference system's operations as the service does.
// The service itself starts from main.ts.
export { openReferenceSystem, type ReferenceSystem } from './reference-system';
export type { ReferenceCounts } from './reference/reference.seeder';
export { OPERATOR } from './tools/operation-scope';
export { describeTools, type ToolOutcome } from './tools/tool.service';

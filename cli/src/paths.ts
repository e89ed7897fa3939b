import path from 'node:path';

/** The repository root: cli/{src,dist}/paths.* sits two levels below it. */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const localDir = path.join(repoRoot, '.local');
export const protoDir = path.join(repoRoot, 'proto');
/** Shared public data (tau-retail, banking77, moderation lists) lives beside the repository. */
export const sharedDataDir = process.env.SWITCHBOARD_DATA_DIR ?? path.resolve(repoRoot, '..', 'shared', 'data');

import { ensureLanceCpuThreads } from './lancedb.vector-store';

describe('ensureLanceCpuThreads', () => {
  it('gives LanceDB at least 2 CPU threads where its default would be 1', () => {
    const env: NodeJS.ProcessEnv = {};
    ensureLanceCpuThreads(env, 2);
    expect(env.LANCE_CPU_THREADS).toBe('2');
  });

  it("keeps LanceDB's own default (cores minus the I/O reservation) on larger hosts", () => {
    const env: NodeJS.ProcessEnv = {};
    ensureLanceCpuThreads(env, 8);
    expect(env.LANCE_CPU_THREADS).toBe('6');
    const reserved: NodeJS.ProcessEnv = { LANCE_IO_CORE_RESERVATION: '4' };
    ensureLanceCpuThreads(reserved, 8);
    expect(reserved.LANCE_CPU_THREADS).toBe('4');
  });

  it("keeps an operator's value", () => {
    const env: NodeJS.ProcessEnv = { LANCE_CPU_THREADS: '1' };
    ensureLanceCpuThreads(env, 2);
    expect(env.LANCE_CPU_THREADS).toBe('1');
  });
});

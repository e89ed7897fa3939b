import { GatewayError } from '../gateway.errors';
import { agentIdFrom } from './agent-id';

describe('the x-agent-id header', () => {
  it('accepts 1-64 letters, digits, . _ @ -', () => {
    expect(agentIdFrom('sam@support')).toBe('sam@support');
    expect(agentIdFrom('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it.each([undefined, '', 'a'.repeat(65), 'sam smith', '-sam', 'sam\n'])('refuses %p, naming the header', (value) => {
    expect(() => agentIdFrom(value)).toThrow(GatewayError);
    expect(() => agentIdFrom(value)).toThrow(/x-agent-id/);
  });
});

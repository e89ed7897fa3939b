// `switchboard chat "text"`: talk to a running stack as a channel adapter would.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ChatClient, type ChatEvent } from '../chat/chat.client';
import { printTurn } from '../chat/transcript';
import { localGateway } from '../config/service-configs';
import { DEV_KEY_FILE } from './stack.command';

export function chatCommand(): Command {
  return new Command('chat')
    .description('send one customer message to a running stack over gRPC and print the reply')
    .argument('<text>', 'what the customer says')
    .option('-a, --address <host:port>', 'ChatGateway address', localGateway.grpcAddress)
    .option('-k, --key <apiKey>', `API key (default: the dev stack's demo key from ${DEV_KEY_FILE})`)
    .option('-c, --conversation <id>', 'continue this conversation')
    .option('--customer <id>', 'customer id', 'cli-customer')
    .action(async (text: string, options: { address: string; key?: string; conversation?: string; customer: string }) => {
      const key = options.key ?? (existsSync(DEV_KEY_FILE) ? readFileSync(DEV_KEY_FILE, 'utf8').trim() : '');
      const client = new ChatClient(options.address, key);
      try {
        const events: ChatEvent[] = [];
        for await (const e of client.converse({
          clientMessageId: randomUUID(),
          conversationId: options.conversation,
          customerId: options.customer,
          channel: 'cli',
          text,
        }))
          events.push(e);
        printTurn(text, events);
        console.log(`conversation: ${events[0]?.conversationId}`);
      } finally {
        client.close();
      }
    });
}

// The `switchboard` command-line tool (run as `npx switchboard` from the repository root).
import { Command } from 'commander';
import { benchCommand } from './bench/turn-latency';
import { analyticsCommand } from './commands/analytics.command';
import { chatCommand } from './commands/chat.command';
import { configCommand } from './commands/config.command';
import { demoCommand } from './commands/demo.command';
import { dlqCommand } from './commands/dlq.command';
import { traceCommand } from './commands/trace.command';
import { eventsCommand } from './commands/events.command';
import { kbCommand } from './commands/kb.command';
import { nluCommand } from './commands/nlu.command';
import { privacyCommand } from './commands/privacy.command';
import { securityCommand } from './commands/security.command';
import { simulateCommand } from './commands/simulate.command';
import { usersCommand } from './commands/users.command';
import { stackCommand } from './commands/stack.command';
import { toolsCommand } from './commands/tools.command';

export function program(): Command {
  return new Command('switchboard')
    .description('Switchboard: an open, self-hostable AI customer-service backend')
    .showHelpAfterError()
    .addCommand(stackCommand())
    .addCommand(configCommand())
    .addCommand(demoCommand())
    .addCommand(chatCommand())
    .addCommand(kbCommand())
    .addCommand(nluCommand())
    .addCommand(toolsCommand())
    .addCommand(eventsCommand())
    .addCommand(dlqCommand())
    .addCommand(traceCommand())
    .addCommand(securityCommand())
    .addCommand(usersCommand())
    .addCommand(privacyCommand())
    .addCommand(analyticsCommand())
    .addCommand(simulateCommand())
    .addCommand(benchCommand());
}

if (require.main === module) {
  program()
    .parseAsync(process.argv)
    .catch((error: Error) => {
      console.error(`switchboard: ${error.message}`);
      process.exitCode = 1;
    });
}

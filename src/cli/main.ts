import { Command, CommanderError } from 'commander';
import { ImportError } from '../import/errors.js';
import { analyzeCommand } from './analyze-command.js';
import { cohortCommand } from './cohort-command.js';
import { demoCommand } from './demo-command.js';
import { recordCommand } from './record-commands.js';
import { describeServiceError, serverCommands } from './server-commands.js';
import { CheckFailedError, UsageError } from './usage-error.js';
import { verifyCommand } from './verify-command.js';

export function buildProgram(): Command {
  const program = new Command('relief')
    .description('Relief: headache and pain diary analysis, ICHD-3 classification and treatment outcomes')
    .version('0.1.0')
    .exitOverride()
    .addCommand(analyzeCommand().exitOverride());
  for (const command of serverCommands()) program.addCommand(command.exitOverride());
  program.addCommand(demoCommand().exitOverride());
  program.addCommand(cohortCommand().exitOverride());
  program.addCommand(recordCommand());
  program.addCommand(verifyCommand().exitOverride());
  return program;
}

/** Runs the CLI and returns the exit code: 0 done, 1 bad input file, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ImportError) {
      process.stderr.write(`relief: cannot read the diary:\n${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`relief: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CheckFailedError) return 1;
    const refused = describeServiceError(e);
    if (refused !== null) {
      process.stderr.write(`relief: ${refused}\n`);
      return 1;
    }
    throw e;
  }
}

import { createInterface } from 'node:readline';
import {
  type ChatMessage,
  ContextOverflowError,
  GenerationAbortedError,
  type GenerationResult,
  InvalidOptionError,
} from '@npu-first/core';
import pc from 'picocolors';
import { type Io, printError } from '../output.js';
import { chatReplyBudget, dropOldestTurn, droppedNote } from './chat-history.js';
import { generateOptionsFrom, type LlmFlags, loadGenerator } from './generate.js';

export interface ChatFlags extends LlmFlags {
  readonly system?: string;
}

const HELP = '/exit quits · /reset forgets the conversation · Ctrl+C stops a reply';

/**
 * `npu-first chat <model>`: a conversation in the terminal. Each turn is sent with the whole
 * history through the model's chat template; a reply streams as it is generated. When the
 * history no longer fits the context (with room for the reply), the oldest turns are dropped,
 * never the system prompt, and a note says so.
 */
export async function chatCommand(
  io: Io,
  model: string,
  flags: ChatFlags,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const given = generateOptionsFrom(flags);
  const generator = await loadGenerator(io, model, flags);
  const system: ChatMessage[] = flags.system ? [{ role: 'system', content: flags.system }] : [];
  let history: ChatMessage[] = [...system];
  const rl = createInterface({ input, terminal: false });
  let current: AbortController | undefined;
  const onSigint = () => (current ? current.abort() : rl.close());
  process.on('SIGINT', onSigint);
  try {
    const context = generator.contextSize;
    if (given.maxTokens !== undefined && given.maxTokens >= context) {
      throw new InvalidOptionError(
        '--max-tokens',
        `${given.maxTokens} leaves no room for the conversation in the ${context}-token context: pass fewer, or a larger --context-size`,
      );
    }
    const options = { maxTokens: chatReplyBudget(context), ...given };
    const p = generator.placement;
    io.out(
      pc.dim(
        `${p.model.name} on ${p.backend} (${p.device}) · context ${generator.contextSize} tokens · ${HELP}`,
      ),
    );
    io.write(pc.bold('you › '));
    for await (const line of rl) {
      const text = line.trim();
      if (text === '/exit' || text === '/quit') break;
      if (text === '/reset') {
        history = [...system];
        io.out(pc.dim('(conversation cleared)'));
      } else if (text !== '') {
        history.push({ role: 'user', content: text });
        current = new AbortController();
        let started = false;
        let dropped = 0;
        const start = () => {
          if (started) return;
          started = true;
          if (dropped > 0) io.out(pc.dim(droppedNote(dropped, context)));
          io.write(pc.bold('model › '));
        };
        try {
          let result: GenerationResult | undefined;
          while (result === undefined) {
            const stream = generator.stream(history, { ...options, signal: current.signal });
            try {
              for await (const chunk of stream) {
                start();
                io.write(chunk);
              }
              result = await stream.result;
            } catch (error) {
              // The context is checked before the first token: drop the oldest turn and retry.
              const shorter =
                !started && ContextOverflowError.isInstance(error)
                  ? dropOldestTurn(history)
                  : undefined;
              if (shorter === undefined) throw error;
              history = shorter;
              dropped++;
            }
          }
          start();
          const { text: reply, stats } = result;
          history.push({ role: 'assistant', content: reply });
          io.out('');
          io.out(
            pc.dim(
              `(${stats.generatedTokens} tokens · ${stats.tokensPerSecond} tokens/s · ${stats.stopReason})`,
            ),
          );
        } catch (error) {
          start();
          io.out('');
          // A stopped reply is kept, so the conversation can go on from it.
          if (GenerationAbortedError.isInstance(error)) {
            history.push({ role: 'assistant', content: error.text });
            io.out(pc.dim('(stopped)'));
          } else {
            history.pop();
            printError(io, error, false);
          }
        } finally {
          current = undefined;
        }
      }
      io.write(pc.bold('you › '));
    }
    io.out('');
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    rl.close();
    await generator.dispose();
  }
}
